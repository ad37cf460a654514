import type { Sex } from '../core/observation/observation.js';
import { addMonths, dayOfIso, firstOfYear, isoOf } from './calendar.js';
import {
  resolveOptions,
  type Feed,
  type GeneratedItem,
  type GenerateOptions,
  type ResolvedOptions,
} from './generated-item.js';
import { DUPLICATE_COUNTER_BASE, IdentifierFactory } from './identifiers.js';
import { NATIONALITIES, type NationalityProfile } from './nationalities.js';
import { applyRecordNoise, type MutableRecord, type NoiseContext } from './noise.js';
import { scaledRate } from './noise-rates.js';
import { AIR_PORTS, NORTH_LAND_PORTS, SOUTH_LAND_PORTS } from './ports.js';
import { mix, Rng, WeightedTable } from './prng.js';
import { planStay, POPULATION_RATES, type PlannedStatusEvent, type StayPlan } from './stay-planner.js';
import { truthOutcome } from './truth-outcome.js';
import type { ClassOfAdmission } from './us-stay-rules.js';

export type { Feed, GeneratedItem, GenerateOptions, TruthStay } from './generated-item.js';

/**
 * Generates a synthetic population: persons, their admissions, departures and status changes as flat
 * feed records, the truth a perfect system must derive from them, and the noise applied on top.
 *
 * Lazy: one person at a time, so millions of records are never held at once. Pure apart from reading
 * faker's name lists, and deterministic: the same options give the same items in the same order. The
 * population (people, stays, record ids, truth) does not depend on `noise`; noise only changes cells
 * and adds duplicate rows, so the same seed at levels 0 and 1 differ only by the noise.
 *
 * Options are checked at once (a RangeError), not at the first `next()`.
 *
 * @example
 * for (const item of generatePopulation({ people: 1000, seed: 42, noise: 1 })) {
 *   if (item.kind === 'record') console.log(item.feed, item.record.record_id);
 * }
 */
export function generatePopulation(options: GenerateOptions): Iterable<GeneratedItem> {
  const resolved = resolveOptions(options);
  return { [Symbol.iterator]: () => generate(resolved) };
}

const FEED_PREFIX: Readonly<Record<Feed, string>> = {
  admissions: 'A',
  departures: 'D',
  'status-changes': 'S',
};
const FEED_KIND: Readonly<Record<Feed, string>> = {
  admissions: 'Admission',
  departures: 'Departure',
  'status-changes': 'StatusChange',
};

interface Passport {
  readonly number: string;
  readonly expiry: string;
}

interface Person {
  readonly id: string;
  readonly nationality: NationalityProfile;
  readonly givenNames: string;
  readonly familyParts: readonly string[];
  readonly familyNames: string;
  readonly sex: Sex;
  readonly birth: number;
  readonly birthIso: string;
}

interface FirstTrip {
  readonly date: number;
  readonly port: string;
  readonly cls: ClassOfAdmission;
  readonly byLand: boolean;
}

/** What a twin shares with the sibling generated just before them. */
interface TwinSeed {
  readonly sibling: Person;
  readonly firstTrip: FirstTrip;
}

const NATIONALITY_TABLE = new WeightedTable(NATIONALITIES.map((n) => [n, n.weight] as const));
const VISITS_TABLE = new WeightedTable(
  Object.entries(POPULATION_RATES.visitsPerPerson).map(([k, w]) => [Number(k), w] as const),
);
/** Age at the start of the window, by band: [lo, hi, weight]. */
const AGE_TABLE = new WeightedTable<readonly [number, number]>([
  [[0, 16], 6],
  [[17, 29], 26],
  [[30, 49], 38],
  [[50, 69], 24],
  [[70, 85], 6],
]);

type AgeBand = 'child' | 'student' | 'young' | 'adult' | 'senior';

function ageBand(ageYears: number): AgeBand {
  if (ageYears < 17) return 'child';
  if (ageYears < 21) return 'student';
  if (ageYears <= 35) return 'young';
  if (ageYears <= 65) return 'adult';
  return 'senior';
}

/** Class-of-admission weights: Visa Waiver members mostly WT/WB, neighbours may come as TN. */
export const CLASS_WEIGHTS = {
  visaWaiver: { WT: 60, WB: 14, B2: 4, B1: 2, F1: 7, J1: 4, H1B: 5, L1: 4 },
  other: { B2: 62, B1: 12, F1: 10, J1: 4, H1B: 8, L1: 4 },
  usmcaNeighbourExtra: { TN: 5 },
} as const satisfies Record<string, Partial<Record<ClassOfAdmission, number>>>;

const BAND_CLASSES: Readonly<Record<AgeBand, ReadonlySet<ClassOfAdmission>>> = {
  child: new Set(['WT', 'B2']),
  student: new Set(['WT', 'WB', 'B2', 'B1', 'F1', 'J1']),
  young: new Set(['WT', 'WB', 'B2', 'B1', 'F1', 'J1', 'H1B', 'L1', 'TN']),
  adult: new Set(['WT', 'WB', 'B2', 'B1', 'H1B', 'L1', 'TN']),
  senior: new Set(['WT', 'WB', 'B2', 'B1']),
};

const classTables = new Map<string, WeightedTable<ClassOfAdmission>>();

function classTable(nationality: NationalityProfile, band: AgeBand): WeightedTable<ClassOfAdmission> {
  const key = `${nationality.code}|${band}`;
  let table = classTables.get(key);
  if (!table) {
    const weights: Partial<Record<ClassOfAdmission, number>> = {
      ...(nationality.visaWaiver ? CLASS_WEIGHTS.visaWaiver : CLASS_WEIGHTS.other),
      ...(nationality.border !== null ? CLASS_WEIGHTS.usmcaNeighbourExtra : {}),
    };
    const allowed = BAND_CLASSES[band];
    table = new WeightedTable(
      (Object.entries(weights) as [ClassOfAdmission, number][]).filter(([c]) => allowed.has(c)),
    );
    classTables.set(key, table);
  }
  return table;
}

function pickDifferent(rng: Rng, pool: readonly string[], not: string): string {
  for (let i = 0; i < 8; i++) {
    const v = rng.pick(pool);
    if (v !== not) return v;
  }
  return rng.pick(pool);
}

function createPerson(rng: Rng, index: number, from: number, twin: TwinSeed | null): Person {
  const sibling = twin?.sibling ?? null;
  const nationality = sibling?.nationality ?? NATIONALITY_TABLE.draw(rng);
  const names = nationality.names;
  const gendered = names.familyFemale !== undefined || names.familyMale !== undefined;
  let sex: Sex;
  if (sibling && gendered) sex = sibling.sex;
  else if (rng.chance(POPULATION_RATES.sexX)) sex = 'X';
  else sex = rng.chance(0.5) ? 'F' : 'M';
  const givenPool =
    sex === 'F' ? names.female : sex === 'M' ? names.male : rng.chance(0.5) ? names.female : names.male;
  let givenNames = sibling ? pickDifferent(rng, givenPool, sibling.givenNames) : rng.pick(givenPool);
  if (nationality.romanisation === 'latin' && rng.chance(POPULATION_RATES.twoGivenNames)) {
    givenNames = `${givenNames} ${pickDifferent(rng, givenPool, givenNames)}`;
  }
  let familyParts: readonly string[];
  if (sibling) {
    familyParts = sibling.familyParts;
  } else {
    const familyPool =
      (sex === 'F' ? names.familyFemale : sex === 'M' ? names.familyMale : undefined) ?? names.family;
    const first = rng.pick(familyPool);
    familyParts = rng.chance(nationality.twoFamilyNames)
      ? [first, pickDifferent(rng, familyPool, first)]
      : [first];
  }
  let birth: number;
  if (sibling) {
    birth = sibling.birth;
  } else {
    const [lo, hi] = AGE_TABLE.draw(rng);
    birth = from - rng.int(lo, hi) * 365 - rng.int(0, 364);
    // Many real records carry 1 January when the true day is unknown; for these persons it is their date.
    if (rng.chance(POPULATION_RATES.januaryFirstBirthDate)) birth = firstOfYear(birth);
  }
  return {
    id: `P${String(index).padStart(7, '0')}`,
    nationality,
    givenNames,
    familyParts,
    familyNames: familyParts.join(' '),
    sex,
    birth,
    birthIso: isoOf(birth),
  };
}

function admissionPort(rng: Rng, nationality: NationalityProfile): { port: string; byLand: boolean } {
  if (nationality.border !== null && rng.chance(POPULATION_RATES.landAdmissionForNeighbours)) {
    return {
      port: rng.pick(nationality.border === 'south' ? SOUTH_LAND_PORTS : NORTH_LAND_PORTS),
      byLand: true,
    };
  }
  return { port: rng.pick(AIR_PORTS), byLand: false };
}

interface PlannedVisit {
  readonly plan: StayPlan;
  readonly byLand: boolean;
  /** False when the departure happened but no record of it exists (the next admission proves it). */
  departureRecorded: boolean;
}

function planVisits(rng: Rng, person: Person, opts: Days, twin: TwinSeed | null): PlannedVisit[] {
  const visits: PlannedVisit[] = [];
  const count = VISITS_TABLE.draw(rng);
  const span = opts.to - opts.from;
  // Earlier first trips for frequent travellers, so their later trips still fit in the window.
  let date = opts.from + Math.floor(rng.next() ** count * (span + 1));
  let together: FirstTrip | null =
    twin && rng.chance(POPULATION_RATES.twinsTravellingTogether) ? twin.firstTrip : null;
  for (let v = 0; v < count; v++) {
    let cls: ClassOfAdmission;
    let port: { port: string; byLand: boolean };
    if (together) {
      date = together.date;
      cls = together.cls;
      port = { port: together.port, byLand: together.byLand };
      together = null;
    } else {
      const age = Math.floor((date - person.birth) / 365.25);
      cls = classTable(person.nationality, ageBand(age)).draw(rng);
      port = admissionPort(rng, person.nationality);
    }
    const plan = planStay(rng, {
      classOfAdmission: cls,
      admittedOn: date,
      port: port.port,
      admittedByLand: port.byLand,
      nationality: person.nationality,
      asOf: opts.asOf,
    });
    visits.push({ plan, byLand: port.byLand, departureRecorded: true });
    const departure = plan.departure;
    if (v + 1 >= count || departure === null || departure.date > opts.asOf) break;
    const next = departure.date + rng.int(7, 365);
    if (next > opts.to) break;
    if (rng.chance(POPULATION_RATES.reentryWithoutRecordedDeparture)) visits[v]!.departureRecorded = false;
    date = next;
  }
  return visits;
}

interface Days {
  readonly from: number;
  readonly to: number;
  readonly asOf: number;
}

const EMPTY_EVENTS: readonly PlannedStatusEvent[] = [];

/** The generator's running state: counters that make ids unique, and the twin waiting to be made. */
class PopulationBuilder {
  private readonly days: Days;
  private readonly ids: IdentifierFactory;
  private readonly level: number;
  private readonly noisy: boolean;
  private readonly dupNewRate: number;
  private readonly dupSameRate: number;
  private readonly renewalNoiseRate: number;
  private recordCounter = 0;
  private duplicateCounter = 0;
  private admissionCounter = 0;
  private docCounter = 0;
  private noiseDocCounter = 0;
  private twin: TwinSeed | null = null;

  constructor(private readonly options: ResolvedOptions) {
    this.days = { from: dayOfIso(options.from)!, to: dayOfIso(options.to)!, asOf: dayOfIso(options.asOf)! };
    this.ids = new IdentifierFactory(options.seed);
    this.level = options.noise;
    this.noisy = options.noise > 0;
    this.dupNewRate = scaledRate('duplicate-new-id', options.noise);
    this.dupSameRate = scaledRate('duplicate-same-id', options.noise);
    this.renewalNoiseRate = scaledRate('passport-renewed-between-visits', options.noise);
  }

  /** Every item of one person, in order: the person, then per stay its records and its truth. */
  person(index: number): GeneratedItem[] {
    const { days, ids } = this;
    const rng = new Rng(mix(this.options.seed, index, 1));
    const noiseRng = new Rng(mix(this.options.seed, index, 2));
    const twin = this.twin;
    const person = createPerson(rng, index, days.from, twin);
    const twinOf = twin?.sibling.id ?? null;
    const visits = planVisits(rng, person, days, twin);
    this.twin = null;
    const first = visits[0]!;
    if (twinOf === null && index < this.options.people && rng.chance(POPULATION_RATES.twins)) {
      this.twin = {
        sibling: person,
        firstTrip: {
          date: first.plan.admittedOn,
          port: first.plan.port,
          cls: first.plan.classOfAdmission,
          byLand: first.byLand,
        },
      };
    }
    const recordedEvents: (readonly PlannedStatusEvent[])[] = [];
    for (const { plan } of visits) recordedEvents.push(recordedOnly(plan.statusEvents, days.asOf));

    // A passport renewal during a stay shows up on the stay's status-change records (which carry the
    // admission number), so the old and the new passport stay linkable.
    let renewal: number | null = null;
    for (let v = 0; v < visits.length; v++) {
      const firstEvent = recordedEvents[v]![0];
      const admittedOn = visits[v]!.plan.admittedOn;
      if (
        firstEvent &&
        firstEvent.date - admittedOn >= 2 &&
        rng.chance(POPULATION_RATES.passportRenewalDuringStay)
      ) {
        renewal = rng.int(admittedOn + 1, firstEvent.date - 1);
        break;
      }
    }
    const original: Passport = {
      number: ids.docNumber(this.docCounter++),
      expiry: isoOf(renewal !== null ? renewal + rng.int(10, 180) : days.asOf + rng.int(30, 3650)),
    };
    const renewed: Passport | null =
      renewal === null
        ? null
        : { number: ids.docNumber(this.docCounter++), expiry: isoOf(addMonths(renewal, 120) - 1) };

    // Noise: a renewal between visits that nothing links (decided on the noise stream only).
    let unlinkedFrom = Number.POSITIVE_INFINITY;
    let unlinked: Passport | null = null;
    if (this.noisy && visits.length >= 2 && noiseRng.chance(this.renewalNoiseRate)) {
      unlinkedFrom = visits[noiseRng.int(1, visits.length - 1)]!.plan.admittedOn;
      unlinked = {
        number: ids.docNumber(IdentifierFactory.noiseDocCounter(this.noiseDocCounter++)),
        expiry: isoOf(addMonths(unlinkedFrom - noiseRng.int(10, 200), 120)),
      };
    }

    const items: GeneratedItem[] = [
      { kind: 'person', personId: person.id, nationality: person.nationality.code, twinOf },
    ];
    const personId = person.id;
    const nationality = person.nationality.code;
    const ctx: PersonContext = {
      person,
      items,
      noiseRng,
      original,
      renewed,
      renewal: renewal ?? Number.POSITIVE_INFINITY,
      unlinked,
      unlinkedFrom,
      noise: {
        level: this.level,
        romanisation: person.nationality.romanisation,
        familyParts: person.familyParts.length === 2 ? person.familyParts : null,
      },
    };

    for (let v = 0; v < visits.length; v++) {
      const { plan, departureRecorded } = visits[v]!;
      const admissionNumber = this.ids.admissionNumber(this.admissionCounter++);
      const admittedOn = isoOf(plan.admittedOn);
      const admission: MutableRecord = {
        admission_number: admissionNumber,
        date: admittedOn,
        port: plan.port,
        class_of_admission: plan.classOfAdmission,
        duration_of_status: plan.durationOfStatus ? 'true' : 'false',
      };
      if (plan.admitUntil !== null) admission.admit_until = isoOf(plan.admitUntil);
      if (plan.programEnd !== null) admission.program_end_date = isoOf(plan.programEnd);
      const admissionRecordId = this.emit(ctx, 'admissions', plan.admittedOn, admission);

      const events = recordedEvents[v]!;
      for (const e of events) {
        const change: MutableRecord = {
          admission_number: admissionNumber,
          date: isoOf(e.date),
          change: e.change,
          event: e.event,
        };
        if (e.newAdmitUntil !== null) change.new_admit_until = isoOf(e.newAdmitUntil);
        if (e.newClassOfAdmission !== null) change.new_class_of_admission = e.newClassOfAdmission;
        this.emit(ctx, 'status-changes', e.date, change);
      }

      const departure = plan.departure;
      const departureOnRecord = departure !== null && departure.date <= days.asOf && departureRecorded;
      if (departureOnRecord) {
        const cells: MutableRecord = {
          date: isoOf(departure.date),
          port: departure.port,
          channel: departure.channel,
        };
        if (departure.carriesAdmissionNumber) cells.admission_number = admissionNumber;
        if (departure.carrier !== null) cells.carrier = departure.carrier;
        if (departure.flight !== null) cells.flight = departure.flight;
        this.emit(ctx, 'departures', departure.date, cells);
      }

      const next = visits[v + 1];
      const truth = truthOutcome({
        classOfAdmission: plan.classOfAdmission,
        admittedOn: plan.admittedOn,
        admitUntil: plan.admitUntil,
        programEnd: plan.programEnd,
        statusEvents: events,
        departedOn: departureOnRecord ? departure.date : null,
        nextAdmission: !departureOnRecord && next !== undefined ? next.plan.admittedOn : null,
        asOf: days.asOf,
      });
      items.push({
        kind: 'truth-stay',
        personId,
        admissionRecordId,
        admissionNumber,
        nationality,
        classOfAdmission: plan.classOfAdmission,
        admittedOn,
        authorizedUntil: truth.authorizedUntil === null ? null : isoOf(truth.authorizedUntil),
        departedOn: truth.departedOn === null ? null : isoOf(truth.departedOn),
        departureInferred: truth.departureInferred,
        outcome: truth.outcome,
        daysOverstay: truth.daysOverstay,
      });
    }
    return items;
  }

  /** Builds, perturbs and emits one record with its truth row and its noise rows; returns its id. */
  private emit(ctx: PersonContext, feed: Feed, date: number, record: MutableRecord): string {
    const { person, items } = ctx;
    const personId = person.id;
    const nationality = person.nationality.code;
    const recordId = this.ids.recordId(FEED_PREFIX[feed], this.recordCounter++);
    const truePassport = ctx.renewed !== null && date >= ctx.renewal ? ctx.renewed : ctx.original;
    const unlinked = ctx.unlinked !== null && date >= ctx.unlinkedFrom ? ctx.unlinked : null;
    const unlinkedHere = unlinked !== null;
    const passport = unlinked ?? truePassport;
    record.record_id = recordId;
    record.kind = FEED_KIND[feed];
    record.given_names = person.givenNames;
    record.family_names = person.familyNames;
    record.birth_date = person.birthIso;
    record.sex = person.sex;
    record.nationality = nationality;
    record.doc_number = passport.number;
    record.doc_type = 'P';
    record.doc_country = nationality;
    record.doc_expiry = passport.expiry;
    items.push({ kind: 'record', feed, record }, { kind: 'truth-record', recordId, personId });
    if (!this.noisy) return recordId;
    const rng = ctx.noiseRng;
    if (unlinkedHere) {
      const detail = `doc_number: ${truePassport.number} -> ${passport.number}`;
      items.push({ kind: 'noise', recordId, personId, noise: 'passport-renewed-between-visits', detail });
    }
    for (const n of applyRecordNoise(rng, record, ctx.noise)) {
      items.push({ kind: 'noise', recordId, personId, noise: n.noise, detail: n.detail });
    }
    if (rng.chance(this.dupNewRate)) {
      const copyId = this.ids.recordId(FEED_PREFIX[feed], DUPLICATE_COUNTER_BASE + this.duplicateCounter++);
      items.push(
        { kind: 'record', feed, record: { ...record, record_id: copyId } },
        { kind: 'truth-record', recordId: copyId, personId },
        {
          kind: 'noise',
          recordId: copyId,
          personId,
          noise: 'duplicate-new-id',
          detail: `duplicate of ${recordId}`,
        },
      );
    }
    if (rng.chance(this.dupSameRate)) {
      items.push(
        { kind: 'record', feed, record: { ...record } },
        { kind: 'noise', recordId, personId, noise: 'duplicate-same-id', detail: 'row delivered twice' },
      );
    }
    return recordId;
  }
}

/** What emitting a record needs to know about its person. */
interface PersonContext {
  readonly person: Person;
  readonly items: GeneratedItem[];
  readonly noiseRng: Rng;
  readonly original: Passport;
  readonly renewed: Passport | null;
  /** The renewal day (Infinity when none): records from it on carry the renewed passport. */
  readonly renewal: number;
  readonly unlinked: Passport | null;
  readonly unlinkedFrom: number;
  readonly noise: NoiseContext;
}

function recordedOnly(events: readonly PlannedStatusEvent[], asOf: number): readonly PlannedStatusEvent[] {
  if (events.length === 0) return EMPTY_EVENTS;
  const recorded: PlannedStatusEvent[] = [];
  for (const e of events) if (e.date <= asOf) recorded.push(e);
  return recorded;
}

function* generate(options: ResolvedOptions): Generator<GeneratedItem> {
  for (const items of generateByPerson(options)) yield* items;
}

/**
 * The same items as generatePopulation, one array per person (for writers that want fewer, larger
 * steps). Options must already be resolved.
 */
export function* generateByPerson(options: ResolvedOptions): Generator<readonly GeneratedItem[]> {
  const builder = new PopulationBuilder(options);
  for (let index = 1; index <= options.people; index++) yield builder.person(index);
}

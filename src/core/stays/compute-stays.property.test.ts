import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATUS_CHANGE_EVENTS, STATUS_CHANGE_TYPES } from '../observation/observation.js';
import { computeStays } from './compute-stays.js';
import { addDays, dayNumber } from './dates.js';
import { departureStrength, REPORT_LAPSE_DAYS } from './departure-evidence.js';
import type { RulePack } from './rule-pack.js';
import type { ArrivalInput, DepartureInput, StayInput } from './stay-input.js';
import type { Stay, StayComputation } from './stay.js';
import { admission, arrival, departure, SCHENGEN, statusChange, US } from './test-fixtures.js';

const START = '2024-01-01';
const day = fc.integer({ min: 0, max: 730 });
const maybeDay = fc.option(day, { nil: null });
const number = fc.constantFrom(null, 'N1', 'N2', 'N3');

/** One person's messy history: random kinds, dates, admission numbers, classes and status changes. */
const observation = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('A' as const),
      d: day,
      n: number,
      cls: fc.constantFrom('B2', 'WT', 'F1', 'J1', 'H1B', 'ZZ'),
      until: maybeDay,
      end: maybeDay,
      ds: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('D' as const),
      d: day,
      n: number,
      ch: fc.constantFrom('air', 'land', 'sea', 'removal', 'self-report'),
      identity: fc.constantFrom('exact', 'exact', 'exact', 'fuzzy'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('S' as const),
      d: day,
      n: number,
      change: fc.constantFrom(...STATUS_CHANGE_TYPES),
      event: fc.constantFrom(...STATUS_CHANGE_EVENTS),
      until: maybeDay,
      cls: fc.constantFrom(null, 'F1', 'H1B'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('R' as const),
      d: day,
      n: number,
      port: fc.constantFrom('JFK', 'MIA'),
      identity: fc.constantFrom('exact', 'exact', 'fuzzy'),
    }),
  },
);

const historyOf = (maxLength: number) =>
  fc.array(observation, { maxLength }).map((list) =>
    list.map((o, i): StayInput => {
      const id = `o${String(i).padStart(2, '0')}`;
      const date = addDays(START, o.d);
      const at = (n: number | null) => (n === null ? null : addDays(START, n));
      switch (o.k) {
        case 'A':
          return admission(id, date, {
            admissionNumber: o.n,
            classOfAdmission: o.cls,
            admitUntil: at(o.until),
            programEndDate: at(o.end),
            durationOfStatus: o.ds,
          });
        case 'D': {
          const d = departure(id, date, { admissionNumber: o.n, channel: o.ch }) as DepartureInput;
          return o.identity === 'fuzzy' ? { ...d, identity: 'fuzzy' } : d;
        }
        case 'S':
          return statusChange(id, o.change, o.event, date, {
            admissionNumber: o.n,
            newAdmitUntil: at(o.until),
            newClassOfAdmission: o.cls,
          });
        case 'R': {
          const r = arrival(id, date, { admissionNumber: o.n, port: o.port }) as ArrivalInput;
          return o.identity === 'fuzzy' ? { ...r, identity: 'fuzzy' } : r;
        }
      }
    }),
  );

const packs: [string, RulePack][] = [
  ['us', US],
  ['schengen', SCHENGEN],
];
const history = historyOf(14);
/** Long histories (frequent crossers) take the indexed path for admission numbers. */
const longHistory = historyOf(80);

/** asOf on or after every observation, so nothing is filtered out. */
const LATE = '2026-06-01';
const asOf = fc.oneof(
  fc.constant(LATE),
  day.map((d) => addDays(START, d)),
);

function checkInvariants(obs: readonly StayInput[], r: StayComputation, asOfDate: string) {
  const known = obs.filter((o) => o.date <= asOfDate);
  const byId = new Map(obs.map((o) => [o.id, o]));
  // Every admission yields exactly one stay, or is a same-day duplicate delivery cited by exactly one.
  const admissions = known.filter((o) => o.kind === 'Admission');
  const opened = r.stays.map((s) => s.admissionId);
  expect(new Set(opened).size).toBe(opened.length);
  for (const a of admissions) {
    if (opened.includes(a.id)) continue;
    const citing = r.stays.filter((s) => s.admittedOn === a.date && s.evidence.includes(a.id));
    expect(
      citing.map((s) => s.admissionId),
      `admission ${a.id} is in no stay`,
    ).toHaveLength(1);
  }
  // No departure is used by two stays, nor both used and unmatched; none is dropped.
  const used = r.stays
    .filter((s) => s.departure && !s.departure.inferred)
    .map((s) => s.departure!.observationId);
  expect(new Set(used).size).toBe(used.length);
  for (const id of used) expect(r.unmatchedDepartureIds).not.toContain(id);
  const departures = known.filter((o) => o.kind === 'Departure').map((o) => o.id);
  const cited = r.stays.flatMap((s) => s.evidence.filter((e) => departures.includes(e)));
  expect(new Set(cited).size).toBe(cited.length);
  expect([...cited, ...r.unmatchedDepartureIds].sort()).toEqual([...departures].sort());
  // Every arrival corroborates one admission within a day of it, or is unmatched; never a departure.
  const arrivals = known.filter((o) => o.kind === 'Arrival');
  const corroborating = r.stays.flatMap((s) =>
    s.evidence.filter((e) => byId.get(e)?.kind === 'Arrival').map((e) => [s, e] as const),
  );
  expect([...corroborating.map(([, e]) => e), ...r.unmatchedArrivalIds].sort()).toEqual(
    arrivals.map((o) => o.id).sort(),
  );
  for (const [s, e] of corroborating) {
    const o = byId.get(e) as ArrivalInput;
    expect(Math.abs(dayNumber(o.date) - dayNumber(s.admittedOn))).toBeLessThanOrEqual(1);
    expect(o.identity).not.toBe('fuzzy');
    expect(s.explanation).toContain(`corroborated by the arrival`);
    expect(s.departure?.observationId).not.toBe(e);
    expect(s.departureEvidence?.observationIds ?? []).not.toContain(e);
  }
  for (const s of r.stays) {
    const overstay = s.outcome === 'departed-late' || s.outcome === 'suspected-in-country-overstay';
    // daysOverstay is a positive number exactly for the two overstay outcomes.
    if (overstay) expect(s.daysOverstay).toBeGreaterThanOrEqual(1);
    else expect(s.daysOverstay).toBeNull();
    // A departed-* outcome never without a departure; departed-late only with a date.
    if (s.outcome.startsWith('departed-')) expect(s.departure).not.toBeNull();
    if (s.outcome === 'departed-late') expect(s.departure?.date).not.toBeNull();
    if (s.outcome === 'departed-date-unknown') expect(s.departure?.inferred).toBe(true);
    if (s.outcome === 'suspected-in-country-overstay' || s.outcome === 'within-period')
      expect(s.departure).toBeNull();
    // Open periods carry no end; a decided one does.
    if (
      ['extension-pending', 'status-changed', 'duration-of-status-open', 'unresolved'].includes(s.outcome)
    ) {
      expect(s.authorizedUntil).toBeNull();
    }
    if (overstay || s.outcome === 'within-period') expect(s.authorizedUntil).not.toBeNull();
    expect(s.evidence[0]).toBe(s.admissionId);
    expect(s.explanation.length).toBeGreaterThan(20);
    checkDepartureEvidence(s, byId, asOfDate);
  }
}

const WEAK = ['pending-identity-review', 'reported', 'report-lapsed'];
const REPORT_STATUSES = ['reported', 'report-contradicted', 'report-lapsed'];

/** The departure evidence of a stay agrees with its departure, outcome and evidence. */
function checkDepartureEvidence(s: Stay, byId: ReadonlyMap<string, StayInput>, asOfDate: string) {
  const strength = (id: string) => {
    const o = byId.get(id);
    return o?.kind === 'Departure' ? departureStrength(o) : null;
  };
  // Only a confirmed or an inferred departure ends a stay: never a self-report or a fuzzy match.
  if (s.departure && !s.departure.inferred) expect(strength(s.departure.observationId)).toBe('confirming');
  if (s.departure?.inferred) expect(byId.get(s.departure.observationId)?.kind).toBe('Admission');
  const ev = s.departureEvidence;
  if (s.departure) expect(ev).not.toBeNull();
  if (ev === null) {
    // No departure evidence: any departure cited predates the admission (unresolved, kept as evidence).
    for (const id of s.evidence)
      if (strength(id) !== null) expect(byId.get(id)!.date < s.admittedOn).toBe(true);
    return;
  }
  // Every observation cited is in the stay's evidence; so is the contradicting one.
  for (const id of ev.observationIds) expect(s.evidence).toContain(id);
  expect(ev.observationIds.length).toBeGreaterThan(0);
  if (ev.contradictedBy !== null) {
    expect(ev.status).toBe('report-contradicted');
    expect(ev.observationIds).toContain(ev.contradictedBy);
  }
  if (s.departure && !s.departure.inferred) expect(['confirmed', 'report-contradicted']).toContain(ev.status);
  if (s.departure?.inferred) expect(['inferred', 'report-contradicted']).toContain(ev.status);
  if (WEAK.includes(ev.status)) {
    expect(s.departure).toBeNull();
    expect(s.outcome.startsWith('departed-')).toBe(false);
  }
  const first = ev.observationIds[0]!;
  switch (ev.status) {
    case 'confirmed':
      expect(strength(first)).toBe('confirming');
      expect(ev.departureDate).toBe(byId.get(first)!.date);
      break;
    case 'inferred':
      expect(ev.observationIds).toEqual([s.departure?.observationId ?? ev.observationIds[0]]);
      expect(byId.get(first)?.kind).toBe('Admission');
      break;
    case 'pending-identity-review':
      expect(strength(first)).toBe('fuzzy');
      break;
    default:
      expect(strength(first)).toBe('report');
  }
  if (REPORT_STATUSES.includes(ev.status)) expect(ev.reportedDate).not.toBeNull();
  if (ev.status === 'report-contradicted') expect(ev.contradictedBy).not.toBeNull();
  if (ev.status === 'reported' || ev.status === 'report-lapsed') {
    const since = dayNumber(asOfDate) - dayNumber(ev.reportedDate!);
    if (ev.status === 'reported') expect(since).toBeLessThanOrEqual(REPORT_LAPSE_DAYS);
    else expect(since).toBeGreaterThan(REPORT_LAPSE_DAYS);
  }
}

/** What decides a stay's outcome: none of it may move because of weak evidence. */
const decided = (r: StayComputation) =>
  r.stays.map(({ admissionId, outcome, authorizedUntil, daysOverstay, rule, departure: d }) => ({
    admissionId,
    outcome,
    authorizedUntil,
    daysOverstay,
    rule,
    departure: d,
  }));

/** A departure with no weight of its own: a self-report or a fuzzy match, on any day, with any number. */
const weakDeparture = fc.record({
  d: day,
  n: number,
  report: fc.boolean(),
  ch: fc.constantFrom('air', 'land', 'sea'),
});

describe.each(packs)('computeStays properties (%s pack)', (_name, pack) => {
  it('input order does not change the result', () => {
    fc.assert(
      fc.property(history, asOf, fc.nat(), (obs, at, seed) => {
        const shuffled = fc.sample(
          fc.shuffledSubarray(obs, { minLength: obs.length, maxLength: obs.length }),
          {
            numRuns: 1,
            seed,
          },
        )[0]!;
        expect(computeStays(shuffled, pack, at)).toEqual(computeStays(obs, pack, at));
      }),
      { numRuns: 300 },
    );
  });

  it('every admission yields one stay; no departure is used twice or lost; outcomes and overstay days agree', () => {
    fc.assert(
      fc.property(history, asOf, (obs, at) => checkInvariants(obs, computeStays(obs, pack, at), at)),
      { numRuns: 500 },
    );
  });

  it('long histories: input order does not change the result, and the invariants hold', () => {
    fc.assert(
      fc.property(longHistory, asOf, fc.nat(), (obs, at, seed) => {
        const shuffled = fc.sample(
          fc.shuffledSubarray(obs, { minLength: obs.length, maxLength: obs.length }),
          {
            numRuns: 1,
            seed,
          },
        )[0]!;
        const r = computeStays(obs, pack, at);
        expect(computeStays(shuffled, pack, at)).toEqual(r);
        checkInvariants(obs, r, at);
      }),
      { numRuns: 100 },
    );
  });

  it('adding a self-report or a fuzzy departure never changes an outcome, period, rule or departure', () => {
    fc.assert(
      fc.property(history, asOf, weakDeparture, (obs, at, w) => {
        const date = addDays(START, w.d);
        const base = departure('zz', date, {
          admissionNumber: w.n,
          channel: w.report ? 'self-report' : w.ch,
        });
        const weak: StayInput = w.report ? base : { ...(base as DepartureInput), identity: 'fuzzy' };
        const before = computeStays(obs, pack, at);
        const after = computeStays([...obs, weak], pack, at);
        expect(decided(after)).toEqual(decided(before));
        checkInvariants([...obs, weak], after, at);
      }),
      { numRuns: 400 },
    );
  });

  it('adding an arrival never changes an outcome, period, rule or departure, nor opens a stay', () => {
    fc.assert(
      fc.property(history, asOf, day, number, (obs, at, d, n) => {
        const extra = arrival('zz', addDays(START, d), { admissionNumber: n });
        const before = computeStays(obs, pack, at);
        const after = computeStays([...obs, extra], pack, at);
        expect(decided(after)).toEqual(decided(before));
        expect(after.stays.map((s) => s.departureEvidence)).toEqual(
          before.stays.map((s) => s.departureEvidence),
        );
        expect(after.unmatchedDepartureIds).toEqual(before.unmatchedDepartureIds);
        checkInvariants([...obs, extra], after, at);
      }),
      { numRuns: 400 },
    );
  });

  it('adding a confirmed departure on the reported date never leaves a stay "reported"', () => {
    fc.assert(
      fc.property(history, asOf, fc.constantFrom('air', 'land', 'sea'), (obs, at, ch) => {
        const r = computeStays(obs, pack, at);
        for (const s of r.stays) {
          const ev = s.departureEvidence;
          if (ev?.status !== 'reported') continue;
          const report = obs.find((o) => o.id === ev.observationIds.at(-1))!;
          const confirmed = departure('zz', ev.reportedDate!, {
            admissionNumber: report.admissionNumber,
            channel: ch,
          });
          const after = computeStays([...obs, confirmed], pack, at);
          const landed = after.stays.find((x) => x.evidence.includes('zz'));
          expect(landed, 'the confirmed departure is placed on a stay').toBeDefined();
          expect(landed!.departureEvidence?.status).not.toBe('reported');
          // Without an admission number, it lands on the reported stay and confirms the report.
          if (report.admissionNumber === null) {
            expect(landed!.admissionId).toBe(s.admissionId);
            expect(landed!.departureEvidence).toMatchObject({
              status: 'confirmed',
              reportedDate: ev.reportedDate,
            });
          }
          const stay = after.stays.find((x) => x.admissionId === s.admissionId)!;
          expect(stay.departureEvidence?.status).not.toBe('reported');
          checkInvariants([...obs, confirmed], after, at);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic and does not modify its input', () => {
    fc.assert(
      fc.property(history, (obs) => {
        const copy = structuredClone(obs);
        const a = computeStays(obs, pack, LATE);
        expect(obs).toEqual(copy);
        expect(computeStays(obs, pack, LATE)).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });
});

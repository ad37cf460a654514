import type {
  DepartureChannel,
  StatusChangeEvent,
  StatusChangeType,
} from '../core/observation/observation.js';
import { addMonths } from './calendar.js';
import type { NationalityProfile } from './nationalities.js';
import {
  AIR_PORTS,
  LAND_PORTS,
  NORTH_LAND_PORTS,
  SEA_CARRIERS,
  SEA_PORTS,
  SOUTH_LAND_PORTS,
  US_CARRIERS,
} from './ports.js';
import type { Rng } from './prng.js';
import {
  baseAuthorizedUntil,
  DURATION_OF_STATUS_CLASSES,
  EXTENDABLE_CLASSES,
  printedAdmitUntil,
  STATUS_CHANGEABLE_CLASSES,
  type ClassOfAdmission,
} from './us-stay-rules.js';

/** What the generator intends for a stay; the truth is then computed from what was recorded. */
export const SCENARIOS = [
  'departed-on-time',
  'departed-late',
  'no-departure',
  'extension-granted',
  'extension-denied',
  'extension-filed-late',
  'extension-pending',
  'adjustment-granted',
  'change-of-status-granted',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface ScenarioRate {
  readonly rate: number;
  readonly appliesTo: string;
  readonly description: string;
}

/** Per-stay intent rates; whatever is left over departs on time. */
export const SCENARIO_RATES: Readonly<Record<Exclude<Scenario, 'departed-on-time'>, ScenarioRate>> = {
  'departed-late': {
    rate: 0.02,
    appliesTo: 'stays with an end date',
    description:
      'Leaves 1-400 days after the authorized period (out-of-country overstay): 60 % within 30 days, 30 % 31-180, 10 % 181-400.',
  },
  'no-departure': {
    rate: 0.015,
    appliesTo: 'stays with an end date',
    description: 'Never leaves: a suspected in-country overstay once the period has ended by asOf.',
  },
  'extension-granted': {
    rate: 0.015,
    appliesTo: 'B1, B2, H1B, L1, TN',
    description:
      'Files 5-60 days before the end, granted 20-150 days later with a new admit-until 3-6 months on; then 92 % leave in time, 5 % late, 3 % stay.',
  },
  'extension-denied': {
    rate: 0.004,
    appliesTo: 'B1, B2, H1B, L1, TN',
    description:
      'Files 5-60 days before the end, denied 1-120 days after it; the period ends on the denial date. 30 % leave that day, 50 % 1-60 days later (late), 20 % stay.',
  },
  'extension-filed-late': {
    rate: 0.003,
    appliesTo: 'B1, B2, H1B, L1, TN',
    description: 'Files 1-60 days after the end (stops nothing); half leave 10-120 days later, half stay.',
  },
  'extension-pending': {
    rate: 0.004,
    appliesTo: 'B1, B2, H1B, L1, TN',
    description:
      'Files 5-60 days before the end and is still waiting at asOf (no departure): extension pending once the period has ended, within period before that.',
  },
  'adjustment-granted': {
    rate: 0.004,
    appliesTo: 'every class (x5 for H1B and L1)',
    description:
      'Files for permanent residence while in status, granted 30-400 days later, by asOf; no departure.',
  },
  'change-of-status-granted': {
    rate: 0.003,
    appliesTo: 'every class but WT and WB',
    description:
      'Files for a change of status (to H1B; from H1B to L1) while in status, granted 30-400 days later, by asOf, with a new admit-until 3 years after the grant: a new period, so the stay is within period at asOf; no departure.',
  },
};

/** Population traits and travel habits that are not outcome intents. */
export const POPULATION_RATES = {
  visitsPerPerson: { 1: 0.6, 2: 0.28, 3: 0.12 },
  twins: 0.002,
  januaryFirstBirthDate: 0.005,
  sexX: 0.008,
  twoGivenNames: 0.15,
  reentryWithoutRecordedDeparture: 0.05,
  passportRenewalDuringStay: 0.25,
  f1WithoutProgramEnd: 0.2,
  departureCarriesAdmissionNumber: 0.5,
  landAdmissionForNeighbours: 0.45,
  twinsTravellingTogether: 0.5,
} as const;

export interface PlannedStatusEvent {
  readonly change: StatusChangeType;
  readonly event: StatusChangeEvent;
  readonly date: number;
  readonly newAdmitUntil: number | null;
  readonly newClassOfAdmission: string | null;
}

export interface PlannedDeparture {
  readonly date: number;
  readonly channel: Extract<DepartureChannel, 'air' | 'sea' | 'land'>;
  readonly port: string;
  readonly carrier: string | null;
  readonly flight: string | null;
  readonly carriesAdmissionNumber: boolean;
}

export interface StayPlan {
  readonly scenario: Scenario;
  readonly classOfAdmission: ClassOfAdmission;
  readonly admittedOn: number;
  readonly port: string;
  /** Printed on the record; null for Visa Waiver and D/S. */
  readonly admitUntil: number | null;
  readonly durationOfStatus: boolean;
  readonly programEnd: number | null;
  /** Every planned status event, including any after asOf (the generator records only those up to it). */
  readonly statusEvents: readonly PlannedStatusEvent[];
  /** The true departure; null when the person stays. May lie after asOf (then it is not recorded). */
  readonly departure: PlannedDeparture | null;
}

function lateDays(rng: Rng): number {
  const r = rng.next();
  return r < 0.6 ? rng.int(1, 30) : r < 0.9 ? rng.int(31, 180) : rng.int(181, 400);
}

/** A departure within the authorized period, in the shape real stays have for the class. */
function onTimeDate(
  rng: Rng,
  cls: ClassOfAdmission,
  admittedOn: number,
  until: number | null,
  programEnd: number | null,
): number | null {
  if (DURATION_OF_STATUS_CLASSES.has(cls)) {
    if (programEnd === null) return rng.chance(0.4) ? admittedOn + rng.int(120, 1400) : null;
    // Most students leave after the programme ends, within the grace period.
    if (until !== null && rng.chance(0.85)) return rng.int(programEnd + 1, until);
    return rng.int(Math.min(admittedOn + 30, programEnd), programEnd);
  }
  const max = Math.max(1, (until ?? admittedOn + 90) - admittedOn);
  if (cls === 'H1B' || cls === 'L1' || cls === 'TN') return admittedOn + rng.int(Math.min(14, max), max);
  const r = rng.next();
  const length = r < 0.6 ? rng.int(3, 21) : r < 0.9 ? rng.int(22, 90) : rng.int(91, 200);
  return admittedOn + Math.min(length, max);
}

/** How and where a person leaves: by the border they came over, or by air, sometimes by sea. */
export function planDeparture(
  rng: Rng,
  nationality: NationalityProfile,
  admittedByLand: boolean,
  date: number,
): PlannedDeparture {
  const r = rng.next();
  const channel: PlannedDeparture['channel'] = admittedByLand
    ? r < 0.8
      ? 'land'
      : 'air'
    : r < 0.88
      ? 'air'
      : r < 0.92
        ? 'sea'
        : 'land';
  if (channel === 'land') {
    const ports =
      nationality.border === 'south'
        ? SOUTH_LAND_PORTS
        : nationality.border === 'north'
          ? NORTH_LAND_PORTS
          : LAND_PORTS;
    return {
      date,
      channel,
      port: rng.pick(ports),
      carrier: null,
      flight: null,
      carriesAdmissionNumber: false,
    };
  }
  const carriesAdmissionNumber = rng.chance(POPULATION_RATES.departureCarriesAdmissionNumber);
  if (channel === 'sea') {
    return {
      date,
      channel,
      port: rng.pick(SEA_PORTS),
      carrier: rng.pick(SEA_CARRIERS),
      flight: null,
      carriesAdmissionNumber,
    };
  }
  const carrier =
    nationality.carriers.length > 0 && rng.chance(0.45)
      ? rng.pick(nationality.carriers)
      : rng.pick(US_CARRIERS);
  return {
    date,
    channel,
    port: rng.pick(AIR_PORTS),
    carrier,
    flight: `${carrier}${rng.int(1, 2999)}`,
    carriesAdmissionNumber,
  };
}

/** Draws the intent for one stay. Written without closures: it runs once per stay. */
function pickScenario(rng: Rng, cls: ClassOfAdmission, until: number | null): Scenario {
  const u = rng.next();
  let acc = 0;
  if (until !== null) {
    acc += SCENARIO_RATES['departed-late'].rate;
    if (u < acc) return 'departed-late';
    acc += SCENARIO_RATES['no-departure'].rate;
    if (u < acc) return 'no-departure';
  }
  if (EXTENDABLE_CLASSES.has(cls)) {
    for (const s of EXTENSION_SCENARIOS) {
      acc += SCENARIO_RATES[s].rate;
      if (u < acc) return s;
    }
  }
  acc += SCENARIO_RATES['adjustment-granted'].rate * (cls === 'H1B' || cls === 'L1' ? 5 : 1);
  if (u < acc) return 'adjustment-granted';
  if (STATUS_CHANGEABLE_CLASSES.has(cls)) {
    acc += SCENARIO_RATES['change-of-status-granted'].rate;
    if (u < acc) return 'change-of-status-granted';
  }
  return 'departed-on-time';
}

const EXTENSION_SCENARIOS = [
  'extension-granted',
  'extension-denied',
  'extension-filed-late',
  'extension-pending',
] as const;

function filing(change: StatusChangeType, date: number): PlannedStatusEvent {
  return { change, event: 'filed', date, newAdmitUntil: null, newClassOfAdmission: null };
}

/** A filing 5-60 days before the period ends (never before the day after admission). */
function timelyFiling(rng: Rng, admittedOn: number, until: number): number {
  return Math.max(admittedOn + 1, until - rng.int(5, 60));
}

export interface StayRequest {
  readonly classOfAdmission: ClassOfAdmission;
  readonly admittedOn: number;
  readonly port: string;
  readonly admittedByLand: boolean;
  readonly nationality: NationalityProfile;
  readonly asOf: number;
}

/** Plans one stay: its printed terms, its intended scenario, its status events and its departure. */
export function planStay(rng: Rng, request: StayRequest): StayPlan {
  const { classOfAdmission: cls, admittedOn, asOf } = request;
  const durationOfStatus = DURATION_OF_STATUS_CLASSES.has(cls);
  let programEnd: number | null = null;
  if (cls === 'F1' && !rng.chance(POPULATION_RATES.f1WithoutProgramEnd)) {
    const years = rng.pick([1, 2, 2, 4, 4]);
    programEnd = admittedOn + years * 365 - rng.int(20, 100);
  } else if (cls === 'J1') {
    programEnd = admittedOn + rng.int(90, 730);
  }
  const admitUntil = printedAdmitUntil(cls, admittedOn, rng.int(1, 3));
  const until = baseAuthorizedUntil(cls, admittedOn, admitUntil, programEnd);

  let scenario = pickScenario(rng, cls, until);
  const events: PlannedStatusEvent[] = [];
  let departureDate: number | null = null;

  switch (scenario) {
    case 'departed-late':
      departureDate = until! + lateDays(rng);
      break;
    case 'no-departure':
      break;
    case 'extension-granted': {
      const f = timelyFiling(rng, admittedOn, until!);
      const newUntil = addMonths(until!, rng.int(3, 6));
      const decision = f + rng.int(20, Math.max(20, Math.min(150, newUntil - f - 10)));
      events.push(filing('extension', f));
      events.push({
        change: 'extension',
        event: 'granted',
        date: decision,
        newAdmitUntil: newUntil,
        newClassOfAdmission: null,
      });
      const r = rng.next();
      if (r < 0.92) departureDate = rng.int(decision + 1, Math.max(decision + 1, newUntil));
      else if (r < 0.97) departureDate = Math.max(decision, newUntil) + lateDays(rng);
      break;
    }
    case 'extension-denied': {
      const f = timelyFiling(rng, admittedOn, until!);
      const decision = until! + rng.int(1, 120);
      events.push(filing('extension', f));
      events.push({
        change: 'extension',
        event: 'denied',
        date: decision,
        newAdmitUntil: null,
        newClassOfAdmission: null,
      });
      const r = rng.next();
      if (r < 0.3) departureDate = decision;
      else if (r < 0.8) departureDate = decision + rng.int(1, 60);
      break;
    }
    case 'extension-filed-late': {
      const f = until! + rng.int(1, 60);
      events.push(filing('extension', f));
      if (rng.chance(0.5)) departureDate = f + rng.int(10, 120);
      break;
    }
    case 'extension-pending':
      events.push(filing('extension', timelyFiling(rng, admittedOn, until!)));
      break;
    case 'adjustment-granted':
    case 'change-of-status-granted': {
      // Filed while in status and decided by asOf, so the truth never hinges on a pending application.
      const lo = admittedOn + 10;
      const hi = Math.min(until ?? Number.MAX_SAFE_INTEGER, asOf - 31);
      if (hi < lo) {
        scenario = 'departed-on-time';
        departureDate = onTimeDate(rng, cls, admittedOn, until, programEnd);
        break;
      }
      const f = rng.int(lo, hi);
      const granted = rng.int(f + 30, Math.min(f + 400, asOf));
      if (scenario === 'adjustment-granted') {
        events.push(filing('adjustment-to-permanent-residence', f));
        events.push({
          change: 'adjustment-to-permanent-residence',
          event: 'granted',
          date: granted,
          newAdmitUntil: null,
          newClassOfAdmission: null,
        });
      } else {
        events.push(filing('change-of-status', f));
        events.push({
          change: 'change-of-status',
          event: 'granted',
          date: granted,
          newAdmitUntil: addMonths(granted, 36),
          newClassOfAdmission: cls === 'H1B' ? 'L1' : 'H1B',
        });
      }
      break;
    }
    case 'departed-on-time':
      departureDate = onTimeDate(rng, cls, admittedOn, until, programEnd);
      break;
  }

  return {
    scenario,
    classOfAdmission: cls,
    admittedOn,
    port: request.port,
    admitUntil,
    durationOfStatus,
    programEnd,
    statusEvents: events,
    departure:
      departureDate === null
        ? null
        : planDeparture(rng, request.nationality, request.admittedByLand, departureDate),
  };
}

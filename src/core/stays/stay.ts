import type { DepartureChannel, IsoDate } from '../observation/observation.js';

/**
 * The outcome of one stay, as of a date. Vocabulary follows the DHS Entry/Exit Overstay Report:
 * an out-of-country overstay left after the authorized period; a suspected in-country overstay has
 * no departure record after it ended.
 */
export const STAY_OUTCOMES = [
  'departed-on-time',
  'departed-late',
  'suspected-in-country-overstay',
  'within-period',
  'extension-pending',
  'status-changed',
  'duration-of-status-open',
  'departed-date-unknown',
  'unresolved',
] as const;
export type StayOutcome = (typeof STAY_OUTCOMES)[number];

export interface StayDeparture {
  /** The Departure observation, or for an inferred departure the later Admission that proves it. */
  readonly observationId: string;
  /** Null for an inferred departure: we know the person left before re-entering, not when. */
  readonly date: IsoDate | null;
  readonly channel: DepartureChannel | null;
  readonly inferred: boolean;
}

export interface Stay {
  /** The Admission observation that opened the stay. */
  readonly admissionId: string;
  readonly admittedOn: IsoDate;
  readonly classOfAdmission: string;
  readonly port: string;
  readonly nationality: string | null;
  /**
   * The last day of the authorized period after extensions, changes and rule-pack limits;
   * null when the period is open (duration of status without an end, a pending timely filing).
   */
  readonly authorizedUntil: IsoDate | null;
  readonly departure: StayDeparture | null;
  readonly outcome: StayOutcome;
  /** Days beyond the authorized period: at departure, or so far as of the computation date. */
  readonly daysOverstay: number | null;
  /** Id of the rule that decided the outcome, e.g. `us.admit-until` (see the rule pack). */
  readonly rule: string;
  /** One plain sentence a reviewer can read: why this outcome. */
  readonly explanation: string;
  /** Every observation id this stay used, for drill-down to the evidence. */
  readonly evidence: readonly string[];
}

export interface StayComputation {
  readonly stays: readonly Stay[];
  /** Departures that match no admission: kept and shown, never dropped. */
  readonly unmatchedDepartureIds: readonly string[];
}

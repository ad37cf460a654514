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

/**
 * How strong the departure evidence of a stay is (docs/rules.md, "Departure evidence"), strongest first.
 * Only `confirmed` and `inferred` end a stay for its outcome; the others are shown, never counted:
 * - `confirmed`: a departure record (carrier manifest of a boarded passenger, a partner country's
 *   entry record, a removal) matched to the person exactly; with a self-report it corroborates, both cited;
 * - `inferred`: a later admission proves the person left, not when;
 * - `pending-identity-review`: a departure record matched to the person only by the linkage model;
 * - `reported`: the person reported a departure that no record confirms yet;
 * - `report-contradicted`: a record places the person in the country after the date they reported
 *   (shown even when a confirmed or inferred departure ends the stay: the outcome comes from that one);
 * - `report-lapsed`: a report that nothing confirmed or contradicted within 30 days of its date.
 */
export const DEPARTURE_EVIDENCE_STATUSES = [
  'confirmed',
  'inferred',
  'pending-identity-review',
  'reported',
  'report-contradicted',
  'report-lapsed',
] as const;
export type DepartureEvidenceStatus = (typeof DEPARTURE_EVIDENCE_STATUSES)[number];

export interface DepartureEvidence {
  readonly status: DepartureEvidenceStatus;
  /**
   * Rule id of the status: `departure.confirmed`, the pack's inferred-departure rule (e.g.
   * `us.inferred-departure`), `departure.pending-identity-review`, `departure.reported`,
   * `departure.report-contradicted`, `departure.report-lapsed`.
   */
  readonly rule: string;
  /**
   * The observations the status rests on, all in the stay's `evidence`: the confirming departure
   * records then the self-reports they corroborate (`confirmed`); the later admission (`inferred`); the
   * fuzzily matched records then any self-report within the window of one (`pending-identity-review`);
   * the self-reports (`reported`, `report-lapsed`); the report then the observation contradicting it
   * (`report-contradicted`).
   */
  readonly observationIds: readonly string[];
  /** Date of the first departure record cited (confirmed, fuzzily matched, or contradicting); else null. */
  readonly departureDate: IsoDate | null;
  /**
   * The departure date the person reported, when a self-report is part of the status: the corroborated
   * report (`confirmed`), the latest report (`reported`, `report-lapsed`), the contradicted one, or one
   * within the window of a fuzzily matched record. Null otherwise.
   */
  readonly reportedDate: IsoDate | null;
  /** For `report-contradicted`: the observation that places the person in the country after the report. */
  readonly contradictedBy: string | null;
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
  /**
   * The departure that ends the stay: a confirmed record or an inferred one. Never a self-report or a
   * fuzzily matched record (see `departureEvidence`).
   */
  readonly departure: StayDeparture | null;
  /** The strongest departure evidence of the stay, whether or not it ends it; null when there is none. */
  readonly departureEvidence: DepartureEvidence | null;
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
  /**
   * Arrival records that corroborate no admission (none of the person within a day of them, an invalid
   * date, or placed on the person by the linkage model only): kept on the timeline, never a stay.
   */
  readonly unmatchedArrivalIds: readonly string[];
}

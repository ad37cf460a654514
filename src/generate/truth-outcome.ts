import type { StatusChangeEvent, StatusChangeType } from '../core/observation/observation.js';
import type { StayOutcome } from '../core/stays/stay.js';
import { baseAuthorizedUntil } from './us-stay-rules.js';

/**
 * The generator's own statement of a stay's outcome as of a date, from the facts it recorded. It is
 * written independently of the stays engine (which the truth files are there to check), and follows
 * the US semantics in docs/generator.md:
 *
 * - the authorized period ends on the printed admit-until date; Visa Waiver: admission + 90 days;
 *   D/S with a programme end: the end + grace (F1 60, J1 30); D/S without one: open;
 * - an extension or change of status filed on or before the last authorized day is timely and stops
 *   the clock while it is pending (the stay is `extension-pending` once the period has ended);
 *   granted, the new admit-until date replaces the old one; denied, the period ends on the denial
 *   date (if later) and overstay counts from the next day. A late filing changes nothing;
 * - a granted adjustment to permanent residence ends the stay as `status-changed`;
 * - a departure on or before the last authorized day is on time, after it late by the difference;
 * - with no departure record but a later admission, the departure is inferred: on time when that
 *   admission is on or before the last authorized day + 1, otherwise its date is unknown.
 *
 * `daysOverstay` is set only where there is an overstay to count (departed late, suspected in-country
 * overstay); it is null otherwise, as in the Stay type.
 */
export interface StayFacts {
  readonly classOfAdmission: string;
  readonly admittedOn: number;
  readonly admitUntil: number | null;
  readonly programEnd: number | null;
  /** Recorded status events of this stay, on or before asOf, in date order. */
  readonly statusEvents: readonly {
    readonly change: StatusChangeType;
    readonly event: StatusChangeEvent;
    readonly date: number;
    readonly newAdmitUntil: number | null;
  }[];
  /** The recorded departure date, if a departure was recorded on or before asOf. */
  readonly departedOn: number | null;
  /** The person's next admission, when there is one and this stay's departure was not recorded. */
  readonly nextAdmission: number | null;
  readonly asOf: number;
}

export interface TruthOutcome {
  readonly authorizedUntil: number | null;
  readonly departedOn: number | null;
  readonly departureInferred: boolean;
  readonly outcome: StayOutcome;
  readonly daysOverstay: number | null;
}

function result(
  authorizedUntil: number | null,
  departedOn: number | null,
  departureInferred: boolean,
  outcome: StayOutcome,
  daysOverstay: number | null,
): TruthOutcome {
  return { authorizedUntil, departedOn, departureInferred, outcome, daysOverstay };
}

export function truthOutcome(facts: StayFacts): TruthOutcome {
  let authorizedUntil = baseAuthorizedUntil(
    facts.classOfAdmission,
    facts.admittedOn,
    facts.admitUntil,
    facts.programEnd,
  );
  let timelyPending = false;
  for (const e of facts.statusEvents) {
    if (e.event === 'filed') {
      if (authorizedUntil !== null && e.date <= authorizedUntil) timelyPending = true;
      continue;
    }
    if (e.event === 'granted' && e.change === 'adjustment-to-permanent-residence') {
      return result(null, null, false, 'status-changed', null);
    }
    if (e.event === 'granted') {
      if (e.newAdmitUntil !== null) authorizedUntil = e.newAdmitUntil;
      timelyPending = false;
    } else if (timelyPending) {
      // Denied after a timely filing: the authorized period runs to the denial date.
      if (authorizedUntil === null || e.date > authorizedUntil) authorizedUntil = e.date;
      timelyPending = false;
    }
  }

  const departedOn = facts.departedOn;
  if (departedOn !== null) {
    const late = authorizedUntil === null ? 0 : departedOn - authorizedUntil;
    if (late <= 0) return result(authorizedUntil, departedOn, false, 'departed-on-time', null);
    // Left after the period but while a timely filing was pending: authorized to the end.
    if (timelyPending) return result(null, departedOn, false, 'departed-on-time', null);
    return result(authorizedUntil, departedOn, false, 'departed-late', late);
  }
  const next = facts.nextAdmission;
  if (next !== null) {
    if (authorizedUntil === null || next <= authorizedUntil + 1)
      return result(authorizedUntil, null, true, 'departed-on-time', null);
    if (timelyPending) return result(null, null, true, 'departed-on-time', null);
    return result(authorizedUntil, null, true, 'departed-date-unknown', null);
  }
  if (authorizedUntil === null) {
    return result(null, null, false, timelyPending ? 'extension-pending' : 'duration-of-status-open', null);
  }
  if (facts.asOf <= authorizedUntil) return result(authorizedUntil, null, false, 'within-period', null);
  if (timelyPending) return result(null, null, false, 'extension-pending', null);
  return result(authorizedUntil, null, false, 'suspected-in-country-overstay', facts.asOf - authorizedUntil);
}

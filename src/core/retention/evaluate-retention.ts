import type { IsoDate } from '../observation/observation.js';
import { dayNumber } from '../stays/dates.js';
import { ruleFor, type PersonRuleEvent, type RetentionRules } from './retention-rules.js';

/**
 * `iso` plus whole years, on the same month and day; 29 February in a year without one becomes
 * 1 March (the later day: a record is never erased early).
 */
export function addYears(iso: IsoDate, years: number): IsoDate {
  const y = Number(iso.slice(0, 4)) + years;
  const md = iso.slice(5);
  const candidate = `${String(y).padStart(4, '0')}-${md}`;
  return md === '02-29' && Number.isNaN(dayNumber(candidate))
    ? `${String(y).padStart(4, '0')}-03-01`
    : candidate;
}

const later = (a: IsoDate, b: IsoDate | null): IsoDate => (b !== null && b > a ? b : a);

/** What the retention clock of one person reads: their last stay, their newest fact, and any hold. */
export interface PersonRetentionFacts {
  readonly personId: string;
  /** The newest event date among the person's current (not superseded) facts; null: none. */
  readonly latestFact: IsoDate | null;
  /** The stay with the latest admission; null when the person's facts open no stay. */
  readonly lastStay: {
    readonly authorizedUntil: IsoDate | null;
    /** The departure that closed it (for an inferred departure: the re-entry that proves it). */
    readonly departedOn: IsoDate | null;
  } | null;
  /** An active legal hold covers the person or one of their records. */
  readonly held: boolean;
}

export type KeptReason =
  /** Due, but a legal hold blocks the erasure. */
  | 'held'
  /** A rule applies; its period has not run out yet. */
  | 'not-yet-due'
  /** The clock has not started: the last stay has no end (open duration of status, a pending filing, a
   *  change to permanent status), or the quarantine entry still waits for a fix. */
  | 'clock-not-started'
  /** No rule in the file covers the situation. */
  | 'no-rule';

export type RetentionDecision =
  | { readonly erase: true; readonly rule: string; readonly anchor: IsoDate; readonly dueOn: IsoDate }
  | {
      readonly erase: false;
      readonly reason: KeptReason;
      readonly rule: string | null;
      readonly dueOn: IsoDate | null;
    };

function decide(
  rules: RetentionRules,
  category: 'person-facts' | 'quarantine',
  event: string,
  anchor: IsoDate,
  held: boolean,
  asOf: IsoDate,
): RetentionDecision {
  const rule =
    category === 'quarantine'
      ? ruleFor(rules, 'quarantine', 'resolved')
      : ruleFor(rules, 'person-facts', event as PersonRuleEvent);
  if (!rule) return { erase: false, reason: 'no-rule', rule: null, dueOn: null };
  const dueOn = addYears(anchor, rule.years);
  if (dueOn > asOf) return { erase: false, reason: 'not-yet-due', rule: rule.id, dueOn };
  if (held) return { erase: false, reason: 'held', rule: rule.id, dueOn };
  return { erase: true, rule: rule.id, anchor, dueOn };
}

/**
 * Whether a person's facts are erased as of a day. The clock runs from the event that closed their last
 * stay (its departure; else the end of its authorized period; with no stay at all, their newest fact),
 * and never from earlier than their newest fact: a later record restarts it. A stay without an end keeps
 * everything. A legal hold keeps a person who is due.
 */
export function evaluatePerson(
  f: PersonRetentionFacts,
  rules: RetentionRules,
  asOf: IsoDate,
): RetentionDecision {
  const stay = f.lastStay;
  if (stay === null) {
    if (f.latestFact === null) return { erase: false, reason: 'no-rule', rule: null, dueOn: null };
    return decide(rules, 'person-facts', 'no-stay', f.latestFact, f.held, asOf);
  }
  if (stay.departedOn !== null)
    return decide(rules, 'person-facts', 'departed', later(stay.departedOn, f.latestFact), f.held, asOf);
  if (stay.authorizedUntil !== null)
    return decide(
      rules,
      'person-facts',
      'no-departure-recorded',
      later(stay.authorizedUntil, f.latestFact),
      f.held,
      asOf,
    );
  return { erase: false, reason: 'clock-not-started', rule: null, dueOn: null };
}

export interface QuarantineRetentionFacts {
  readonly id: string;
  /** open, resubmitted or discarded. */
  readonly status: string;
  /** The day it was resolved (UTC); null while open. */
  readonly resolvedOn: IsoDate | null;
  /** An active legal hold names its source record. */
  readonly held: boolean;
}

/** Whether a quarantine entry is erased as of a day: open entries wait for a fix and are always kept. */
export function evaluateQuarantine(
  q: QuarantineRetentionFacts,
  rules: RetentionRules,
  asOf: IsoDate,
): RetentionDecision {
  if (q.status === 'open' || q.resolvedOn === null)
    return { erase: false, reason: 'clock-not-started', rule: null, dueOn: null };
  return decide(rules, 'quarantine', 'resolved', q.resolvedOn, q.held, asOf);
}

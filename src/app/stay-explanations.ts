import { computeStays } from '../core/stays/compute-stays.js';
import type { RulePack } from '../core/stays/rule-pack.js';
import { fromStayFacts } from '../core/stays/stay-facts.js';
import type { DepartureEvidence, Stay } from '../core/stays/stay.js';

/** A stored stay: the decision as the stay table keeps it (ADR 16). */
export interface StoredStayRow {
  readonly seq: number;
  readonly admissionId: string;
  readonly authorizedUntil: string | null;
  readonly departedOn: string | null;
  readonly departureObservationId: string | null;
  readonly outcome: string;
  readonly daysOverstay: number | null;
  readonly rule: string;
  /** The as-of day the stay was judged on. */
  readonly judgedOn: string;
}

/** A current (not superseded) fact of the person in its stay-facts projection. */
export interface PersonFact {
  readonly id: string;
  readonly facts: string;
  /** How the observation reached its person: 'fuzzy' (the linkage model) or 'exact'. */
  readonly identity: string;
}

export interface StayExplanation {
  readonly explanation: string;
  readonly departureEvidence: DepartureEvidence | null;
}

/**
 * The explanation and departure evidence of each stored stay, derived again from the person's current
 * facts by the same pure function as of the day the stay was judged on. Stays are not stored with their
 * prose (ADR 16): a million stays would carry 400 MB of sentences that only the person page reads.
 *
 * Derivation is deterministic, so it reproduces the stored decision unless the person's facts or the rule
 * pack changed after the stay was judged (an import between writing a fact and recomputing its person's
 * stays, an erasure). Then the derived stay would explain a different decision than the one stored, so it
 * is not shown: the explanation says that the stay is being judged again, and no evidence is claimed.
 */
export function explainStoredStays(
  stored: readonly StoredStayRow[],
  facts: readonly PersonFact[],
  pack: RulePack,
): StayExplanation[] {
  const inputs = facts.map((f) => fromStayFacts(f.id, f.facts, f.identity === 'fuzzy' ? 'fuzzy' : undefined));
  const derivedOn = new Map<string, readonly Stay[]>(); // one computation per judging day (normally one)
  return stored.map((row) => {
    let stays = derivedOn.get(row.judgedOn);
    if (stays === undefined) {
      stays = computeStays(inputs, pack, row.judgedOn).stays;
      derivedOn.set(row.judgedOn, stays);
    }
    const derived = stays[row.seq];
    return derived !== undefined && sameDecision(row, derived)
      ? { explanation: derived.explanation, departureEvidence: derived.departureEvidence }
      : {
          explanation: `Judged on ${row.judgedOn}; the person's records have changed since, and this stay is being judged again.`,
          departureEvidence: null,
        };
  });
}

function sameDecision(row: StoredStayRow, stay: Stay): boolean {
  return (
    stay.admissionId === row.admissionId &&
    stay.outcome === row.outcome &&
    stay.rule === row.rule &&
    stay.authorizedUntil === row.authorizedUntil &&
    stay.daysOverstay === row.daysOverstay &&
    (stay.departure?.date ?? null) === row.departedOn &&
    (stay.departure?.observationId ?? null) === row.departureObservationId
  );
}

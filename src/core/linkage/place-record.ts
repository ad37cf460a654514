/** How sure the model must be: link at or above `link`; between `review` and `link`, a person decides. */
export interface PlacementThresholds {
  readonly link: number;
  readonly review: number;
}

export const DEFAULT_THRESHOLDS: PlacementThresholds = { link: 0.95, review: 0.2 };

export interface CandidateScore {
  readonly personId: string;
  readonly probability: number;
  /** True when the record must not join this person (two documents of one issuer, a reviewer's "different"). */
  readonly conflict: boolean;
}

export type Placement =
  | { readonly kind: 'link'; readonly candidate: CandidateScore }
  | { readonly kind: 'review'; readonly candidates: readonly CandidateScore[] }
  | { readonly kind: 'new' };

/** At most this many candidates of one record go to review: the reviewer compares them side by side. */
const REVIEW_CANDIDATES = 3;

/**
 * Where a record goes, given its candidates' scores. Exactly one candidate at or above the link
 * threshold, with nothing against it: linked to it. Otherwise, if any candidate reaches the uncertain band: a new person,
 * and a review of the best candidates, because the model must not pick between people on a guess. That
 * includes several candidates above the threshold, and a conflicting candidate (a renewed passport and a
 * namesake look alike: only a person can tell them apart). Nothing in the band: a new person.
 */
export function placeRecord(candidates: readonly CandidateScore[], t: PlacementThresholds): Placement {
  // Equal scores: the older person (lower id) first, so the order never depends on how candidates were found.
  const sorted = [...candidates].sort((a, b) => b.probability - a.probability || olderFirst(a, b));
  const above = sorted.filter((c) => c.probability >= t.link);
  if (above.length === 1 && !above[0]!.conflict) return { kind: 'link', candidate: above[0]! };
  const uncertain = sorted.filter((c) => c.probability >= t.review);
  if (uncertain.length > 0) return { kind: 'review', candidates: uncertain.slice(0, REVIEW_CANDIDATES) };
  return { kind: 'new' };
}

const olderFirst = (a: CandidateScore, b: CandidateScore) =>
  a.personId.length - b.personId.length || (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0);

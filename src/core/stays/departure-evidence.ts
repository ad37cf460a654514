import type { IsoDate } from '../observation/observation.js';
import type { DepartureInput } from './stay-input.js';
import type { DepartureEvidence } from './stay.js';

/**
 * How strong each kind of departure evidence is (docs/rules.md, "Departure evidence"). Only a departure
 * record matched exactly (a carrier manifest of a boarded passenger, a partner country's entry record, a
 * removal) or a later admission ends a stay. A record the linkage model placed on the person waits for a
 * person to confirm the identity; a self-report is the person's word, confirmed only by a record
 * (PRODUCT.md: a living person must not be marked departed on one uncorroborated source).
 */

/**
 * A self-report and a departure record at most this many days apart are one departure (the record
 * corroborates the report). In-country evidence more than this many days after the reported date
 * contradicts the report: people misremember by a few days, and a filing is dated when it is received.
 */
export const REPORT_WINDOW_DAYS = 7;

/** A report that nothing corroborated or contradicted lapses once its date is more than this many days before as-of. */
export const REPORT_LAPSE_DAYS = 30;

/**
 * Rule ids of the departure-evidence statuses. They come from no law but from the product's rule on
 * evidence; an inferred departure shows its rule pack's rule (e.g. `us.inferred-departure`) instead.
 */
export const DEPARTURE_EVIDENCE_RULES = {
  confirmed: 'departure.confirmed',
  pendingIdentityReview: 'departure.pending-identity-review',
  reported: 'departure.reported',
  reportContradicted: 'departure.report-contradicted',
  reportLapsed: 'departure.report-lapsed',
} as const;

/** `confirming`: ends a stay; `fuzzy`: matched by the linkage model only; `report`: the person's own report. */
export type DepartureStrength = 'confirming' | 'fuzzy' | 'report';

/** A self-report is a report whatever its identity match; any other channel confirms when matched exactly. */
export function departureStrength(d: Pick<DepartureInput, 'channel' | 'identity'>): DepartureStrength {
  if (d.channel === 'self-report') return 'report';
  return d.identity === 'fuzzy' ? 'fuzzy' : 'confirming';
}

/** An observation as the engine holds it: `day` is the day number of `o.date`. */
export interface Dated {
  readonly o: { readonly id: string; readonly date: IsoDate };
  readonly day: number;
}

/** Evidence that the person was in the country on its day, e.g. "the extension of stay filed". */
export interface InCountry extends Dated {
  readonly what: string;
}

/** The departure evidence of one stay. Every list is sorted by day, then id. */
export interface EvidenceFacts {
  /** Departure records matched exactly (not self-reports). */
  readonly confirming: readonly Dated[];
  readonly fuzzy: readonly Dated[];
  readonly reports: readonly Dated[];
  /** Other in-country evidence of the stay (filings); read only when there are reports. */
  readonly inCountry: readonly InCountry[];
  /** The next admission, which proves an earlier departure. */
  readonly laterAdmission: Dated | null;
  /** Rule id shown for an inferred departure (the pack's). */
  readonly inferredRule: string;
  readonly asOfDay: number;
}

export interface Weighed {
  readonly evidence: DepartureEvidence | null;
  /** Clauses for the stay's explanation ('' when there is nothing to add to what the outcome says). */
  readonly note: string;
}

const NOTHING: Weighed = { evidence: null, note: '' };

const earlier = (x: Dated, y: Dated) => x.day < y.day || (x.day === y.day && x.o.id < y.o.id);

function first<T extends Dated>(list: readonly T[], test: (d: T) => boolean): T | null {
  for (const d of list) if (test(d)) return d;
  return null;
}

/** "2026-03-02 (d1)", "2026-03-02 (d1) and 2026-03-05 (d2)", "x, y and z". */
function dated(list: readonly Dated[]): string {
  const parts = list.map((d) => `${d.o.date} (${d.o.id})`);
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
}

/** The records' ids, list after list. A plain loop: it runs for most stays of a full recompute. */
function ids(first: readonly Dated[], second: readonly Dated[] = []): string[] {
  const out: string[] = [];
  for (const d of first) out.push(d.o.id);
  for (const d of second) out.push(d.o.id);
  return out;
}

function evidence(
  status: DepartureEvidence['status'],
  rule: string,
  observationIds: readonly string[],
  departureDate: IsoDate | null,
  reportedDate: IsoDate | null,
  contradictedBy: string | null = null,
): DepartureEvidence {
  return { status, rule, observationIds, departureDate, reportedDate, contradictedBy };
}

/**
 * The strongest departure evidence of one stay, and what its explanation should add. Pure.
 * Precedence: a corroborated report (`confirmed`), then a contradicted report (shown even when a
 * confirmed or inferred departure ends the stay), then `confirmed`, `inferred`,
 * `pending-identity-review`, then `reported` or `report-lapsed`.
 */
export function weighDepartureEvidence(f: EvidenceFacts): Weighed {
  const { confirming, fuzzy, reports } = f;
  const W = REPORT_WINDOW_DAYS;
  if (reports.length === 0 && fuzzy.length === 0) {
    if (confirming.length > 0) {
      return {
        evidence: evidence(
          'confirmed',
          DEPARTURE_EVIDENCE_RULES.confirmed,
          ids(confirming),
          confirming[0]!.o.date,
          null,
        ),
        note: '',
      };
    }
    if (f.laterAdmission) {
      return {
        evidence: evidence('inferred', f.inferredRule, [f.laterAdmission.o.id], null, null),
        note: '',
      };
    }
    return NOTHING;
  }

  // Each report: corroborated by a record within the window, or contradicted by in-country evidence after it.
  const corroborated: Dated[] = [];
  let corroborator: Dated | null = null;
  let contra: { report: Dated; by: Dated; what: string; departure: boolean } | null = null;
  for (const r of reports) {
    const c = first(confirming, (d) => Math.abs(d.day - r.day) <= W);
    if (c) {
      corroborated.push(r);
      corroborator ??= c;
      continue;
    }
    if (contra) continue;
    const dep = first(confirming, (d) => d.day > r.day + W);
    const other = first(f.inCountry, (d) => d.day > r.day + W);
    if (other && (dep === null || earlier(other, dep))) {
      contra = { report: r, by: other, what: other.what, departure: false };
    } else if (dep) {
      contra = { report: r, by: dep, what: 'a departure record dated', departure: true };
    }
  }

  const notes: string[] = [];
  const fuzzyNote = () =>
    `${fuzzy.length === 1 ? 'a departure record dated' : 'departure records dated'} ${dated(fuzzy)} ${fuzzy.length === 1 ? 'matches' : 'match'} this person only by the linkage model, so ${fuzzy.length === 1 ? 'it is' : 'they are'} not counted until a person confirms the identity`;
  const alsoReported = (list: readonly Dated[]) => {
    if (list.length > 0) notes.push(`the person also reported a departure on ${dated(list)}`);
  };
  const note = () => notes.join('; ');

  if (corroborator) {
    const r = corroborated[0]!;
    notes.push(
      `the departure the person reported for ${r.o.date} (${r.o.id}) is confirmed by the departure record of ${corroborator.o.date} (${corroborator.o.id}), within ${W} days of it`,
    );
    alsoReported(reports.filter((x) => !corroborated.includes(x)));
    if (fuzzy.length > 0) notes.push(fuzzyNote());
    return {
      evidence: evidence(
        'confirmed',
        DEPARTURE_EVIDENCE_RULES.confirmed,
        ids(confirming, corroborated),
        confirming[0]!.o.date,
        r.o.date,
      ),
      note: note(),
    };
  }

  if (contra) {
    const r = contra.report;
    notes.push(
      `the person reported a departure on ${r.o.date} (${r.o.id}), but ${contra.what} ${contra.by.o.date} (${contra.by.o.id}) places them in the country more than ${W} days after it, so the report is contradicted`,
    );
    alsoReported(reports.filter((x) => x !== r));
    if (fuzzy.length > 0 && confirming.length === 0) notes.push(fuzzyNote());
    return {
      evidence: evidence(
        'report-contradicted',
        DEPARTURE_EVIDENCE_RULES.reportContradicted,
        [r.o.id, contra.by.o.id],
        contra.departure ? contra.by.o.date : null,
        r.o.date,
        contra.by.o.id,
      ),
      note: note(),
    };
  }

  if (confirming.length > 0) {
    // Every report here is dated more than the window after the record: the person had already left.
    if (reports.length > 0) {
      notes.push(
        `the person also reported a departure on ${dated(reports)}, more than ${W} days after the departure record, which changes nothing`,
      );
    }
    if (fuzzy.length > 0) notes.push(fuzzyNote());
    return {
      evidence: evidence(
        'confirmed',
        DEPARTURE_EVIDENCE_RULES.confirmed,
        ids(confirming),
        confirming[0]!.o.date,
        null,
      ),
      note: note(),
    };
  }

  if (f.laterAdmission) {
    const later = f.laterAdmission;
    if (reports.length > 0) {
      notes.push(
        `the person reported a departure on ${dated(reports)}, which the admission on ${later.o.date} bears out but no departure record dates`,
      );
    }
    if (fuzzy.length > 0) notes.push(fuzzyNote());
    return { evidence: evidence('inferred', f.inferredRule, [later.o.id], null, null), note: note() };
  }

  if (fuzzy.length > 0) {
    const near = reports.filter((r) => fuzzy.some((d) => Math.abs(d.day - r.day) <= W));
    notes.push(fuzzyNote());
    if (near.length > 0) {
      notes.push(`the person reported a departure on ${dated(near)}, within ${W} days of it`);
    }
    alsoReported(reports.filter((r) => !near.includes(r)));
    return {
      evidence: evidence(
        'pending-identity-review',
        DEPARTURE_EVIDENCE_RULES.pendingIdentityReview,
        ids(fuzzy, near),
        fuzzy[0]!.o.date,
        near[0]?.o.date ?? null,
      ),
      note: note(),
    };
  }

  const latest = reports.at(-1)!;
  const since = f.asOfDay - latest.day;
  const what = `${reports.length === 1 ? 'a departure on' : 'departures on'} ${dated(reports)} ${reports.length === 1 ? 'was' : 'were'} reported by the person`;
  if (since > REPORT_LAPSE_DAYS) {
    return {
      evidence: evidence(
        'report-lapsed',
        DEPARTURE_EVIDENCE_RULES.reportLapsed,
        ids(reports),
        null,
        latest.o.date,
      ),
      note: `${what}, but no carrier or border record has confirmed it in the ${since} days since ${latest.o.date}, so the report has lapsed (after ${REPORT_LAPSE_DAYS} days) and is not counted`,
    };
  }
  return {
    evidence: evidence('reported', DEPARTURE_EVIDENCE_RULES.reported, ids(reports), null, latest.o.date),
    note: `${what}; no carrier or border record confirms it yet, so it is not counted`,
  };
}

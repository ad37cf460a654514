import type { AuditSink } from '../audit/audit-log.js';
import type { IsoDate } from '../core/observation/observation.js';
import { evaluatePerson, evaluateQuarantine } from '../core/retention/evaluate-retention.js';
import type { KeptCategory, RetentionRules } from '../core/retention/retention-rules.js';
import type { RulePack } from '../core/stays/rule-pack.js';
import { recomputeStays } from '../stays/recompute-stays.js';
import type { Database } from '../store/database.js';
import type { SqlSession } from '../store/sql-session.js';
import {
  erasePersons,
  eraseQuarantine,
  type PersonErasure,
  type QuarantineErasure,
} from './erase-records.js';
import { heldPersonIds, heldRecords } from './legal-holds.js';
import { readPersonRange, readResolvedQuarantine, type PersonRetentionRow } from './read-retention-facts.js';

/** Who runs the job, as the audit entry records it. */
export interface RetentionActor {
  readonly userId: string | null;
  readonly username: string | null;
  readonly role: string | null;
  /** Where it came from, e.g. `POST /api/retention/run` or `CLI imos retention run`. */
  readonly route: string;
  readonly purpose: string | null;
  readonly purposeReference: string | null;
  readonly requestId: string;
}

export interface RetentionProgress {
  readonly phase: 'persons' | 'quarantine';
  /** Persons: the id range scanned so far, of the highest id; quarantine: entries read so far. */
  readonly done: number;
  readonly total: number;
  /** Erased (or, in a dry run, due) so far in this phase. */
  readonly due: number;
}

export interface RetentionOptions {
  readonly rules: RetentionRules;
  /** The day the rules are applied on. */
  readonly asOf: IsoDate;
  /** For recomputing the stays of erased persons. */
  readonly pack: RulePack;
  /** Persons are scanned in id ranges of this width, each erased in one transaction (default 20,000). */
  readonly chunkSize?: number;
  readonly onProgress?: (p: RetentionProgress) => void;
  /** The time erasures are stamped with (default: now). */
  readonly now?: () => Date;
}

export interface RunRetentionOptions extends RetentionOptions {
  /** Receives the run's one audit entry. */
  readonly audit: AuditSink;
  readonly actor: RetentionActor;
}

export interface DuePerson {
  readonly personId: string;
  readonly rule: string;
  readonly dueOn: IsoDate;
}

/** What a run erased, or a dry run would erase. */
export interface RetentionReport {
  readonly asOf: IsoDate;
  readonly dryRun: boolean;
  readonly rulesVersion: string;
  readonly personFacts: {
    readonly persons: number;
    /** Raw records, every version. */
    readonly rawRecords: number;
    /** Current observations. */
    readonly observations: number;
    readonly stays: number;
    readonly byRule: Readonly<Record<string, number>>;
  };
  readonly quarantine: { readonly entries: number; readonly byRule: Readonly<Record<string, number>> };
  /** Due, but kept because a legal hold covers them. */
  readonly heldBack: { readonly personIds: readonly string[]; readonly quarantineEntries: number };
  /** The persons erased (or due), with the rule and the day it made them due. */
  readonly persons: readonly DuePerson[];
  /** Tombstones left (0 in a dry run). */
  readonly tombstones: number;
  /** Categories never erased by this job, and why (from the rules file). */
  readonly kept: readonly KeptCategory[];
}

const QUARANTINE_BATCH = 20_000;

const byNumericId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** What the rules would erase as of a day, and what holds keep: reads only, changes nothing. */
export function previewRetention(db: Database, options: RetentionOptions): Promise<RetentionReport> {
  return scan(db, options, null);
}

/**
 * Applies the retention rules: erases the persons and quarantine entries that are due and not held,
 * leaving a tombstone per erased record; recomputes the stays of the erased persons; and records one
 * audit entry (action `retention.run`) with every person id it touched, also when it fails part way
 * (what was committed is recorded, then the error is raised). Each id range is one transaction that
 * takes the importers' per-source locks and blocks new holds, and decides again inside it, so a record
 * imported or a hold placed while the job runs is respected.
 */
export async function runRetention(db: Database, options: RunRetentionOptions): Promise<RetentionReport> {
  const erased = { personIds: [] as string[], quarantineIds: [] as string[] };
  let failure: Error | null = null;
  let report: RetentionReport | null = null;
  try {
    report = await scan(db, options, erased);
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
  }
  try {
    await options.audit.record({
      at: (options.now ?? (() => new Date()))(),
      userId: options.actor.userId,
      username: options.actor.username,
      role: options.actor.role,
      action: 'retention.run',
      route: options.actor.route,
      personIds: [...erased.personIds].sort(byNumericId),
      recordRefs: erased.quarantineIds.map((id) => `quarantine:${id}`),
      purpose: options.actor.purpose,
      purposeReference: options.actor.purposeReference,
      breakGlassReason: null,
      outcome: failure === null ? 'allowed' : 'failed',
      status: failure === null ? 200 : 500,
      requestId: options.actor.requestId,
    });
  } catch (err) {
    if (failure !== null) throw failure;
    throw new Error(
      `retention erased ${erased.personIds.length} persons and ${erased.quarantineIds.length} quarantine entries, ` +
        `but its audit entry could not be written (the tombstones record what was erased): ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (failure !== null) throw failure;
  return report!;
}

/** Takes the importers' per-source locks (so no import adds to a person being erased) and blocks new holds. */
async function lockForErasure(s: SqlSession): Promise<void> {
  const sources = await s.query<{ source: string }>('select distinct source from import_run order by source');
  for (const { source } of sources) await s.query('select pg_advisory_xact_lock(hashtext($1))', [source]);
  await s.query('lock table legal_hold in share mode');
}

const tally = (m: Record<string, number>, key: string) => {
  m[key] = (m[key] ?? 0) + 1;
};

async function scan(
  db: Database,
  options: RetentionOptions,
  erased: { personIds: string[]; quarantineIds: string[] } | null,
): Promise<RetentionReport> {
  const { rules, asOf } = options;
  const now = options.now ?? (() => new Date());
  const step = options.chunkSize ?? 20_000;
  const facts = {
    persons: 0,
    rawRecords: 0,
    observations: 0,
    stays: 0,
    byRule: {} as Record<string, number>,
  };
  const quarantine = { entries: 0, byRule: {} as Record<string, number> };
  const heldBack = { personIds: [] as string[], quarantineEntries: 0 };
  const persons: DuePerson[] = [];
  let tombstones = 0;

  // A dry run reads the holds once; a run reads them again inside each locked transaction.
  const previewHolds = erased
    ? null
    : await db.session(async (s) => ({ persons: await heldPersonIds(s), records: await heldRecords(s) }));

  const decidePersons = (rows: readonly PersonRetentionRow[]) => {
    const due: (PersonErasure & { dueOn: IsoDate; row: PersonRetentionRow })[] = [];
    for (const row of rows) {
      const d = evaluatePerson(row, rules, asOf);
      if (d.erase) due.push({ personId: row.personId, rule: d.rule, dueOn: d.dueOn, row });
      else if (d.reason === 'held') heldBack.personIds.push(row.personId);
    }
    return due;
  };

  const [bounds] = await db.session((s) =>
    s.query<{ max: string }>('select coalesce(max(id), 0)::text as max from person'),
  );
  const max = Number(bounds!.max);
  for (let lo = 0; lo < max; lo += step) {
    const hi = lo + step;
    if (erased === null) {
      const rows = await db.session((s) => readPersonRange(s, lo, hi, previewHolds!.persons));
      for (const d of decidePersons(rows)) {
        facts.persons++;
        facts.rawRecords += d.row.rawRecords;
        facts.observations += d.row.observations;
        facts.stays += d.row.stays;
        tally(facts.byRule, d.rule);
        persons.push({ personId: d.personId, rule: d.rule, dueOn: d.dueOn });
      }
    } else {
      const { due, counts } = await db.transaction(async (s) => {
        await lockForErasure(s);
        const rows = await readPersonRange(s, lo, hi, await heldPersonIds(s));
        const chosen = decidePersons(rows);
        return { due: chosen, counts: await erasePersons(s, chosen, now()) };
      });
      facts.persons += counts.persons;
      facts.rawRecords += counts.rawRecords;
      facts.observations += counts.observations;
      facts.stays += counts.stays;
      tombstones += counts.tombstones;
      for (const d of due) {
        tally(facts.byRule, d.rule);
        persons.push({ personId: d.personId, rule: d.rule, dueOn: d.dueOn });
        erased.personIds.push(d.personId);
      }
      // Derived state follows the facts: persons left with no facts keep no stays.
      if (due.length > 0)
        await recomputeStays(
          db,
          due.map((d) => d.personId),
          { pack: options.pack, asOf },
        );
    }
    options.onProgress?.({ phase: 'persons', done: Math.min(hi, max), total: max, due: facts.persons });
  }

  const [qCount] = await db.session((s) =>
    s.query<{ n: number }>("select count(*)::int as n from quarantine where status <> 'open'"),
  );
  let after = '0';
  let read = 0;
  for (;;) {
    const batch = async (s: SqlSession, held: ReadonlySet<string>) => {
      const rows = await readResolvedQuarantine(s, after, QUARANTINE_BATCH, held);
      const due: QuarantineErasure[] = [];
      for (const q of rows) {
        const d = evaluateQuarantine(q, rules, asOf);
        if (d.erase) due.push({ ...q, rule: d.rule });
        else if (d.reason === 'held') heldBack.quarantineEntries++;
      }
      return { rows, due };
    };
    const { rows, due } =
      erased === null
        ? await db.session((s) => batch(s, previewHolds!.records))
        : await db.transaction(async (s) => {
            await lockForErasure(s);
            const r = await batch(s, await heldRecords(s));
            await eraseQuarantine(s, r.due, now());
            return r;
          });
    for (const q of due) {
      quarantine.entries++;
      tally(quarantine.byRule, q.rule);
      erased?.quarantineIds.push(q.id);
    }
    if (erased) tombstones += due.length;
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    read += rows.length;
    options.onProgress?.({
      phase: 'quarantine',
      done: read,
      total: Math.max(read, qCount!.n),
      due: quarantine.entries,
    });
    if (rows.length < QUARANTINE_BATCH) break;
  }

  persons.sort((a, b) => byNumericId(a.personId, b.personId));
  return {
    asOf,
    dryRun: erased === null,
    rulesVersion: rules.version,
    personFacts: facts,
    quarantine,
    heldBack,
    persons,
    tombstones,
    kept: rules.kept,
  };
}

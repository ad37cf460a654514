import { hash } from 'node:crypto';
import { FLAT_COLUMNS, type FlatRecord } from '../core/observation/flat-columns.js';
import type { Observation } from '../core/observation/observation.js';
import { parseFlatRecord, type ObservationBody } from '../core/observation/parse-flat-record.js';
import { exactKeys } from '../core/identity/exact-keys.js';
import { compactObservationJson } from '../core/observation/complete-observation.js';
import { toStayFacts } from '../core/stays/stay-facts.js';
import type { FieldError } from '../core/result/result.js';
import type { IdentityResolver } from '../identity/identity-resolver.js';
import { allocateIds } from '../store/allocate-ids.js';
import type { Database } from '../store/database.js';
import type { SqlSession } from '../store/sql-session.js';
import type { IncomingRecord } from './incoming-record.js';

export interface ImportOptions {
  readonly source: string;
  readonly file: string | null;
  readonly format: string;
  readonly header?: () => string | null;
  /** Rows per transaction; each batch is one set of COPYs. */
  readonly batchSize?: number;
  readonly onProgress?: (progress: { rows: number; bytesRead: number }) => void;
}

export interface ImportSummary {
  readonly importId: string;
  readonly rowsRead: number;
  readonly rowsNew: number;
  readonly rowsUnchanged: number;
  readonly rowsSuperseded: number;
  readonly rowsQuarantined: number;
  readonly personsCreated: number;
  readonly merges: number;
  /** Persons whose facts changed: the caller recomputes their stays. */
  readonly affectedPersonIds: ReadonlySet<string>;
}

interface Prepared {
  /** Only what is stored: the split fields are dropped once validated (less to carry between batches). */
  readonly rec: Pick<IncomingRecord, 'line' | 'content'>;
  readonly sourceRecordId: string;
  readonly contentHash: string;
  readonly parsed: { ok: true; body: ObservationBody } | { ok: false; errors: readonly FieldError[] };
}

/** Order-independent hash of the fields, so a re-export with reordered columns is still "the same". */
function contentHashOf(rec: IncomingRecord): string {
  if (rec.fields === null) return sha128(rec.content);
  const f: FlatRecord = rec.fields;
  let canon = '';
  for (const c of FLAT_COLUMNS) canon += (f[c]?.trim() ?? '') + '\u001f';
  return sha128(canon);
}

/** SHA-256 cut to 128 bits (hex): collision-free at any realistic volume, half the index size. */
const sha128 = (s: string) => hash('sha256', s).slice(0, 32);

function prepare(rec: IncomingRecord): Prepared {
  const contentHash = contentHashOf(rec);
  const sourceRecordId = rec.fields?.record_id?.trim() || `hash:${contentHash}`;
  const kept = { line: rec.line, content: rec.content };
  if (rec.fields === null)
    return {
      rec: kept,
      sourceRecordId,
      contentHash,
      parsed: { ok: false, errors: [rec.readError ?? { field: '*', reason: 'unreadable' }] },
    };
  const r = parseFlatRecord(rec.fields);
  return {
    rec: kept,
    sourceRecordId,
    contentHash,
    parsed: r.ok ? { ok: true, body: r.value } : { ok: false, errors: r.errors },
  };
}

/**
 * Imports records idempotently: keyed by (source, source record id), else by content hash. The same
 * record twice changes nothing; changed content under the same id supersedes the old version (which is
 * kept). Bad records go to quarantine with every field error; good ones go through. Each batch is one
 * transaction of COPYs, so a crash loses at most the batch in flight, and a re-run completes it.
 */
export async function importRecords(
  db: Database,
  resolver: IdentityResolver,
  records: AsyncIterable<IncomingRecord>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 20_000;
  const [run] = await db.session((s) =>
    s.query<{ id: string }>(
      'insert into import_run (source, file, format) values ($1, $2, $3) returning id::text as id',
      [options.source, options.file, options.format],
    ),
  );
  const importId = run!.id;
  const totals = {
    rowsRead: 0,
    rowsNew: 0,
    rowsUnchanged: 0,
    rowsSuperseded: 0,
    rowsQuarantined: 0,
    personsCreated: 0,
    merges: 0,
  };
  const affected = new Set<string>();

  let batch: Prepared[] = [];
  let idsInBatch = new Map<string, string>();
  let bytesRead = 0;
  // One batch is written while the next is read and validated: the parser and the database overlap.
  let inFlight: Promise<void> = Promise.resolve();

  const write = async (current: Prepared[], rowsSoFar: number, bytesSoFar: number) => {
    const r = await db.transaction((s) => writeBatch(s, resolver, options, importId, current));
    totals.rowsNew += r.rowsNew;
    totals.rowsUnchanged += r.rowsUnchanged;
    totals.rowsSuperseded += r.rowsSuperseded;
    totals.rowsQuarantined += r.rowsQuarantined;
    totals.personsCreated += r.personsCreated;
    totals.merges += r.merges;
    for (const p of r.affected) affected.add(p);
    for (const m of r.merged) affected.delete(m);
    options.onProgress?.({ rows: rowsSoFar, bytesRead: bytesSoFar });
  };

  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    idsInBatch = new Map();
    const previous = inFlight;
    const rows = totals.rowsRead;
    const bytes = bytesRead;
    inFlight = previous.then(() => write(current, rows, bytes));
    inFlight.catch(() => undefined); // observed below or at the end; never an unhandled rejection
    await previous;
  };

  const record = (status: string) =>
    db.session((s) =>
      s.query(
        `update import_run set finished_at = now(), status = $2, header = $3, rows_read = $4, rows_new = $5, rows_unchanged = $6,
         rows_superseded = $7, rows_quarantined = $8 where id = $1`,
        [
          importId,
          status,
          options.header?.() ?? null,
          totals.rowsRead,
          totals.rowsNew,
          totals.rowsUnchanged,
          totals.rowsSuperseded,
          totals.rowsQuarantined,
        ],
      ),
    );
  try {
    await readAll();
  } catch (err) {
    // Committed batches stay (a re-run completes the file without duplicates); the run says it failed.
    await inFlight.catch(() => undefined);
    await record('failed').catch(() => undefined);
    throw err;
  }
  await record('completed');
  return { importId, ...totals, affectedPersonIds: affected };

  async function readAll() {
    for await (const rec of records) {
      totals.rowsRead++;
      bytesRead = rec.bytesRead ?? bytesRead;
      const p = prepare(rec);
      const seen = idsInBatch.get(p.sourceRecordId);
      if (seen === p.contentHash) {
        totals.rowsUnchanged++;
        continue;
      }
      // A second version of a record in the same batch: the first must be stored before it can be superseded.
      if (seen !== undefined) await flush();
      idsInBatch.set(p.sourceRecordId, p.contentHash);
      batch.push(p);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await inFlight;
  }
}

async function writeBatch(
  s: SqlSession,
  resolver: IdentityResolver,
  options: ImportOptions,
  importId: string,
  batch: readonly Prepared[],
) {
  const source = options.source;
  // Imports of one source take turns, so "one current version per record" holds across processes.
  await s.query('select pg_advisory_xact_lock(hashtext($1))', [source]);
  const versions = await s.query<{
    source_record_id: string;
    content_hash: string;
    id: string;
    current: boolean;
  }>(
    `select source_record_id, content_hash, id::text as id, superseded_by is null as current
       from raw_record where source = $1 and source_record_id = any($2::text[])`,
    [source, batch.map((p) => p.sourceRecordId)],
  );
  const knownVersions = new Set(versions.map((v) => `${v.source_record_id}\u001f${v.content_hash}`));
  const currentOf = new Map(versions.filter((v) => v.current).map((v) => [v.source_record_id, v.id]));

  let rowsUnchanged = 0;
  const quarantined: Prepared[] = [];
  const accepted: { p: Prepared; body: ObservationBody; supersedes: string | null }[] = [];
  for (const p of batch) {
    if (knownVersions.has(`${p.sourceRecordId}\u001f${p.contentHash}`)) {
      rowsUnchanged++;
    } else if (!p.parsed.ok) {
      quarantined.push(p);
    } else {
      accepted.push({ p, body: p.parsed.body, supersedes: currentOf.get(p.sourceRecordId) ?? null });
    }
  }

  let rowsQuarantined = 0;
  if (quarantined.length > 0) {
    const rows = await s.query(
      `insert into quarantine (import_id, source, file, line, source_record_id, content_hash, format, content, errors)
       select $1, $2, $3, q.line, q.rid, q.hash, $4, q.content, q.errors::jsonb
         from unnest($5::int[], $6::text[], $7::text[], $8::text[], $9::text[]) as q(line, rid, hash, content, errors)
       on conflict (source, content_hash) where status = 'open' do nothing returning id`,
      [
        importId,
        source,
        options.file,
        options.format,
        quarantined.map((p) => p.rec.line),
        quarantined.map((p) => p.sourceRecordId),
        quarantined.map((p) => p.contentHash),
        quarantined.map((p) => p.rec.content),
        quarantined.map((p) => JSON.stringify(p.parsed.ok ? [] : p.parsed.errors)),
      ],
    );
    rowsQuarantined = rows.length;
    rowsUnchanged += quarantined.length - rows.length;
  }

  const affected = new Set<string>();
  const rawIds = await allocateIds(s, 'raw_record_id_seq', accepted.length);
  const superseded = accepted.flatMap((a, i) =>
    a.supersedes === null ? [] : [{ old: a.supersedes, by: rawIds[i]! }],
  );
  if (superseded.length > 0) {
    const oldIds = superseded.map((x) => x.old);
    await s.query(
      'update raw_record r set superseded_by = m.new_id from unnest($1::bigint[], $2::bigint[]) as m(old_id, new_id) where r.id = m.old_id',
      [oldIds, superseded.map((x) => x.by)],
    );
    const olds = await s.query<{ person_id: string | null }>(
      'update observation set superseded = true where raw_record_id = any($1::bigint[]) returning person_id::text as person_id',
      [oldIds],
    );
    for (const o of olds) if (o.person_id) affected.add(o.person_id);
  }
  await s.copyFrom(
    'raw_record',
    ['id', 'source', 'source_record_id', 'content_hash', 'import_id', 'line', 'content'],
    accepted.map((a, i) => [
      rawIds[i],
      source,
      a.p.sourceRecordId,
      a.p.contentHash,
      importId,
      a.p.rec.line,
      a.p.rec.content,
    ]),
  );

  const resolution = await resolver.resolve(
    s,
    accepted.map((a) => ({ keys: exactKeys(a.body.person, a.body.admissionNumber) })),
  );
  for (const p of resolution.affectedPersonIds) affected.add(p);
  for (const m of resolution.merges) affected.delete(m.from);

  const obsIds = await allocateIds(s, 'observation_id_seq', accepted.length);
  await s.copyFrom(
    'observation',
    ['id', 'raw_record_id', 'kind', 'person_id', 'event_date', 'channel', 'body', 'facts'],
    accepted.map((a, i) => {
      // The body is complete but for its provenance, set here once the raw record has its id.
      const observation = a.body as Observation & { provenance: Observation['provenance'] };
      observation.provenance = { source, sourceRecordId: a.p.sourceRecordId, rawRecordId: rawIds[i]! };
      return [
        obsIds[i],
        rawIds[i],
        a.body.kind,
        resolution.personIds[i],
        a.body.date,
        a.body.kind === 'Departure' ? a.body.channel : null,
        compactObservationJson(observation),
        toStayFacts(observation),
      ];
    }),
  );

  return {
    rowsNew: accepted.length - superseded.length,
    rowsUnchanged,
    rowsSuperseded: superseded.length,
    rowsQuarantined,
    personsCreated: resolution.personsCreated,
    merges: resolution.merges.length,
    merged: resolution.merges.map((m) => m.from),
    affected,
  };
}

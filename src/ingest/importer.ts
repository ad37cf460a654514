import type { IdentityResolver } from '../identity/identity-resolver.js';
import { allocateIds } from '../store/allocate-ids.js';
import type { Database } from '../store/database.js';
import type { SqlSession } from '../store/sql-session.js';
import { bodyWithProvenance, type PreparedRecord } from './prepare-record.js';

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

type Prepared = PreparedRecord & { readonly bytesRead?: number };

/**
 * Imports records idempotently: keyed by (source, source record id), else by content hash. The same
 * record twice changes nothing; changed content under the same id supersedes the old version (which is
 * kept). Bad records go to quarantine with every field error; good ones go through. Each batch is one
 * transaction of COPYs, so a crash loses at most the batch in flight, and a re-run completes it.
 */
export async function importRecords(
  db: Database,
  resolver: IdentityResolver,
  records: AsyncIterable<Prepared>,
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
    for await (const p of records) {
      totals.rowsRead++;
      bytesRead = p.bytesRead ?? bytesRead;
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
  const accepted: { p: Prepared; supersedes: string | null }[] = [];
  for (const p of batch) {
    if (knownVersions.has(`${p.sourceRecordId}\u001f${p.contentHash}`)) {
      rowsUnchanged++;
    } else if (p.errors) {
      quarantined.push(p);
    } else {
      accepted.push({ p, supersedes: currentOf.get(p.sourceRecordId) ?? null });
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
        quarantined.map((p) => p.line),
        quarantined.map((p) => p.sourceRecordId),
        quarantined.map((p) => p.contentHash),
        quarantined.map((p) => p.content),
        quarantined.map((p) => JSON.stringify(p.errors)),
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
      a.p.line,
      a.p.content,
    ]),
  );

  const resolution = await resolver.resolve(
    s,
    accepted.map((a) => ({ keys: a.p.keys ?? [] })),
  );
  for (const p of resolution.affectedPersonIds) affected.add(p);
  for (const m of resolution.merges) affected.delete(m.from);

  const obsIds = await allocateIds(s, 'observation_id_seq', accepted.length);
  await s.copyFrom(
    'observation',
    ['id', 'raw_record_id', 'kind', 'person_id', 'event_date', 'channel', 'body', 'facts'],
    accepted.map(({ p }, i) => [
      obsIds[i],
      rawIds[i],
      p.kind,
      resolution.personIds[i],
      p.date,
      p.channel,
      // The body is complete but for its provenance, known now that the raw record has its id.
      bodyWithProvenance(p.body!, { source, sourceRecordId: p.sourceRecordId, rawRecordId: rawIds[i]! }),
      p.facts,
    ]),
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

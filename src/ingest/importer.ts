import type { IdentityResolver } from '../identity/identity-resolver.js';
import { allocateIds } from '../store/allocate-ids.js';
import type { Database } from '../store/database.js';
import { copyField } from '../store/copy-text.js';
import { inIndexOrder, int64Position } from '../store/index-order.js';
import { readByIndex } from '../store/read-by-index.js';
import type { SqlSession } from '../store/sql-session.js';
import type { PreparedBatch } from './prepare-record.js';
import { arrayParam } from '../store/array-param.js';

export interface ImportOptions {
  readonly source: string;
  readonly file: string | null;
  readonly format: string;
  /** Records from the public (self-reports): placed on at most one person, never merging two. */
  readonly publicInput?: boolean;
  readonly header?: () => string | null;
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
  /** Records the linkage model placed on a person their exact keys did not reach. */
  readonly linkedByModel: number;
  /** Records placed on a new person and queued for identity review. */
  readonly reviewsQueued: number;
  /** Persons whose facts changed: the caller recomputes their stays. */
  readonly affectedPersonIds: ReadonlySet<string>;
}

/** Rows of one prepared batch that are written together (no record id twice with different content). */
interface WriteUnit {
  readonly batch: PreparedBatch;
  readonly rows: number[];
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
  batches: AsyncIterable<PreparedBatch>,
  options: ImportOptions,
): Promise<ImportSummary> {
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
    linkedByModel: 0,
    reviewsQueued: 0,
  };
  const affected = new Set<string>();
  // One unit is written while the next batch is read and validated: the reader and the database overlap.
  let inFlight: Promise<void> = Promise.resolve();

  const write = async (unit: WriteUnit, rowsSoFar: number, bytesSoFar: number) => {
    const r = await db.transaction((s) => writeUnit(s, resolver, options, importId, unit));
    totals.rowsNew += r.rowsNew;
    totals.rowsUnchanged += r.rowsUnchanged;
    totals.rowsSuperseded += r.rowsSuperseded;
    totals.rowsQuarantined += r.rowsQuarantined;
    totals.personsCreated += r.personsCreated;
    totals.merges += r.merges;
    totals.linkedByModel += r.linkedByModel;
    totals.reviewsQueued += r.reviewsQueued;
    for (const p of r.affected) affected.add(p);
    for (const m of r.merged) affected.delete(m);
    options.onProgress?.({ rows: rowsSoFar, bytesRead: bytesSoFar });
  };

  const enqueue = async (unit: WriteUnit, bytesRead: number) => {
    if (unit.rows.length === 0) return;
    const previous = inFlight;
    const rows = totals.rowsRead;
    inFlight = previous.then(() => write(unit, rows, bytesRead));
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
    for await (const batch of batches) {
      let unit: WriteUnit = { batch, rows: [] };
      let seen = new Map<string, string>();
      const n = batch.sourceRecordId.length;
      for (let i = 0; i < n; i++) {
        totals.rowsRead++;
        const id = batch.sourceRecordId[i]!;
        const hash = batch.contentHash[i]!;
        const before = seen.get(id);
        if (before === hash) {
          totals.rowsUnchanged++;
          continue;
        }
        // A second version of a record in the same batch: the first must be stored before it can be superseded.
        if (before !== undefined) {
          await enqueue(unit, batch.bytesRead);
          unit = { batch, rows: [] };
          seen = new Map();
        }
        seen.set(id, hash);
        unit.rows.push(i);
      }
      await enqueue(unit, batch.bytesRead);
    }
    await inFlight;
  }
}

async function writeUnit(
  s: SqlSession,
  resolver: IdentityResolver,
  options: ImportOptions,
  importId: string,
  { batch, rows }: WriteUnit,
) {
  const source = options.source;
  // Imports of one source take turns, so "one current version per record" holds across processes.
  await s.query('select pg_advisory_xact_lock(hashtext($1))', [source]);
  await readByIndex(s);
  // Known versions, and the tombstones of versions erased by retention (docs/retention.md), in one
  // round trip: an erased version is "known" too, so a re-delivery of it is counted as unchanged (in
  // rowsUnchanged, with the versions already stored) and is not stored again. A new version of an erased
  // record is new content and is stored.
  const found = await s.query<{
    source_record_id: string;
    content_hash: string;
    id: string | null;
    current: boolean;
  }>(
    `select source_record_id, content_hash, id::text as id, superseded_by is null as current
       from raw_record where record_key = any($2::bigint[]) and source = $1
     union all
     select source_record_id, content_hash, null, false
       from retention_tombstone where record_key = any($2::bigint[]) and source = $1`,
    [source, arrayParam(rows.map((i) => batch.recordKey[i]!))],
  );
  // A record key is a hash: keep only the rows whose id is one of this batch's.
  const ids = new Set(rows.map((i) => batch.sourceRecordId[i]));
  const versions = found.filter((v) => ids.has(v.source_record_id));
  const knownVersions = new Set(versions.map((v) => `${v.source_record_id}\u001f${v.content_hash}`));
  const currentOf = new Map(
    versions.filter((v) => v.current && v.id !== null).map((v) => [v.source_record_id, v.id!]),
  );

  let rowsUnchanged = 0;
  const quarantined: number[] = [];
  const accepted: number[] = [];
  for (const i of rows) {
    if (knownVersions.has(`${batch.sourceRecordId[i]}\u001f${batch.contentHash[i]}`)) rowsUnchanged++;
    else if (batch.errors[i] !== null) quarantined.push(i);
    else accepted.push(i);
  }

  let rowsQuarantined = 0;
  if (quarantined.length > 0) {
    const inserted = await s.query(
      `insert into quarantine (import_id, source, file, line, source_record_id, content_hash, format, content, errors)
       select $1, $2, $3, q.line, q.rid, q.hash, $4, q.content, q.errors::jsonb
         from unnest($5::int[], $6::text[], $7::text[], $8::text[], $9::text[]) as q(line, rid, hash, content, errors)
       on conflict (source, content_hash) where status = 'open' do nothing returning id`,
      [
        importId,
        source,
        options.file,
        options.format,
        quarantined.map((i) => batch.line[i]),
        quarantined.map((i) => batch.sourceRecordId[i]),
        quarantined.map((i) => batch.contentHash[i]),
        quarantined.map((i) => batch.content[i]),
        quarantined.map((i) => JSON.stringify(batch.errors[i])),
      ],
    );
    rowsQuarantined = inserted.length;
    rowsUnchanged += quarantined.length - inserted.length;
  }

  const affected = new Set<string>();
  // An observation takes the id of the raw record it was read from: one accepted record, one observation.
  const newIds = await allocateIds(s, 'raw_record_id_seq', accepted.length);
  const superseded: { old: string; by: string }[] = [];
  accepted.forEach((row, k) => {
    const old = currentOf.get(batch.sourceRecordId[row]!);
    if (old !== undefined) superseded.push({ old, by: newIds[k]! });
  });
  if (superseded.length > 0) {
    const oldIds = superseded.map((x) => x.old);
    await s.query(
      'update raw_record r set superseded_by = m.new_id from unnest($1::bigint[], $2::bigint[]) as m(old_id, new_id) where r.id = m.old_id',
      [oldIds, superseded.map((x) => x.by)],
    );
    const olds = await s.query<{ person_id: string | null }>(
      'update observation set superseded = true where id = any($1::bigint[]) returning person_id::text as person_id',
      [oldIds],
    );
    for (const o of olds) if (o.person_id) affected.add(o.person_id);
  }
  const head = `\t${copyField(source)}\t${importId}\t`;
  await s.copyLines(
    'raw_record',
    ['id', 'source', 'import_id', 'source_record_id', 'record_key', 'content_hash', 'line', 'content'],
    inIndexOrder(
      accepted.map((row, k) => newIds[k]! + head + batch.rawCopy[row]!),
      (k) => int64Position(batch.recordKey[accepted[k]!]!),
    ),
  );

  const resolution = await resolver.resolve(
    s,
    accepted.map((row, k) => ({
      keys: batch.keys[row]!,
      personLink: batch.personLink[row] || null,
      blockKeys: splitKeys(batch.blockKeys[row]!),
      searchKeys: splitKeys(batch.searchKeys[row]!),
      observationId: newIds[k]!,
      ...(batch.listKey[row] ? { list: batch.listKey[row] } : {}),
      kind: batch.observationCopy[row]!.slice(0, batch.observationCopy[row]!.indexOf('\t')),
      ...(options.publicInput ? { public: true } : {}),
    })),
  );
  for (const p of resolution.affectedPersonIds) affected.add(p);
  for (const m of resolution.merges) affected.delete(m.from);

  await s.copyLines(
    'observation',
    ['id', 'person_id', 'kind', 'event_date', 'channel', 'facts', 'identity'],
    accepted.map(
      (row, k) =>
        `${newIds[k]!}\t${resolution.personIds[k]!}\t${batch.observationCopy[row]!}\t${resolution.fuzzy[k] ? 'fuzzy' : 'exact'}`,
    ),
  );

  return {
    rowsNew: accepted.length - superseded.length,
    rowsUnchanged,
    rowsSuperseded: superseded.length,
    rowsQuarantined,
    personsCreated: resolution.personsCreated,
    merges: resolution.merges.length,
    linkedByModel: resolution.linkedByModel,
    reviewsQueued: resolution.reviewsQueued,
    merged: resolution.merges.map((m) => m.from),
    affected,
  };
}

const splitKeys = (keys: string): string[] => (keys === '' ? [] : keys.split(','));

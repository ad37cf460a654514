import { loadPortCountries } from '../departures/port-countries.js';
import { readPaxlst } from '../ingest/read-paxlst.js';
import { FeedError, formatOfFile } from '../ingest/read-feed.js';
import { preparedInThread, preparedInWorker } from '../ingest/prepared-feed.js';
import { importRecords, type ImportSummary } from '../ingest/importer.js';
import type { IncomingRecord } from '../ingest/incoming-record.js';
import { recomputeStays } from '../stays/recompute-stays.js';
import { BULK_ROWS, refreshStatistics } from '../store/refresh-statistics.js';
import type { AppContext } from './app-context.js';

export interface FeedImportResult extends Omit<ImportSummary, 'affectedPersonIds'> {
  readonly file: string | null;
  readonly staysRecomputed: number;
  readonly personsAffected: number;
}

export interface ImportProgress {
  readonly file: string | null;
  readonly rows: number;
  readonly bytesRead: number;
}

/**
 * Imports feed files (CSV or NDJSON), then recomputes the stays of every person they touched, once.
 * Several files in one call (admissions, departures, status changes) share the one recompute.
 */
export async function importFeedFiles(
  ctx: AppContext,
  files: readonly string[],
  source: string,
  onProgress?: (p: ImportProgress) => void,
  onRecompute?: (done: number, total: number) => void,
): Promise<FeedImportResult[]> {
  const summaries: ImportSummary[] = [];
  const names: string[] = [];
  for (const file of files) {
    if (isPaxlstFile(file)) {
      summaries.push(
        await importRecords(ctx.db, ctx.resolver, preparedInThread(readPaxlst(file, loadPortCountries())), {
          source,
          file,
          format: 'paxlst',
          onProgress: (p) => onProgress?.({ file, ...p }),
        }),
      );
      names.push(file);
      continue;
    }
    const format = formatOfFile(file);
    if (format === null)
      throw new FeedError(
        `${file}: unknown format; use a .csv, .ndjson or .jsonl file, or PAXLST (.edi, .paxlst)`,
      );
    let header: string | null = null;
    const records = preparedInWorker(file, format, (h) => (header = h));
    summaries.push(
      await importRecords(ctx.db, ctx.resolver, records, {
        source,
        file,
        format,
        header: () => header,
        onProgress: (p) => onProgress?.({ file, ...p }),
      }),
    );
    names.push(file);
  }
  return finish(ctx, summaries, names, onRecompute);
}

/** UN/EDIFACT PAXLST manifests (docs/paxlst.md), by their file name. */
export const isPaxlstFile = (file: string): boolean => /\.(edi|paxlst|edifact)$/i.test(file);

/** Imports records submitted through the API (already split into fields). */
export async function importSubmitted(
  ctx: AppContext,
  records: AsyncIterable<IncomingRecord> | Iterable<IncomingRecord>,
  source: string,
  format: string,
  header?: () => string | null,
  options: { readonly publicInput?: boolean } = {},
): Promise<FeedImportResult> {
  const summary = await importRecords(ctx.db, ctx.resolver, preparedInThread(records), {
    ...options,
    source,
    file: null,
    format,
    ...(header ? { header } : {}),
  });
  const [result] = await finish(ctx, [summary], [null]);
  return result!;
}

async function finish(
  ctx: AppContext,
  summaries: readonly ImportSummary[],
  files: readonly (string | null)[],
  onRecompute?: (done: number, total: number) => void,
): Promise<FeedImportResult[]> {
  const affected = new Set<string>();
  for (const s of summaries) for (const p of s.affectedPersonIds) affected.add(p);
  const stays = await recomputeStays(ctx.db, affected, {
    pack: ctx.pack,
    asOf: ctx.asOf(),
    ...(onRecompute ? { onProgress: onRecompute } : {}),
  });
  ctx.changes?.staysChanged(affected);
  const written = summaries.reduce((n, s) => n + s.rowsNew + s.rowsSuperseded, 0);
  if (written >= BULK_ROWS) await refreshStatistics(ctx.db);
  return summaries.map(({ affectedPersonIds, ...rest }, i) => ({
    ...rest,
    file: files[i] ?? null,
    personsAffected: affectedPersonIds.size,
    staysRecomputed: i === summaries.length - 1 ? stays : 0,
  }));
}

import type { Readable } from 'node:stream';
import { loadPortCountries } from '../departures/port-countries.js';
import { readPaxlst } from '../ingest/read-paxlst.js';
import { readMrzScans } from '../ingest/read-mrz-scans.js';
import { preparedPartnerEntries, readPartnerEntries } from '../ingest/read-partner-entries.js';
import { FeedError, formatOfFile, readCsv, readNdjson } from '../ingest/read-feed.js';
import { preparedInThread, preparedInWorker } from '../ingest/prepared-feed.js';
import type { PreparedBatch } from '../ingest/prepare-record.js';
import { importRecords, type ImportSummary } from '../ingest/importer.js';
import type { IncomingRecord } from '../ingest/incoming-record.js';
import { recomputeStays } from '../stays/recompute-stays.js';
import { BULK_ROWS, refreshStatistics } from '../store/refresh-statistics.js';
import type { AppContext } from './app-context.js';

/**
 * How a feed's records are read (docs/formats.md): `canonical` flat records (CSV or NDJSON), `paxlst`
 * carrier manifests (docs/paxlst.md), `partner-entries` a partner country's entry records, our land
 * departures (CSV or NDJSON, docs/departures.md), `mrz-scans` document scans at the border (NDJSON,
 * docs/mrz.md).
 */
export const IMPORT_FORMATS = ['canonical', 'paxlst', 'partner-entries', 'mrz-scans'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const isImportFormat = (v: string): v is ImportFormat =>
  (IMPORT_FORMATS as readonly string[]).includes(v);

/** The text a feed is written in. */
export type FeedSyntax = 'csv' | 'ndjson' | 'edifact';

/** The syntaxes each format comes in. A scan record holds lines of its own: it is NDJSON only. */
const SYNTAXES: Readonly<Record<ImportFormat, readonly FeedSyntax[]>> = {
  canonical: ['csv', 'ndjson'],
  paxlst: ['edifact'],
  'partner-entries': ['csv', 'ndjson'],
  'mrz-scans': ['ndjson'],
};

/** How a file in each syntax is named (read-feed.ts formatOfFile; PAXLST: isPaxlstFile). */
const FILE_NAMES: Readonly<Record<FeedSyntax, string>> = {
  csv: '*.csv',
  ndjson: '*.ndjson or *.jsonl',
  edifact: '*.edi, *.paxlst or *.edifact',
};

/** Why a feed of this format cannot be in this syntax, or null when it can. */
export function wrongSyntax(format: ImportFormat, syntax: FeedSyntax): string | null {
  const allowed = SYNTAXES[format];
  return allowed.includes(syntax) ? null : `a ${format} feed is ${allowed.join(' or ')}, not ${syntax}`;
}

export interface FeedImportResult extends Omit<ImportSummary, 'affectedPersonIds'> {
  readonly file: string | null;
  readonly staysRecomputed: number;
  readonly personsAffected: number;
  /**
   * What was read, is no error and was not imported (a booked passenger list): the first
   * {@link MAX_NOTES}, then how many more.
   */
  readonly notes: readonly string[];
}

export interface ImportProgress {
  readonly file: string | null;
  readonly rows: number;
  readonly bytesRead: number;
}

export interface FeedFileOptions {
  /** How the files are read. Default: PAXLST by its file name (.edi, .paxlst, .edifact), else canonical. */
  readonly format?: ImportFormat;
}

/** Notes kept per file: a feed of a million entry scans must not make a million-line summary. */
export const MAX_NOTES = 20;

class NoteLog {
  private readonly notes: string[] = [];
  private more = 0;
  readonly add = (note: string): void => {
    if (this.notes.length < MAX_NOTES) this.notes.push(note);
    else this.more++;
  };
  list(): string[] {
    return this.more === 0 ? [...this.notes] : [...this.notes, `… and ${this.more} more`];
  }
}

/**
 * Imports feed files, then recomputes the stays of every person they touched, once. Several files in
 * one call (admissions, departures, status changes) share the one recompute. Every file is read in the
 * one format given, or by its name.
 */
export async function importFeedFiles(
  ctx: AppContext,
  files: readonly string[],
  source: string,
  onProgress?: (p: ImportProgress) => void,
  onRecompute?: (done: number, total: number) => void,
  options: FeedFileOptions = {},
): Promise<FeedImportResult[]> {
  const summaries: ImportSummary[] = [];
  const notes: NoteLog[] = [];
  for (const file of files) {
    const { format, syntax } = feedFileReading(file, options.format);
    const log = new NoteLog();
    let header: string | null = null;
    const onHeader = (h: string) => (header = h);
    // Canonical files are read on a worker thread, the other formats here (prepare-worker.ts reads
    // canonical CSV and NDJSON only).
    const batches =
      format === 'canonical' && syntax !== 'edifact'
        ? preparedInWorker(file, syntax, onHeader)
        : preparedFeed(file, format, syntax, log.add, onHeader);
    summaries.push(
      await importRecords(ctx.db, ctx.resolver, batches, {
        source,
        file,
        format: storedFormat(format, syntax),
        header: () => header,
        onProgress: (p) => onProgress?.({ file, ...p }),
      }),
    );
    notes.push(log);
  }
  return finish(ctx, summaries, files, onRecompute, notes);
}

/** UN/EDIFACT PAXLST manifests (docs/paxlst.md), by their file name. */
export const isPaxlstFile = (file: string): boolean => /\.(edi|paxlst|edifact)$/i.test(file);

/**
 * How a feed file is read: in the format given, else PAXLST by its name (.edi, .paxlst, .edifact), else
 * canonical; in the syntax its name says. A name that gives no syntax, or one the format does not come
 * in, throws {@link FeedError} saying how the file should be named, before anything of it is read.
 */
export function feedFileReading(
  file: string,
  given?: ImportFormat,
): { readonly format: ImportFormat; readonly syntax: FeedSyntax } {
  const format = given ?? (isPaxlstFile(file) ? 'paxlst' : 'canonical');
  const syntax = format === 'paxlst' ? 'edifact' : formatOfFile(file);
  if (syntax === null)
    throw new FeedError(
      format === 'canonical'
        ? `${file}: unknown format; use a .csv, .ndjson or .jsonl file, or PAXLST (.edi, .paxlst)`
        : `${file}: a ${format} file is ${SYNTAXES[format].join(' or ')}, named ${SYNTAXES[format].map((x) => FILE_NAMES[x]).join(' or ')}`,
    );
  const wrong = wrongSyntax(format, syntax);
  if (wrong !== null) throw new FeedError(`${file}: ${wrong}`);
  return { format, syntax };
}

/**
 * Imports a feed sent as a stream (an API request body) in the given format and syntax. A feed that
 * cannot be read at all (a wrong header, a format in the wrong syntax) throws {@link FeedError}.
 */
export async function importFeedStream(
  ctx: AppContext,
  input: Readable,
  source: string,
  format: ImportFormat,
  syntax: FeedSyntax,
): Promise<FeedImportResult> {
  const wrong = wrongSyntax(format, syntax);
  if (wrong !== null) throw new FeedError(wrong);
  const log = new NoteLog();
  let header: string | null = null;
  const summary = await importRecords(
    ctx.db,
    ctx.resolver,
    preparedFeed(input, format, syntax, log.add, (h) => (header = h)),
    { source, file: null, format: storedFormat(format, syntax), header: () => header },
  );
  const [result] = await finish(ctx, [summary], [null], undefined, [log]);
  return result!;
}

/**
 * The format an import run records. Raw records are read back by it (raw-fields.ts): `csv` by the run's
 * header, any other as JSON, which is what every adapter other than canonical CSV stores.
 */
function storedFormat(format: ImportFormat, syntax: FeedSyntax): string {
  return format === 'canonical' ? syntax : format;
}

/** A feed's records read, validated and encoded on this thread. */
function preparedFeed(
  input: string | Readable,
  format: ImportFormat,
  syntax: FeedSyntax,
  onNote: (note: string) => void,
  onHeader: (header: string) => void,
): AsyncIterable<PreparedBatch> {
  const records = readFeedRecords(input, format, syntax, onNote, onHeader);
  return format === 'partner-entries' ? preparedPartnerEntries(records) : preparedInThread(records);
}

/**
 * A feed's records as its format's adapter reads them, before validation: what an import prepares and
 * what `imos stream publish` sends, so a feed is read the same way on both paths. A record that cannot
 * be read has no fields and says why (readError); what is read but is no record (a booked passenger
 * list) is told to `onNote`. Streaming: the input is never held whole.
 */
export function readFeedRecords(
  input: string | Readable,
  format: ImportFormat,
  syntax: FeedSyntax,
  onNote: (note: string) => void = () => undefined,
  onHeader: (header: string) => void = () => undefined,
): AsyncIterable<IncomingRecord> {
  switch (format) {
    case 'paxlst':
      return readPaxlst(input, { ...loadPortCountries(), onNote });
    case 'partner-entries':
      return readPartnerEntries(input, syntax === 'csv' ? 'csv' : 'ndjson', onHeader);
    case 'mrz-scans':
      return readMrzScans(input);
    case 'canonical':
      return syntax === 'csv' ? readCsv(input, onHeader) : readNdjson(input);
  }
}

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
  notes: readonly NoteLog[] = [],
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
    notes: notes[i]?.list() ?? [],
  }));
}

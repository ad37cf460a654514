import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import {
  IMPORT_FORMATS,
  importFeedStream,
  wrongSyntax,
  type FeedSyntax,
  type ImportFormat,
} from '../../app/import-feed.js';
import { FeedError } from '../../ingest/read-feed.js';
import { ApiError } from '../api-error.js';

/** The feed syntax of each accepted content type. */
const SYNTAX_OF: Readonly<Record<string, FeedSyntax>> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/edifact': 'edifact',
};

/** The largest feed one request may carry; a larger one is answered 413 before anything is imported. */
const FEED_BODY_LIMIT = 64 * 1024 * 1024;

export function importRoutes(app: FastifyInstance, ctx: AppContext): void {
  // CSV and NDJSON feeds arrive as UTF-8 text; they are streamed record by record like a file.
  app.addContentTypeParser(
    Object.keys(SYNTAX_OF).filter((type) => SYNTAX_OF[type] !== 'edifact'),
    { parseAs: 'string', bodyLimit: FEED_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );
  // PAXLST arrives as bytes: each interchange names its own character set in its UNB (UNOC is Latin-1,
  // UNOY UTF-8, ...) and one upload may mix them, so the PAXLST reader decodes them (docs/paxlst.md).
  // Reading the body as UTF-8 here would turn every accented Latin-1 letter into U+FFFD.
  app.addContentTypeParser(
    Object.keys(SYNTAX_OF).filter((type) => SYNTAX_OF[type] === 'edifact'),
    { parseAs: 'buffer', bodyLimit: FEED_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );

  app.post<{ Querystring: { source: string; format?: ImportFormat }; Body: string | Buffer }>(
    '/api/imports',
    {
      config: { access: 'import.create' },
      bodyLimit: FEED_BODY_LIMIT,
      schema: {
        tags: ['imports'],
        summary:
          "Import a feed: canonical records (text/csv or application/x-ndjson), PAXLST manifests (application/edifact), a partner country's entry records (format=partner-entries, CSV or NDJSON) or document scans (format=mrz-scans, NDJSON); idempotent, bad records quarantined",
        querystring: {
          type: 'object',
          required: ['source'],
          additionalProperties: false,
          properties: {
            source: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
            format: {
              type: 'string',
              enum: [...IMPORT_FORMATS],
              description:
                'how the records are read; default: paxlst for application/edifact, else canonical (docs/formats.md)',
            },
          },
        },
      },
    },
    async (req) => {
      const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase() ?? '';
      const syntax = SYNTAX_OF[type];
      // Text for CSV and NDJSON, bytes for EDIFACT (the parsers above); anything else had no parser of ours.
      const body = req.body;
      const readable = syntax === 'edifact' ? Buffer.isBuffer(body) : typeof body === 'string';
      if (!readable || syntax === undefined)
        throw new ApiError(
          'VALIDATION_FAILED',
          'send the feed as text/csv or application/x-ndjson, or PAXLST as application/edifact',
        );
      const format = req.query.format ?? (syntax === 'edifact' ? 'paxlst' : 'canonical');
      const wrong = wrongSyntax(format, syntax);
      if (wrong !== null)
        throw new ApiError('VALIDATION_FAILED', `${wrong}: send it as ${contentTypesOf(format)}`);
      try {
        const result = await importFeedStream(
          ctx,
          typeof body === 'string' ? Readable.from([body]) : Readable.from(slices(body)),
          req.query.source,
          format,
          syntax,
        );
        req.access!.recordRefs.push(`import:${result.importId}`);
        return result;
      } catch (err) {
        // Nothing of an unreadable feed is imported (a wrong header): the sender is told why.
        if (err instanceof FeedError) throw new ApiError('FEED_UNREADABLE', err.message);
        throw err;
      }
    },
  );

  app.get(
    '/api/imports',
    {
      config: { access: 'import.list' },
      schema: { tags: ['imports'], summary: 'Recent import runs with their counts' },
    },
    async () => ({
      runs: await ctx.db.session((s) =>
        s.query(
          `select id::text as id, source, file, format, started_at as "startedAt", finished_at as "finishedAt", rows_read as "rowsRead",
                  rows_new as "rowsNew", rows_unchanged as "rowsUnchanged", rows_superseded as "rowsSuperseded",
                  rows_quarantined as "rowsQuarantined", status
             from import_run order by id desc limit 100`,
        ),
      ),
    }),
  );
}

const contentTypesOf = (format: ImportFormat): string =>
  Object.entries(SYNTAX_OF)
    .filter(([, syntax]) => wrongSyntax(format, syntax) === null)
    .map(([type]) => type)
    .join(' or ');

/**
 * The bytes of an upload in 64 KiB views (no copies), as a file stream reads them: the PAXLST reader then
 * decodes and parses one slice at a time, so the body is never held a second time as one whole text. A
 * character split between two slices comes out whole (decode-paxlst.ts).
 */
function* slices(bytes: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

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

export function importRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Feeds arrive as text; they are streamed record by record like a file.
  app.addContentTypeParser(
    Object.keys(SYNTAX_OF),
    { parseAs: 'string', bodyLimit: 64 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.post<{ Querystring: { source: string; format?: ImportFormat }; Body: string }>(
    '/api/imports',
    {
      config: { access: 'import.create' },
      bodyLimit: 64 * 1024 * 1024,
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
      if (typeof req.body !== 'string' || syntax === undefined)
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
          Readable.from([req.body]),
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

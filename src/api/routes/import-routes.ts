import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { importSubmitted } from '../../app/import-feed.js';
import { loadPortCountries } from '../../departures/port-countries.js';
import { readPaxlst } from '../../ingest/read-paxlst.js';
import { readCsv, readNdjson } from '../../ingest/read-feed.js';
import { ApiError } from '../api-error.js';

export function importRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Feeds arrive as text; they are streamed record by record like a file.
  app.addContentTypeParser(
    ['text/csv', 'application/x-ndjson', 'application/edifact'],
    { parseAs: 'string', bodyLimit: 64 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.post<{ Querystring: { source: string }; Body: string }>(
    '/api/imports',
    {
      config: { access: 'import.create' },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags: ['imports'],
        summary:
          'Import a feed (text/csv or application/x-ndjson body), or PAXLST manifests (application/edifact); idempotent, bad records quarantined',
        querystring: {
          type: 'object',
          required: ['source'],
          additionalProperties: false,
          properties: { source: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' } },
        },
      },
    },
    async (req) => {
      const type = req.headers['content-type']?.split(';')[0]?.trim();
      if (typeof req.body !== 'string')
        throw new ApiError(
          'VALIDATION_FAILED',
          'send the feed as text/csv or application/x-ndjson, or PAXLST as application/edifact',
        );
      const stream = Readable.from([req.body]);
      if (type === 'application/edifact') {
        const result = await importSubmitted(
          ctx,
          readPaxlst(stream, loadPortCountries()),
          req.query.source,
          'paxlst',
        );
        req.access!.recordRefs.push(`import:${result.importId}`);
        return result;
      }
      let header: string | null = null;
      const records = type === 'text/csv' ? readCsv(stream, (h) => (header = h)) : readNdjson(stream);
      const result = await importSubmitted(
        ctx,
        records,
        req.query.source,
        type === 'text/csv' ? 'csv' : 'ndjson',
        () => header,
      );
      req.access!.recordRefs.push(`import:${result.importId}`);
      return result;
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

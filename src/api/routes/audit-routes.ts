import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { auditCheckpoints, auditEntries } from '../../audit/audit-reader.js';
import { findAuditEntries } from '../../audit/audit-queries.js';
import { verifyAuditStore } from '../../audit/verify-audit.js';
import { ApiError } from '../api-error.js';

interface EntriesQuery {
  personId?: string;
  username?: string;
  breakGlass?: boolean;
  before?: string;
  limit?: number;
}

const seqPattern = '^[0-9]{1,18}$';

export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: EntriesQuery }>(
    '/api/audit/entries',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary:
          'Audit entries, newest first: who looked at a person and why, what a user did, break-glass accesses. Supervisors see break-glass accesses only (for review).',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            personId: { type: 'string', pattern: seqPattern },
            username: { type: 'string', maxLength: 64 },
            breakGlass: { type: 'boolean' },
            before: { type: 'string', pattern: seqPattern },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      if (req.user!.role === 'supervisor' && !q.breakGlass)
        throw new ApiError('FORBIDDEN', 'supervisors review break-glass accesses: add breakGlass=true');
      if (q.personId) req.access!.personIds.push(q.personId);
      const entries = await findAuditEntries(ctx.db, { ...q, limit: q.limit ?? 100 });
      return { entries };
    },
  );

  app.get(
    '/api/audit/status',
    {
      config: { access: 'audit.status' },
      schema: {
        tags: ['audit'],
        summary: 'Verifies the whole chain and every signed checkpoint; names the first broken entry',
      },
    },
    async () => verifyAuditStore(ctx.db),
  );

  app.get<{ Querystring: { from?: string } }>(
    '/api/audit/export',
    {
      config: { access: 'audit.export' },
      schema: {
        tags: ['audit'],
        summary:
          'The chain from an entry on, with its signed checkpoints and their public keys, as NDJSON for an inspector (`imos audit verify --file` checks it)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { from: { type: 'string', pattern: seqPattern } },
        },
      },
    },
    async (req, reply) => {
      const from = req.query.from ?? '1';
      const checkpoints = (await auditCheckpoints(ctx.db)).filter((c) => BigInt(c.seq) >= BigInt(from));
      // Streamed: an export of millions of entries never sits in memory.
      async function* lines() {
        for (const c of checkpoints) yield JSON.stringify({ type: 'checkpoint', ...c }) + '\n';
        for await (const e of auditEntries(ctx.db, from))
          yield JSON.stringify({ type: 'entry', ...e, at: e.at.toISOString() }) + '\n';
      }
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', 'attachment; filename="imos-audit.ndjson"')
        .send(Readable.from(lines()));
    },
  );
}

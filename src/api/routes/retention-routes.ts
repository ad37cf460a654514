import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import type { AuditSink } from '../../audit/audit-log.js';
import type { RetentionRules } from '../../core/retention/retention-rules.js';
import { createHold, listHolds, releaseHold, type HoldOutcome } from '../../retention/legal-holds.js';
import { loadRetentionRules } from '../../retention/load-retention-rules.js';
import { previewRetention, runRetention, type RetentionReport } from '../../retention/run-retention.js';
import { ApiError } from '../api-error.js';
import { ID, idParams, reasonBody } from '../schemas.js';

const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

/** The day the rules are applied as of, and how many persons to list: preview and run take the same. */
const RETENTION_DAY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    asOf: { type: 'string', pattern: DATE },
    limit: { type: 'integer', minimum: 0, maximum: 100_000 },
  },
} as const;

/** A report with its person list cut to `limit` (the counts stay whole); personsTotal says how many. */
const cut = (r: RetentionReport, limit: number) => ({
  ...r,
  persons: r.persons.slice(0, limit),
  personsTotal: r.persons.length,
});

/**
 * The request's own audit entry is the run's entry: the job hands its record to this sink, which puts the
 * persons it touched on the request, and the access layer writes the one entry (action retention.run).
 */
const intoRequest = (req: FastifyRequest): AuditSink => ({
  record: (r) => {
    req.access!.personIds.push(...r.personIds);
    req.access!.recordRefs.push(...r.recordRefs);
    return Promise.resolve();
  },
});

function holdResult(req: FastifyRequest, r: HoldOutcome) {
  if (r.ok) {
    req.access!.personIds.push(...r.personIds);
    req.access!.recordRefs.push(`legal-hold:${r.hold.id}`);
    return r.hold;
  }
  throw new ApiError(r.code, r.message);
}

/** Retention (docs/retention.md): preview (a dry run), run, and legal holds. */
export function retentionRoutes(app: FastifyInstance, ctx: AppContext, rules?: RetentionRules): void {
  const retentionRules = rules ?? loadRetentionRules();

  app.get<{ Querystring: { asOf?: string; limit?: number } }>(
    '/api/retention/preview',
    {
      config: { access: 'retention.preview' },
      schema: {
        tags: ['retention'],
        summary:
          'What the retention rules would erase as of a day (default: today), per category, and the persons; changes nothing',
        querystring: RETENTION_DAY,
      },
    },
    async (req) => {
      const report = await previewRetention(ctx.db, {
        rules: retentionRules,
        asOf: req.query.asOf ?? ctx.asOf(),
        pack: ctx.pack,
      });
      req.access!.personIds.push(...report.persons.map((p) => p.personId), ...report.heldBack.personIds);
      return { ...cut(report, req.query.limit ?? 1000), rules: retentionRules.rules };
    },
  );

  app.post<{ Body: { asOf?: string; limit?: number } }>(
    '/api/retention/run',
    {
      config: { access: 'retention.run' },
      schema: {
        tags: ['retention'],
        summary:
          'Erases what the retention rules make due and no legal hold covers, leaving tombstones; recomputes stays; one audit entry',
        body: RETENTION_DAY,
      },
    },
    async (req) => {
      const today = ctx.asOf();
      const asOf = req.body?.asOf ?? today;
      // An earlier day erases less; a later one would erase before the rules allow.
      if (asOf > today)
        throw new ApiError(
          'VALIDATION_FAILED',
          `asOf ${asOf} is after today (${today}): nothing is erased early`,
        );
      const report = await runRetention(ctx.db, {
        rules: retentionRules,
        asOf,
        pack: ctx.pack,
        audit: intoRequest(req),
        actor: {
          userId: req.user!.id,
          username: req.user!.username,
          role: req.user!.role,
          route: 'POST /api/retention/run',
          purpose: req.access!.purpose,
          purposeReference: req.access!.purposeReference,
          requestId: req.id,
        },
      });
      return cut(report, req.body?.limit ?? 1000);
    },
  );

  app.get<{ Querystring: { status?: 'active' | 'released' | 'all'; personId?: string; limit?: number } }>(
    '/api/retention/holds',
    {
      config: { access: 'retention.holdList' },
      schema: {
        tags: ['retention'],
        summary: 'Legal holds, newest first (active by default)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['active', 'released', 'all'] },
            personId: ID,
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
          },
        },
      },
    },
    async (req) => {
      const holds = await listHolds(ctx.db, {
        status: req.query.status ?? 'active',
        ...(req.query.personId ? { personId: req.query.personId } : {}),
        limit: req.query.limit ?? 100,
      });
      for (const h of holds) {
        if (h.personId) req.access!.personIds.push(h.personId);
        req.access!.recordRefs.push(`legal-hold:${h.id}`);
      }
      return { holds };
    },
  );

  app.post<{ Body: { personId?: string; source?: string; sourceRecordId?: string; reason: string } }>(
    '/api/retention/holds',
    {
      config: { access: 'retention.holdCreate' },
      schema: {
        tags: ['retention'],
        summary:
          'Place a legal hold on a person, or on one source record (source and sourceRecordId): nothing it covers is erased until it is released',
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: {
            personId: ID,
            source: { type: 'string', minLength: 1, maxLength: 100 },
            sourceRecordId: { type: 'string', minLength: 1, maxLength: 200 },
            reason: { type: 'string', minLength: 10, maxLength: 500 },
          },
        },
      },
    },
    async (req, reply) => {
      const { personId, source, sourceRecordId, reason } = req.body;
      const byPerson = personId !== undefined;
      const byRecord = source !== undefined && sourceRecordId !== undefined;
      if (byPerson === byRecord || (!byRecord && (source !== undefined || sourceRecordId !== undefined)))
        throw new ApiError(
          'VALIDATION_FAILED',
          'a hold names either personId, or source and sourceRecordId together',
        );
      const target = byPerson ? { personId } : { source: source!, sourceRecordId: sourceRecordId! };
      const hold = holdResult(req, await createHold(ctx.db, target, reason, req.user!.username));
      return reply.code(201).send(hold);
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/api/retention/holds/:id/release',
    {
      config: { access: 'retention.holdRelease' },
      schema: {
        tags: ['retention'],
        summary: 'Release a legal hold with a reason (the hold is kept, marked released)',
        params: idParams,
        body: reasonBody,
      },
    },
    async (req) => {
      req.access!.recordRefs.push(`legal-hold:${req.params.id}`);
      return holdResult(req, await releaseHold(ctx.db, req.params.id, req.body.reason, req.user!.username));
    },
  );
}

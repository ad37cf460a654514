import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import {
  discardQuarantined,
  getQuarantineEntry,
  listQuarantine,
  resubmitQuarantined,
} from '../../app/quarantine-service.js';
import type { FlatRecord } from '../../core/observation/flat-columns.js';
import { ApiError } from '../api-error.js';
import { flatRecordFields, idParams, reasonBody } from '../schemas.js';

export function quarantineRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { status?: string; limit?: number; offset?: number } }>(
    '/api/quarantine',
    {
      config: { access: 'quarantine.list' },
      schema: {
        tags: ['quarantine'],
        summary: 'Quarantined records with their errors (file, line, field, reason)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['open', 'resubmitted', 'discarded'] },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
            offset: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    async (req) => {
      const page = await listQuarantine(
        ctx,
        req.query.status ?? 'open',
        req.query.limit ?? 100,
        req.query.offset ?? 0,
      );
      req.access!.recordRefs.push(...page.entries.map((e) => `quarantine:${e.id}`));
      return page;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/quarantine/:id',
    {
      config: { access: 'quarantine.read' },
      schema: { tags: ['quarantine'], summary: 'One quarantined record', params: idParams },
    },
    async (req) => {
      req.access!.recordRefs.push(`quarantine:${req.params.id}`);
      const entry = await getQuarantineEntry(ctx, req.params.id);
      if (!entry) throw new ApiError('NOT_FOUND', `no quarantine entry ${req.params.id}`);
      return entry;
    },
  );

  app.post<{ Params: { id: string }; Body: { fields: FlatRecord } }>(
    '/api/quarantine/:id/resubmit',
    {
      config: { access: 'quarantine.resubmit' },
      schema: {
        tags: ['quarantine'],
        summary: 'Resubmit a corrected record (all fields, flat form); validated like any record',
        params: idParams,
        body: {
          type: 'object',
          required: ['fields'],
          additionalProperties: false,
          properties: {
            fields: flatRecordFields,
          },
        },
      },
    },
    async (req) => {
      req.access!.recordRefs.push(`quarantine:${req.params.id}`);
      const r = await resubmitQuarantined(ctx, req.params.id, req.body.fields, req.user!.username);
      if (r.ok) return r;
      if (r.code === 'NOT_FOUND') throw new ApiError('NOT_FOUND', `no quarantine entry ${req.params.id}`);
      if (r.code === 'NOT_OPEN')
        throw new ApiError('NOT_OPEN', `quarantine entry ${req.params.id} is already resolved`);
      throw new ApiError('STILL_INVALID', 'the corrected record is still invalid', r.errors);
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/api/quarantine/:id/discard',
    {
      config: { access: 'quarantine.discard' },
      schema: {
        tags: ['quarantine'],
        summary: 'Discard a quarantined record with a reason (it is kept, marked discarded)',
        params: idParams,
        body: reasonBody,
      },
    },
    async (req) => {
      req.access!.recordRefs.push(`quarantine:${req.params.id}`);
      if (!(await discardQuarantined(ctx, req.params.id, req.body.reason, req.user!.username))) {
        throw new ApiError('NOT_OPEN', `quarantine entry ${req.params.id} is not open`);
      }
      return { discarded: true };
    },
  );
}

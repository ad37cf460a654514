import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import {
  discardQuarantined,
  getQuarantineEntry,
  listQuarantine,
  resubmitQuarantined,
} from '../../app/quarantine-service.js';
import { FLAT_COLUMNS, type FlatRecord } from '../../core/observation/flat-columns.js';
import { ApiError } from '../api-error.js';

const QUARANTINE_ROLES = ['admin', 'supervisor'] as const;
const idParams = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,18}$' } } };

export function quarantineRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { status?: string; limit?: number; offset?: number } }>(
    '/api/quarantine',
    {
      config: { allow: QUARANTINE_ROLES },
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
    async (req) =>
      listQuarantine(ctx, req.query.status ?? 'open', req.query.limit ?? 100, req.query.offset ?? 0),
  );

  app.get<{ Params: { id: string } }>(
    '/api/quarantine/:id',
    {
      config: { allow: QUARANTINE_ROLES },
      schema: { tags: ['quarantine'], summary: 'One quarantined record', params: idParams },
    },
    async (req) => {
      const entry = await getQuarantineEntry(ctx, req.params.id);
      if (!entry) throw new ApiError('NOT_FOUND', `no quarantine entry ${req.params.id}`);
      return entry;
    },
  );

  app.post<{ Params: { id: string }; Body: { fields: FlatRecord } }>(
    '/api/quarantine/:id/resubmit',
    {
      config: { allow: QUARANTINE_ROLES },
      schema: {
        tags: ['quarantine'],
        summary: 'Resubmit a corrected record (all fields, flat form); validated like any record',
        params: idParams,
        body: {
          type: 'object',
          required: ['fields'],
          additionalProperties: false,
          properties: {
            fields: {
              type: 'object',
              additionalProperties: false,
              properties: Object.fromEntries(
                FLAT_COLUMNS.map((c) => [c, { type: 'string', maxLength: 200 }]),
              ),
            },
          },
        },
      },
    },
    async (req) => {
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
      config: { allow: QUARANTINE_ROLES },
      schema: {
        tags: ['quarantine'],
        summary: 'Discard a quarantined record with a reason (it is kept, marked discarded)',
        params: idParams,
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: { reason: { type: 'string', minLength: 3, maxLength: 500 } },
        },
      },
    },
    async (req) => {
      if (!(await discardQuarantined(ctx, req.params.id, req.body.reason, req.user!.username))) {
        throw new ApiError('NOT_OPEN', `quarantine entry ${req.params.id} is not open`);
      }
      return { discarded: true };
    },
  );
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import type { FlatRecord } from '../../core/observation/flat-columns.js';
import {
  disputeStatusFor,
  DISPUTE_STATUSES,
  fileDispute,
  type DisputeSubmission,
} from '../../redress/dispute-intake.js';
import { countPublicRequest, type PublicBucket } from '../../redress/public-rate-limit.js';
import {
  closeDispute,
  correctableRecords,
  correctFact,
  getDispute,
  linkDisputeToPerson,
  listDisputes,
  recordIdentityVerification,
  type DisputeView,
  type RedressOutcome,
} from '../../redress/redress-work.js';
import { ApiError } from '../api-error.js';
import { flatRecordFields, ID, idParams } from '../schemas.js';

const text = (max: number, min = 1) => ({ type: 'string', minLength: min, maxLength: max });
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

/** The same words whatever the store holds: the form must not tell who is on record. */
const RECEIVED =
  'Your dispute is received. Keep the ticket number and the secret: with both you can check its status. ' +
  'An officer will review it; if your identity needs to be confirmed, they will contact you.';

async function throttle(ctx: AppContext, bucket: PublicBucket, req: FastifyRequest, reply: FastifyReply) {
  const wait = await countPublicRequest(ctx.db, bucket, req.ip);
  if (wait !== null) {
    void reply.header('retry-after', String(wait));
    throw new ApiError('TOO_MANY_REQUESTS', `too many requests from this address; try again in ${wait} s`);
  }
}

function unwrap(req: FastifyRequest, r: RedressOutcome<DisputeView>): DisputeView {
  if (r.ok) {
    if (r.value.personId) req.access!.personIds.push(r.value.personId);
    return r.value;
  }
  throw new ApiError(r.code, r.message, r.errors);
}

export function redressRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: DisputeSubmission }>(
    '/api/disputes',
    {
      config: { access: 'redress.submit' },
      schema: {
        tags: ['redress'],
        summary:
          'File a dispute about your record (public, rate-limited). The answer is a ticket and a secret, the same whether or not a record exists.',
        body: {
          type: 'object',
          required: ['statement', 'identity', 'contact'],
          additionalProperties: false,
          properties: {
            statement: text(4000, 10),
            contact: text(200, 3),
            identity: {
              type: 'object',
              required: ['familyNames', 'birthDate'],
              additionalProperties: false,
              properties: {
                givenNames: text(100, 0),
                familyNames: text(100),
                birthDate: date,
                nationality: text(3, 0),
                documentNumber: text(30, 0),
                documentCountry: text(3, 0),
                admissionNumber: text(30, 0),
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      await throttle(ctx, 'dispute.submit', req, reply);
      const receipt = await fileDispute(ctx.db, req.body);
      return reply.code(201).send({ ...receipt, message: RECEIVED });
    },
  );

  app.post<{ Body: { ticket: string; secret: string } }>(
    '/api/disputes/status',
    {
      config: { access: 'redress.status' },
      schema: {
        tags: ['redress'],
        summary: 'The status of a dispute, for whoever holds its ticket and secret (public, rate-limited)',
        body: {
          type: 'object',
          required: ['ticket', 'secret'],
          additionalProperties: false,
          properties: { ticket: text(20), secret: text(100) },
        },
      },
    },
    async (req, reply) => {
      await throttle(ctx, 'dispute.status', req, reply);
      const status = await disputeStatusFor(ctx.db, req.body.ticket, req.body.secret);
      if (!status) throw new ApiError('NOT_FOUND', 'no dispute with this ticket and secret');
      return status;
    },
  );

  app.get<{ Querystring: { status?: string; limit?: number } }>(
    '/api/redress',
    {
      config: { access: 'redress.list' },
      schema: {
        tags: ['redress'],
        summary: 'The redress queue: open disputes, oldest first (or by status)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['open', ...DISPUTE_STATUSES] },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
          },
        },
      },
    },
    async (req) => {
      const disputes = await listDisputes(
        ctx.db,
        (req.query.status ?? 'open') as 'open',
        req.query.limit ?? 100,
      );
      req.access!.recordRefs.push(...disputes.map((d) => `dispute:${d.id}`));
      req.access!.personIds.push(...disputes.flatMap((d) => (d.personId ? [d.personId] : [])));
      return { disputes };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/redress/:id',
    {
      config: { access: 'redress.read' },
      schema: { tags: ['redress'], summary: 'One dispute', params: idParams },
    },
    async (req) => {
      req.access!.recordRefs.push(`dispute:${req.params.id}`);
      const d = await getDispute(ctx.db, req.params.id);
      if (!d) throw new ApiError('NOT_FOUND', `no dispute ${req.params.id}`);
      if (!d.personId) return { ...d, records: [] };
      req.access!.personIds.push(d.personId);
      return { ...d, records: await correctableRecords(ctx.db, d.personId) };
    },
  );

  app.post<{ Params: { id: string }; Body: { personId: string } }>(
    '/api/redress/:id/person',
    {
      config: { access: 'redress.link' },
      schema: {
        tags: ['redress'],
        summary:
          'Link the dispute to the person it is about (found by search); identity must then be verified',
        params: idParams,
        body: {
          type: 'object',
          required: ['personId'],
          additionalProperties: false,
          properties: { personId: ID },
        },
      },
    },
    async (req) => {
      req.access!.recordRefs.push(`dispute:${req.params.id}`);
      req.access!.personIds.push(req.body.personId);
      return unwrap(
        req,
        await linkDisputeToPerson(ctx.db, req.params.id, req.body.personId, req.user!.username),
      );
    },
  );

  app.post<{ Params: { id: string }; Body: { how: string } }>(
    '/api/redress/:id/identity',
    {
      config: { access: 'redress.verifyIdentity' },
      schema: {
        tags: ['redress'],
        summary: "Record how the disputer's identity was verified (required before any correction)",
        params: idParams,
        body: {
          type: 'object',
          required: ['how'],
          additionalProperties: false,
          properties: { how: text(500, 10) },
        },
      },
    },
    async (req) => {
      req.access!.recordRefs.push(`dispute:${req.params.id}`);
      return unwrap(
        req,
        await recordIdentityVerification(ctx.db, req.params.id, req.body.how, req.user!.username),
      );
    },
  );

  app.post<{ Params: { id: string }; Body: { observationId: string; fields: FlatRecord } }>(
    '/api/redress/:id/corrections',
    {
      config: { access: 'redress.correct' },
      schema: {
        tags: ['redress'],
        summary:
          "Correct one of the person's records: a new version that supersedes the wrong one; stays and reports are recomputed",
        params: idParams,
        body: {
          type: 'object',
          required: ['observationId', 'fields'],
          additionalProperties: false,
          properties: {
            observationId: ID,
            fields: flatRecordFields,
          },
        },
      },
    },
    async (req) => {
      req.access!.recordRefs.push(`dispute:${req.params.id}`, `observation:${req.body.observationId}`);
      return unwrap(
        req,
        await correctFact(ctx, req.params.id, req.body.observationId, req.body.fields, req.user!.username),
      );
    },
  );

  app.post<{ Params: { id: string }; Body: { answer: string } }>(
    '/api/redress/:id/close',
    {
      config: { access: 'redress.close' },
      schema: {
        tags: ['redress'],
        summary: 'Close a dispute with an answer the person reads on the status page',
        params: idParams,
        body: {
          type: 'object',
          required: ['answer'],
          additionalProperties: false,
          properties: { answer: text(2000, 10) },
        },
      },
    },
    async (req) => {
      req.access!.recordRefs.push(`dispute:${req.params.id}`);
      return unwrap(req, await closeDispute(ctx.db, req.params.id, req.body.answer, req.user!.username));
    },
  );
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import {
  decideReview,
  getReview,
  listReviews,
  qualityReport,
  reviewPersons,
  REVIEW_REASONS,
  REVIEW_STATUSES,
  type ReviewReason,
  type ReviewStatus,
} from '../../app/identity-review.js';
import {
  markIdentityVerified,
  mergeByDecision,
  splitPerson,
  type IdentityOutcome,
} from '../../app/identity-work.js';
import { ApiError } from '../api-error.js';
import { checkOfficeScope, ownOfficePersons } from '../office-scope-check.js';
import { ID, idParams } from '../schemas.js';

const text = (max: number, min = 3) => ({ type: 'string', minLength: min, maxLength: max }) as const;

function unwrap<T>(r: IdentityOutcome<T>): T {
  if (r.ok) return r.value;
  throw new ApiError(r.code, r.message);
}

const touches = (req: FastifyRequest, ...ids: (string | null | undefined)[]) => {
  for (const id of ids) if (id) req.access!.personIds.push(id);
};

/**
 * Identity resolution by people (docs/linkage.md): the review queue with each pair's waterfall, the
 * quality of the model's automatic links, and merge, split and "identity verified" on persons.
 */
export function identityRoutes(app: FastifyInstance, ctx: AppContext): void {
  /** A review shows both persons in full: an officer opens it as they would open the persons (office scope). */
  const inOfficeScope = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const persons = await reviewPersons(ctx.db, req.params.id);
    if (persons === null) throw new ApiError('NOT_FOUND', `no identity review ${req.params.id}`);
    touches(req, ...persons);
    await checkOfficeScope(app, ctx, req, persons);
  };
  app.get<{ Querystring: { status?: ReviewStatus; reason?: ReviewReason; limit?: number } }>(
    '/api/identity/reviews',
    {
      config: { access: 'identity.reviewList' },
      schema: {
        tags: ['identity'],
        summary:
          'The identity review queue: pairs the model was unsure of, samples of its automatic links, and departures and arrivals it linked that wait for confirmation',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...REVIEW_STATUSES] },
            reason: { type: 'string', enum: [...REVIEW_REASONS] },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
          },
        },
      },
    },
    async (req) => {
      const r = await listReviews(ctx.db, { ...req.query, visible: ownOfficePersons(app, ctx, req) });
      for (const item of r.items) touches(req, item.recordPersonId, item.candidatePersonId);
      req.access!.recordRefs.push(...r.items.map((i) => `identity-review:${i.id}`));
      return r;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/identity/reviews/:id',
    {
      config: { access: 'identity.reviewRead' },
      schema: {
        tags: ['identity'],
        summary: 'One pair: both persons side by side and the waterfall of match weights',
        params: idParams,
      },
    },
    async (req) => {
      req.access!.recordRefs.push(`identity-review:${req.params.id}`);
      await inOfficeScope(req);
      const review = await getReview(ctx.db, ctx.pack, req.params.id);
      if (!review) throw new ApiError('NOT_FOUND', `no identity review ${req.params.id}`);
      touches(req, review.recordPersonId, review.candidatePersonId, review.record?.id, review.candidate?.id);
      return review;
    },
  );

  app.post<{ Params: { id: string }; Body: { decision: 'same' | 'different'; note?: string } }>(
    '/api/identity/reviews/:id/decision',
    {
      config: { access: 'identity.reviewDecide' },
      schema: {
        tags: ['identity'],
        summary:
          'Decide a pair: same (uncertain pairs are merged; a sampled link is confirmed; a departure or arrival to confirm counts as an exact match) or different (kept apart for good; a sampled or unconfirmed link is undone)',
        params: idParams,
        body: {
          type: 'object',
          required: ['decision'],
          additionalProperties: false,
          properties: { decision: { type: 'string', enum: ['same', 'different'] }, note: text(500, 0) },
        },
      },
    },
    async (req) => {
      req.access!.recordRefs.push(`identity-review:${req.params.id}`);
      await inOfficeScope(req);
      const r = unwrap(
        await decideReview(ctx, req.params.id, req.body.decision, req.user!.username, req.body.note ?? ''),
      );
      touches(req, r.recordPersonId, r.candidatePersonId, r.record?.id, r.candidate?.id);
      return r;
    },
  );

  app.get(
    '/api/identity/quality',
    {
      config: { access: 'identity.quality' },
      schema: {
        tags: ['identity'],
        summary: "The measured error rate of the model's automatic links, from the decided quality samples",
      },
    },
    async () => qualityReport(ctx.db),
  );

  app.post<{ Params: { id: string }; Body: { into: string; reason: string } }>(
    '/api/persons/:id/merge',
    {
      config: { access: 'identity.merge' },
      schema: {
        tags: ['identity'],
        summary:
          'Merge two persons into the older one (lowest id); everything derived is recomputed; refused when a decision keeps them apart',
        params: idParams,
        body: {
          type: 'object',
          required: ['into', 'reason'],
          additionalProperties: false,
          properties: { into: ID, reason: text(500) },
        },
      },
    },
    async (req) => {
      touches(req, req.params.id, req.body.into);
      return unwrap(
        await mergeByDecision(ctx, req.params.id, req.body.into, req.user!.username, req.body.reason),
      );
    },
  );

  app.post<{ Params: { id: string }; Body: { observationIds: string[]; reason: string } }>(
    '/api/persons/:id/split',
    {
      config: { access: 'identity.split' },
      schema: {
        tags: ['identity'],
        summary:
          "Move some of a person's observations to a new person, kept apart from this one for good; everything derived is recomputed",
        params: idParams,
        body: {
          type: 'object',
          required: ['observationIds', 'reason'],
          additionalProperties: false,
          properties: {
            observationIds: { type: 'array', minItems: 1, maxItems: 1000, items: ID },
            reason: text(500),
          },
        },
      },
    },
    async (req) => {
      touches(req, req.params.id);
      req.access!.recordRefs.push(...req.body.observationIds.map((o) => `observation:${o}`));
      const r = unwrap(
        await splitPerson(ctx, req.params.id, req.body.observationIds, req.user!.username, req.body.reason),
      );
      touches(req, r.newPersonId);
      return r;
    },
  );

  app.post<{ Params: { id: string }; Body: { how: string } }>(
    '/api/persons/:id/identity-verified',
    {
      config: { access: 'identity.verify' },
      schema: {
        tags: ['identity'],
        summary:
          "Mark a person's identity verified by you, saying how (e.g. passport inspected in person); a merge or split clears it",
        params: idParams,
        body: {
          type: 'object',
          required: ['how'],
          additionalProperties: false,
          properties: { how: text(300) },
        },
      },
    },
    async (req) => {
      touches(req, req.params.id);
      return unwrap(await markIdentityVerified(ctx, req.params.id, req.user!.username, req.body.how));
    },
  );
}

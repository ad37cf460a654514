import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { getPerson, searchPersons } from '../../app/person-query.js';
import { ApiError } from '../api-error.js';

const CASE_ROLES = ['officer', 'supervisor'] as const;

export function personRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { q: string; limit?: number } }>(
    '/api/persons',
    {
      config: { allow: CASE_ROLES },
      schema: {
        tags: ['persons'],
        summary: 'Find persons by travel document number, admission number or family name',
        querystring: {
          type: 'object',
          required: ['q'],
          additionalProperties: false,
          properties: {
            q: { type: 'string', minLength: 2, maxLength: 100 },
            limit: { type: 'integer', minimum: 1, maximum: 200 },
          },
        },
      },
    },
    async (req) => ({ hits: await searchPersons(ctx.db, req.query.q, req.query.limit ?? 50) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/persons/:id',
    {
      config: { allow: CASE_ROLES },
      schema: {
        tags: ['persons'],
        summary: "A person's timeline of facts, each stay with its outcome and the rule that decided it",
        params: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]{1,18}$' } } },
      },
    },
    async (req) => {
      const person = await getPerson(ctx.db, req.params.id);
      if (!person) throw new ApiError('NOT_FOUND', `no person ${req.params.id}`);
      return person;
    },
  );
}

import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { personExists } from '../../app/person-office.js';
import { getPerson, searchPersons, type PersonHit } from '../../app/person-query.js';
import { searchByParticulars, SearchInputError, type PersonParticulars } from '../../app/person-search.js';
import { ApiError } from '../api-error.js';
import { checkOfficeScope } from '../office-scope-check.js';
import { idParams } from '../schemas.js';

export function personRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: PersonParticulars & { q?: string; limit?: number } }>(
    '/api/persons',
    {
      config: { access: 'person.search' },
      schema: {
        tags: ['persons'],
        summary:
          'Find persons: q (a document number, an admission number or a family name, exact), or particulars (name in any order, fuzzy and transliteration-aware; birthDate; document; admissionNumber; nationality) ranked by match probability',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: { type: 'string', minLength: 2, maxLength: 100 },
            name: { type: 'string', minLength: 2, maxLength: 200 },
            birthDate: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
            document: { type: 'string', minLength: 2, maxLength: 40 },
            admissionNumber: { type: 'string', minLength: 2, maxLength: 40 },
            nationality: { type: 'string', pattern: '^[A-Za-z]{3}$' },
            limit: { type: 'integer', minimum: 1, maximum: 200 },
          },
        },
      },
    },
    async (req) => {
      const { q, limit, ...particulars } = req.query;
      const byParticulars = Object.values(particulars).some((v) => v !== undefined);
      if (!byParticulars && q === undefined)
        throw new ApiError(
          'VALIDATION_FAILED',
          'give q, or particulars: name, birthDate, document, admissionNumber',
        );
      if (byParticulars && q !== undefined)
        throw new ApiError('VALIDATION_FAILED', 'give either q or particulars, not both');
      let hits: (PersonHit & { probability: number | null })[];
      try {
        hits = byParticulars
          ? await searchByParticulars(ctx.db, particulars, limit ?? 50)
          : (await searchPersons(ctx.db, q!, limit ?? 50)).map((h) => ({ ...h, probability: null }));
      } catch (err) {
        if (err instanceof SearchInputError) throw new ApiError('VALIDATION_FAILED', err.message);
        throw err;
      }
      req.access!.personIds.push(...hits.map((h) => h.personId));
      return { hits };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/persons/:id',
    {
      config: { access: 'person.read' },
      schema: {
        tags: ['persons'],
        summary:
          "A person's timeline of facts, each stay with its outcome and the rule that decided it. Officers open the persons of their own office; any other with a written reason in x-break-glass (recorded and reviewed).",
        params: idParams,
      },
    },
    async (req) => {
      const id = req.params.id;
      req.access!.personIds.push(id);
      if (!(await personExists(ctx.db, id))) throw new ApiError('NOT_FOUND', `no person ${id}`);
      await checkOfficeScope(app, ctx, req, [id]);
      const person = await getPerson(ctx.db, ctx.pack, id);
      if (!person) throw new ApiError('NOT_FOUND', `no person ${id}`);
      return person;
    },
  );
}

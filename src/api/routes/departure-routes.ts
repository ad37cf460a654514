import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import {
  fileSelfReport,
  SelfReportInvalid,
  type SelfReportSubmission,
} from '../../departures/self-report.js';
import { countPublicRequest } from '../../redress/public-rate-limit.js';
import { ApiError } from '../api-error.js';

const text = (max: number, min = 1) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const country = { type: 'string', pattern: '^[A-Za-z]{3}$' } as const;

/** Departures (docs/departures.md): the public self-report. */
export function departureRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: SelfReportSubmission }>(
    '/api/departures/self-reports',
    {
      config: { access: 'departure.selfReport' },
      schema: {
        tags: ['departures'],
        summary:
          'Report your own departure, done or planned (public, rate-limited). The answer is a confirmation number, the same whether or not you are on record.',
        body: {
          type: 'object',
          required: ['familyNames', 'birthDate', 'documentNumber', 'documentCountry', 'date', 'mode'],
          additionalProperties: false,
          properties: {
            givenNames: text(100, 0),
            familyNames: text(100),
            birthDate: date,
            nationality: country,
            documentNumber: text(30, 3),
            documentCountry: country,
            date,
            mode: { type: 'string', enum: ['air', 'sea', 'land'] },
            port: text(10, 0),
            carrier: text(10, 0),
            flight: text(10, 0),
            destination: country,
          },
        },
      },
    },
    async (req, reply) => {
      const wait = await countPublicRequest(ctx.db, 'departure.selfReport', req.ip);
      if (wait !== null) {
        void reply.header('retry-after', String(wait));
        throw new ApiError(
          'TOO_MANY_REQUESTS',
          `too many requests from this address; try again in ${wait} s`,
        );
      }
      try {
        return await reply.code(201).send(await fileSelfReport(ctx, req.body));
      } catch (err) {
        if (err instanceof SelfReportInvalid)
          throw new ApiError('VALIDATION_FAILED', err.message, err.errors);
        throw err;
      }
    },
  );
}

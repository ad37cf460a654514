import type { FastifyInstance } from 'fastify';

export function purposeRoutes(app: FastifyInstance): void {
  app.get(
    '/api/purposes',
    {
      config: { access: 'purpose.list' },
      schema: {
        tags: ['access'],
        summary:
          'The configured purposes of use: every read of personal data names one in x-purpose (and x-purpose-reference where it needs one)',
      },
    },
    () => ({ purposes: app.accessSettings.purposes }),
  );
}

import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';

export function healthRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  readiness: () => Record<string, unknown> = () => ({}),
): void {
  app.get('/health', { schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await ctx.db.session((s) => s.query('select 1'));
      return { status: 'ready', store: ctx.db.engine, rulePack: ctx.pack.id, ...readiness() };
    } catch {
      return reply.code(503).send({ status: 'unavailable', store: ctx.db.engine });
    }
  });
}

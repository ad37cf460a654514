import type { FastifyInstance } from 'fastify';
import { authenticate, closeSession, openSession, SESSION_HOURS } from '../../access/accounts.js';
import type { AppContext } from '../../app/app-context.js';
import { ApiError } from '../api-error.js';
import { SESSION_COOKIE } from '../authorize.js';

export function sessionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: { username: string; password: string } }>(
    '/api/session',
    {
      config: { allow: 'public' },
      schema: {
        tags: ['session'],
        summary: 'Sign in; sets the session cookie and returns a bearer token for machine clients',
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', maxLength: 64 },
            password: { type: 'string', maxLength: 256 },
          },
        },
      },
    },
    async (req, reply) => {
      const user = await authenticate(ctx.db, req.body.username, req.body.password);
      if (!user) throw new ApiError('UNAUTHENTICATED', 'unknown user or wrong password');
      const token = await openSession(ctx.db, user);
      void reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
        maxAge: SESSION_HOURS * 3600,
      });
      return { user, token };
    },
  );

  app.get(
    '/api/session',
    { config: { allow: 'public' }, schema: { tags: ['session'], summary: 'Who is signed in' } },
    (req) => {
      if (!req.user) throw new ApiError('UNAUTHENTICATED', 'not signed in');
      return { user: req.user };
    },
  );

  app.delete(
    '/api/session',
    { config: { allow: 'public' }, schema: { tags: ['session'], summary: 'Sign out' } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await closeSession(ctx.db, token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { signedOut: true };
    },
  );
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { userOfSession, type User } from '../access/accounts.js';
import type { Role } from '../access/roles.js';
import type { Database } from '../store/database.js';
import { ApiError } from './api-error.js';

/** Who may call a route: `public`, or the roles allowed. Every /api route must declare one. */
export type Allow = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    allow?: Allow;
  }
  interface FastifyRequest {
    user: User | null;
  }
}

export const SESSION_COOKIE = 'imos_session';

/**
 * Deny by default: a route without an `allow` declaration is refused for everyone, so a forgotten
 * policy fails closed. A bearer token or the session cookie names the user.
 */
export function registerAuthorization(app: FastifyInstance, db: Database): void {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (!req.url.startsWith('/api/')) return;
    const allow = req.routeOptions.config.allow;
    if (allow === undefined) {
      if (req.routeOptions.url === undefined) return; // 404s are answered by the not-found handler
      throw new ApiError('FORBIDDEN', 'this route has no access policy, so it is closed');
    }
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : req.cookies[SESSION_COOKIE];
    if (token) req.user = await userOfSession(db, token);
    if (allow === 'public') return;
    if (!req.user) throw new ApiError('UNAUTHENTICATED', 'sign in first');
    if (!allow.includes(req.user.role))
      throw new ApiError(
        'FORBIDDEN',
        `the ${req.user.role} role may not ${req.method} ${req.routeOptions.url}`,
      );
  });
}

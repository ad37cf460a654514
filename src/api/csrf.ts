import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';
import { SESSION_COOKIE } from './authorize.js';

/** Readable by the web app's script (not HttpOnly), which copies it into the x-csrf-token header. */
export const CSRF_COOKIE = 'imos_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The CSRF token of a session: an HMAC keyed by the session token, so it is as unguessable as the
 * session and bound to it (a cookie planted by a sibling site cannot be paired with a token of its own),
 * and no state is kept for it. It reveals nothing of the session token.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('imos csrf').digest('base64url');
}

/** Compared in constant time, so the token cannot be found byte by byte from response times. */
function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Double-submit check for requests that a browser authenticates by the session cookie: a state-changing
 * request must repeat the CSRF cookie in the x-csrf-token header, which another site can neither read
 * nor set. Bearer-token clients are exempt (a browser never adds that header by itself), and so is
 * signing in, which has no session yet. Runs after authorization, which has named the user.
 */
export function registerCsrf(app: FastifyInstance): void {
  app.addHook('onRequest', (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    done(needsToken(req) && !carriesToken(req) ? csrfRefusal() : undefined);
  });
}

function needsToken(req: FastifyRequest): boolean {
  if (!req.url.startsWith('/api/') || !STATE_CHANGING.has(req.method)) return false;
  if (req.method === 'POST' && req.routeOptions.url === '/api/session') return false;
  if (req.headers.authorization?.startsWith('Bearer ')) return false;
  // Not signed in by cookie: there is no session a forged request could borrow.
  return req.user !== null && req.cookies[SESSION_COOKIE] !== undefined;
}

function carriesToken(req: FastifyRequest): boolean {
  const header = req.headers[CSRF_HEADER];
  const cookie = req.cookies[CSRF_COOKIE];
  const session = req.cookies[SESSION_COOKIE];
  if (typeof header !== 'string' || !cookie || !session) return false;
  return same(header, cookie) && same(header, csrfTokenFor(session));
}

const csrfRefusal = () =>
  new ApiError(
    'CSRF_FAILED',
    `a signed-in browser request must repeat the ${CSRF_COOKIE} cookie in the ${CSRF_HEADER} header`,
  );

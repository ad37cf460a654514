import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { closeSession, openSession, SESSION_LIMITS, type User } from '../../access/accounts.js';
import { signIn, type SignInOutcome } from '../../access/sign-in.js';
import { countSignInAttempt } from '../../access/sign-in-rate-limit.js';
import type { AppContext } from '../../app/app-context.js';
import { ApiError } from '../api-error.js';
import { SESSION_COOKIE } from '../authorize.js';
import { CSRF_COOKIE, csrfTokenFor } from '../csrf.js';

/**
 * Both cookies are SameSite=Strict and Secure when the request came over TLS; the session cookie is
 * HttpOnly, the CSRF cookie is read by the web app's script (csrf.ts).
 */
const cookieOptions = (req: FastifyRequest) =>
  ({
    path: '/',
    sameSite: 'strict',
    secure: req.protocol === 'https',
    maxAge: SESSION_LIMITS.absoluteHours * 3600,
  }) as const;

const setCsrfCookie = (req: FastifyRequest, reply: FastifyReply, sessionToken: string) =>
  void reply.setCookie(CSRF_COOKIE, csrfTokenFor(sessionToken), { ...cookieOptions(req), httpOnly: false });

/**
 * Opens a session for a user who has just proven who they are and gives the browser both cookies; the
 * one way in for every kind of sign-in (password, OpenID Connect). Returns the token for machine clients.
 */
export async function startSession(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  user: User,
  now = new Date(),
): Promise<string> {
  const token = await openSession(ctx.db, user, now);
  void reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(req), httpOnly: true });
  setCsrfCookie(req, reply, token);
  return token;
}

/** The answer to a sign-in that did not succeed; a wrong password and an unknown user get the same. */
function refusal(outcome: Exclude<SignInOutcome, { kind: 'signed-in' }>, reply: FastifyReply): ApiError {
  switch (outcome.kind) {
    case 'refused':
      return new ApiError('UNAUTHENTICATED', 'unknown user or wrong password');
    case 'locked': {
      const seconds = Math.ceil((outcome.until.getTime() - Date.now()) / 1000);
      void reply.header('retry-after', String(Math.max(1, seconds)));
      return new ApiError(
        'ACCOUNT_LOCKED',
        `too many failed sign-ins for this user name: it is locked until ${outcome.until.toISOString()}`,
        { lockedUntil: outcome.until.toISOString() },
      );
    }
    case 'totp-required':
      return new ApiError(
        'TOTP_REQUIRED',
        'this account signs in with a second factor: send the 6-digit code of its authenticator app as totp',
      );
    case 'totp-invalid':
      return new ApiError('TOTP_INVALID', 'the code is wrong, expired or already used');
    case 'totp-not-enrolled':
      return new ApiError(
        'TOTP_NOT_ENROLLED',
        'this role signs in with a second factor and this account has none set up: ask an administrator',
      );
  }
}

export function sessionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: { username: string; password: string; totp?: string } }>(
    '/api/session',
    {
      config: { access: 'session.create' },
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
            totp: {
              type: 'string',
              maxLength: 16,
              description: 'code of the second factor (supervisor, admin)',
            },
          },
        },
      },
    },
    async (req, reply) => {
      const now = new Date();
      const retryAfter = await countSignInAttempt(ctx.db, req.ip, now);
      if (retryAfter !== null) {
        void reply.header('retry-after', String(retryAfter));
        throw new ApiError(
          'TOO_MANY_REQUESTS',
          `too many sign-in attempts from this address: try again in ${retryAfter} s`,
          { retryAfterSeconds: retryAfter },
        );
      }
      const { username, password, totp } = req.body;
      const outcome = await signIn(ctx.db, { username, password, totp }, now);
      if (outcome.kind !== 'signed-in') throw refusal(outcome, reply);
      const { user } = outcome;
      const token = await startSession(ctx, req, reply, user, now);
      return { user, token };
    },
  );

  app.get(
    '/api/session',
    { config: { access: 'session.read' }, schema: { tags: ['session'], summary: 'Who is signed in' } },
    (req, reply) => {
      if (!req.user) throw new ApiError('UNAUTHENTICATED', 'not signed in');
      // A browser that lost its CSRF cookie (or signed in before there was one) gets it again.
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie && !req.headers.authorization && !req.cookies[CSRF_COOKIE])
        setCsrfCookie(req, reply, cookie);
      return { user: req.user };
    },
  );

  app.delete(
    '/api/session',
    { config: { access: 'session.delete' }, schema: { tags: ['session'], summary: 'Sign out' } },
    async (req, reply) => {
      // A machine client ends its bearer token's session; a browser its cookie's.
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : req.cookies[SESSION_COOKIE];
      if (token) await closeSession(ctx.db, token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      void reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return { signedOut: true };
    },
  );
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { closeSession, userOfSession } from '../../access/accounts.js';
import { linkOidcUser, mapOidcClaims } from '../../access/oidc-accounts.js';
import {
  OIDC_TRANSACTION_SECONDS,
  OidcClient,
  OidcProviderError,
  OidcStateError,
} from '../../access/oidc-client.js';
import { OIDC_CALLBACK_PATH, readOidcSettings, type OidcSettings } from '../../access/oidc-settings.js';
import { countSignInAttempt } from '../../access/sign-in-rate-limit.js';
import type { AppContext } from '../../app/app-context.js';
import { ConfigError } from '../../app/config.js';
import { ApiError } from '../api-error.js';
import { SESSION_COOKIE } from '../authorize.js';
import { CSRF_COOKIE } from '../csrf.js';
import { startSession } from './session-routes.js';

/** Holds the state, nonce and PKCE verifier between the way out to the provider and the way back. */
export const OIDC_TRANSACTION_COOKIE = 'imos_oidc';

/**
 * Why a sign-in through the provider ended on the sign-in page, as `/?signin_error=CODE` (the web app
 * says it in words): the claims refusals of oidc-accounts.ts, and these.
 */
export type OidcSignInError =
  | 'oidc_role'
  | 'oidc_office'
  | 'oidc_mfa'
  | 'oidc_state' // the answer does not belong to a sign-in started in this browser (or it took too long)
  | 'oidc_denied' // the provider refused, or the person cancelled there
  | 'oidc_failed' // the provider's answer did not verify, or the code could not be redeemed
  | 'oidc_unavailable' // the provider cannot be reached
  | 'oidc_disabled' // the account has been disabled here
  | 'too_many'; // too many sign-in attempts from this address

function fromEnvironment(): OidcSettings | null {
  const problems: string[] = [];
  const env = process.env;
  const settings = readOidcSettings(
    env,
    { host: env['HOST'] ?? '127.0.0.1', port: Number(env['PORT'] ?? 3000) },
    problems,
  );
  if (problems.length > 0) throw new ConfigError(`Configuration is invalid:\n  - ${problems.join('\n  - ')}`);
  return settings;
}

/** Back to the web app's sign-in page with a reason. */
const backWith = (reply: FastifyReply, error: OidcSignInError) =>
  reply.redirect(`/?signin_error=${error}`, 302);

/**
 * OpenID Connect sign-in (docs/security.md): the authorization code flow with PKCE, state and nonce. A
 * person who signed in at the provider gets a session exactly like a local sign-in (both cookies) when
 * the provider's claims name a platform role (and, for supervisor and admin, a second factor).
 */
export function oidcRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  settings: OidcSettings | null | undefined,
): void {
  const resolved = settings === undefined ? fromEnvironment() : settings;
  const client = resolved ? new OidcClient(resolved) : null;
  const configured = (): OidcClient => {
    if (!client) throw new ApiError('NOT_FOUND', 'OpenID Connect sign-in is not configured on this server');
    return client;
  };
  const transactionCookie = (req: FastifyRequest) =>
    ({
      path: OIDC_CALLBACK_PATH,
      httpOnly: true,
      // Lax, not Strict: the browser comes back from the provider's site, and must bring it along.
      sameSite: 'lax',
      secure: req.protocol === 'https',
    }) as const;

  app.get(
    '/api/session/oidc',
    {
      config: { access: 'session.oidcInfo' },
      schema: {
        tags: ['session'],
        summary: 'Whether sign-in through the organisation’s identity provider (OpenID Connect) is on',
        response: {
          200: {
            type: 'object',
            required: ['enabled'],
            additionalProperties: false,
            properties: { enabled: { type: 'boolean' }, startUrl: { type: 'string' } },
          },
        },
      },
    },
    () => (client ? { enabled: true, startUrl: '/api/session/oidc/start' } : { enabled: false }),
  );

  app.get(
    '/api/session/oidc/start',
    {
      config: { access: 'session.oidcStart' },
      schema: {
        tags: ['session'],
        summary: 'Starts a sign-in at the identity provider: redirects the browser there',
      },
    },
    async (req, reply) => {
      const oidc = configured();
      void reply.header('cache-control', 'no-store');
      let started: Awaited<ReturnType<OidcClient['start']>>;
      try {
        started = await oidc.start();
      } catch (err) {
        req.log.error({ err }, 'the OpenID Connect provider cannot be reached');
        return backWith(reply, 'oidc_unavailable');
      }
      void reply.setCookie(OIDC_TRANSACTION_COOKIE, oidc.seal(started.transaction), {
        ...transactionCookie(req),
        maxAge: OIDC_TRANSACTION_SECONDS,
      });
      return reply.redirect(started.url.href, 302);
    },
  );

  app.get<{ Querystring: Record<string, string> }>(
    OIDC_CALLBACK_PATH,
    {
      config: { access: 'session.oidcCallback' },
      schema: {
        tags: ['session'],
        summary: 'Where the identity provider sends the browser back; signs in and redirects to the app',
        // Providers add parameters of their own (session_state, …): they are passed on, bounded in size.
        querystring: {
          type: 'object',
          additionalProperties: { type: 'string', maxLength: 512 },
          properties: {
            code: { type: 'string', maxLength: 2048 },
            state: { type: 'string', maxLength: 256 },
            iss: { type: 'string', maxLength: 512 },
            error: { type: 'string', maxLength: 256 },
            error_description: { type: 'string', maxLength: 1024 },
          },
        },
      },
    },
    async (req, reply) => {
      const oidc = configured();
      void reply.header('cache-control', 'no-store');
      const transaction = oidc.open(req.cookies[OIDC_TRANSACTION_COOKIE]);
      void reply.clearCookie(OIDC_TRANSACTION_COOKIE, transactionCookie(req));
      if (!transaction) return backWith(reply, 'oidc_state');

      const now = new Date();
      if ((await countSignInAttempt(ctx.db, req.ip, now)) !== null) return backWith(reply, 'too_many');

      let identity: Awaited<ReturnType<OidcClient['finish']>>;
      try {
        identity = await oidc.finish(new URLSearchParams(req.url.split('?')[1] ?? ''), transaction);
      } catch (err) {
        if (err instanceof OidcStateError) return backWith(reply, 'oidc_state');
        if (err instanceof OidcProviderError) {
          req.log.warn({ error: err.error }, 'the OpenID Connect provider refused the sign-in');
          return backWith(reply, err.error === 'access_denied' ? 'oidc_denied' : 'oidc_failed');
        }
        req.log.warn({ err }, 'an OpenID Connect sign-in did not verify');
        return backWith(reply, 'oidc_failed');
      }

      const offices = app.accessSettings.offices.list;
      const mapping = mapOidcClaims(identity.claims, identity.amr, oidc.settings, (id) =>
        offices.some((o) => o.id === id),
      );
      const link = { issuer: identity.issuer, subject: identity.claims.sub };
      if (mapping.kind === 'refused') {
        req.log.warn(
          { ...link, reason: mapping.reason, detail: mapping.detail },
          'OpenID Connect sign-in refused',
        );
        return backWith(reply, mapping.reason);
      }
      const user = await linkOidcUser(ctx.db, link, mapping);
      const token = await startSession(ctx, req, reply, user, now);
      // A session that does not work (the account was disabled here) is not handed out.
      if (!(await userOfSession(ctx.db, token, now))) {
        await closeSession(ctx.db, token);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        void reply.clearCookie(CSRF_COOKIE, { path: '/' });
        return backWith(reply, 'oidc_disabled');
      }
      req.log.info(
        { userId: user.id, role: user.role, created: user.created },
        'signed in through OpenID Connect',
      );
      return reply.redirect('/', 302);
    },
  );
}

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppContext } from '../app/app-context.js';
import { ApiError, ERROR_STATUS } from './api-error.js';
import { randomBytes } from 'node:crypto';
import { loadOffices } from '../access/offices.js';
import type { AccessKey } from '../access/policy.js';
import { loadPurposes } from '../access/purposes.js';
import { AuditLog } from '../audit/audit-log.js';
import { ephemeralSigner } from '../audit/audit-signer.js';
import { registerAuthorization, type AccessSettings } from './authorize.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerCsrf } from './csrf.js';
import { auditRoutes } from './routes/audit-routes.js';
import { purposeRoutes } from './routes/purpose-routes.js';
import { redressRoutes } from './routes/redress-routes.js';
import { identityRoutes } from './routes/identity-routes.js';
import { departureReportRoutes, departureRoutes } from './routes/departure-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { importRoutes } from './routes/import-routes.js';
import { personRoutes } from './routes/person-routes.js';
import { quarantineRoutes } from './routes/quarantine-routes.js';
import { reportRoutes } from './routes/report-routes.js';
import { retentionRoutes } from './routes/retention-routes.js';
import { oidcRoutes } from './routes/oidc-routes.js';
import type { OidcSettings } from '../access/oidc-settings.js';
import { sessionRoutes } from './routes/session-routes.js';
import { streamRoutes, type StreamSettings } from './routes/stream-routes.js';
import { userRoutes } from './routes/user-routes.js';

export const WEB_DIST = fileURLToPath(new URL('../../dist/web', import.meta.url));

export interface RoutePolicy {
  readonly method: string;
  readonly url: string;
  /** The allow-table action the route declared; undefined: none (the route is closed). */
  readonly access: AccessKey | undefined;
  /** The route's request schemas, for the test that holds every input to a strict schema. */
  readonly schema: { readonly body?: unknown; readonly querystring?: unknown; readonly params?: unknown };
}

declare module 'fastify' {
  interface FastifyInstance {
    routePolicies: readonly RoutePolicy[];
  }
}

export interface AppOptions {
  readonly logger?: boolean;
  /** Serve the built web app from dist/web (default: when it exists). */
  readonly serveWeb?: boolean;
  /** Extra facts for /ready, e.g. whether the demo data set is still loading. */
  readonly readiness?: () => Record<string, unknown>;
  /** Purposes, offices, audit sink and pseudonym key; defaults: config/*.json, an audit log with a key
   * that lives as long as the process, a random pseudonym key. */
  readonly access?: Partial<AccessSettings>;
  /**
   * OpenID Connect sign-in: the settings (Config.oidc), null for none; when left out they are read from
   * the environment (IMOS_OIDC_*), checked as readConfig checks them.
   */
  readonly oidc?: OidcSettings | null;
  /**
   * The NATS JetStream whose dead letters the API shows (the server passes Config.natsUrl and
   * Config.streamPrefix); null or left out: none. Never read from the environment here, so an app built in
   * a test cannot pick up a NATS_URL of the shell that runs it.
   */
  readonly stream?: StreamSettings | null;
}

/** The HTTP API and the web app, over one AppContext. */
export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger
      ? {
          level: 'info',
          // Secrets and personal words never reach the log: credentials, and the break-glass reason.
          redact: [
            'req.headers.authorization',
            'req.headers.cookie',
            'req.headers["x-csrf-token"]',
            'req.headers["x-break-glass"]',
            'res.headers["set-cookie"]',
          ],
        }
      : false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: true } },
  });

  await app.register(cookie);
  registerSecurityHeaders(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'ImmigrationOS API',
        version: '0.1.0',
        description: 'Stays, departures and overstays, with provenance.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'imos_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // One place maps domain codes to HTTP; no stack trace or SQL ever reaches a client.
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof ApiError) {
      return reply.code(ERROR_STATUS[err.code]).send({
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      });
    }
    const e = err as { validation?: unknown; statusCode?: number; message: string; code?: string };
    if (e.validation) {
      return reply
        .code(400)
        .send({ error: { code: 'VALIDATION_FAILED', message: e.message, details: e.validation } });
    }
    if (e.statusCode === 413)
      return reply
        .code(413)
        .send({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' } });
    if (e.statusCode && e.statusCode < 500)
      return reply.code(e.statusCode).send({ error: { code: 'VALIDATION_FAILED', message: e.message } });
    req.log.error({ err }, 'request failed');
    return reply
      .code(500)
      .send({ error: { code: 'INTERNAL', message: `internal error (request ${req.id})` } });
  });

  // Every route is recorded with its access policy; an /api route without one stops the start.
  const policies: RoutePolicy[] = [];
  app.decorate('routePolicies', policies);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const declared = (r.config as { access?: AccessKey } | undefined)?.access;
    const schema = (r.schema ?? {}) as RoutePolicy['schema'];
    for (const method of methods)
      policies.push({ method: String(method), url: r.url, access: declared, schema });
  });
  app.addHook('onReady', (done) => {
    const open = policies.filter(
      (p) => p.url.startsWith('/api/') && p.access === undefined && p.method !== 'HEAD',
    );
    done(
      open.length > 0
        ? new Error(`routes without an access policy: ${open.map((p) => `${p.method} ${p.url}`).join(', ')}`)
        : undefined,
    );
  });

  app.decorate('accessSettings', {
    purposes: options.access?.purposes ?? loadPurposes(),
    offices: options.access?.offices ?? loadOffices(),
    audit: options.access?.audit ?? ctx.audit ?? new AuditLog(ctx.db, ephemeralSigner()),
    pseudonymKey: options.access?.pseudonymKey ?? randomBytes(32).toString('hex'),
  });
  registerAuthorization(app, ctx.db);
  registerCsrf(app);
  healthRoutes(app, ctx, options.readiness);
  sessionRoutes(app, ctx);
  personRoutes(app, ctx);
  reportRoutes(app, ctx);
  importRoutes(app, ctx);
  quarantineRoutes(app, ctx);
  auditRoutes(app, ctx);
  purposeRoutes(app);
  userRoutes(app, ctx);
  retentionRoutes(app, ctx);
  redressRoutes(app, ctx);
  identityRoutes(app, ctx);
  departureRoutes(app, ctx);
  departureReportRoutes(app, ctx);
  streamRoutes(app, options.stream ?? null);
  // <- redressRoutes
  oidcRoutes(app, ctx, options.oidc);

  const serveWeb = options.serveWeb ?? existsSync(WEB_DIST);
  if (serveWeb) {
    // wildcard: files are looked up per request, so a rebuild is served without a restart.
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: true });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !serveWeb || req.method !== 'GET') {
      return reply
        .code(404)
        .send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
    }
    return reply.sendFile('index.html'); // the web app's own routes
  });
  return app;
}

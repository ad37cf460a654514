import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { userOfSession, type User } from '../access/accounts.js';
import type { Offices } from '../access/offices.js';
import { isAllowed, permissionOf, type AccessKey, type Permission } from '../access/policy.js';
import type { Purpose } from '../access/purposes.js';
import type { AuditSink } from '../audit/audit-log.js';
import type { AuditRecord } from '../core/audit/audit-chain.js';
import type { Database } from '../store/database.js';
import { ApiError } from './api-error.js';

/** What the access layer needs besides the store: the configured lists, the audit sink, the pseudonym key. */
export interface AccessSettings {
  readonly purposes: readonly Purpose[];
  readonly offices: Offices;
  readonly audit: AuditSink;
  /** Keys the pseudonyms analysts see instead of person ids (stable while the key is). */
  readonly pseudonymKey: string;
}

/** The access decision of one request, and what its handler touched (for the audit entry). */
export interface RequestAccess {
  readonly key: AccessKey;
  readonly permission: Permission;
  readonly purpose: string | null;
  readonly purposeReference: string | null;
  /** Set by a handler that let an officer in on a written reason (office-scope.ts). */
  breakGlassReason: string | null;
  readonly personIds: string[];
  readonly recordRefs: string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The allow-table action this route performs (src/access/policy.ts). Every /api route declares one. */
    access?: AccessKey;
  }
  interface FastifyRequest {
    user: User | null;
    access: RequestAccess | null;
  }
  interface FastifyInstance {
    accessSettings: AccessSettings;
  }
}

export const SESSION_COOKIE = 'imos_session';

export const PURPOSE_HEADER = 'x-purpose';
export const PURPOSE_REFERENCE_HEADER = 'x-purpose-reference';
export const BREAK_GLASS_HEADER = 'x-break-glass';
const MAX_REFERENCE = 100;

const header = (req: FastifyRequest, name: string): string | null => {
  const v = req.headers[name];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s : null;
};

/**
 * Deny by default. Every /api request is checked against its route's allow-table entry; a route
 * without one is refused for everyone. A request for personal data must name a configured purpose
 * (x-purpose, with x-purpose-reference where the purpose needs one) and leaves exactly one audit entry,
 * written before the answer leaves: if the entry cannot be written, the answer is an error instead.
 */
export function registerAuthorization(app: FastifyInstance, db: Database): void {
  app.decorateRequest('user', null);
  app.decorateRequest('access', null);

  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (!req.url.startsWith('/api/')) return;
    const key = req.routeOptions.config.access;
    const permission = key ? permissionOf(key) : null;
    if (permission === null) {
      if (req.routeOptions.url === undefined) return; // 404s are answered by the not-found handler
      throw new ApiError('FORBIDDEN', 'this route has no access policy, so it is closed');
    }
    const personal = permission.sensitivity === 'personal';
    // Kept as sent (the audit records what was claimed), but never longer than a reference can be.
    const purpose = personal ? (header(req, PURPOSE_HEADER)?.slice(0, 100) ?? null) : null;
    const reference = personal ? header(req, PURPOSE_REFERENCE_HEADER) : null;
    const purposeReference = reference === null ? null : reference.slice(0, MAX_REFERENCE + 1);
    req.access = {
      key: key!,
      permission,
      purpose,
      purposeReference,
      breakGlassReason: null,
      personIds: [],
      recordRefs: [],
    };
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : req.cookies[SESSION_COOKIE];
    if (token) req.user = await userOfSession(db, token);
    if (permission.allow === 'public') return;
    if (!req.user) throw new ApiError('UNAUTHENTICATED', 'sign in first');
    if (!isAllowed(permission, req.user.role))
      throw new ApiError(
        'FORBIDDEN',
        `the ${req.user.role} role may not ${req.method} ${req.routeOptions.url}`,
      );
    if (personal) checkPurpose(app.accessSettings.purposes, purpose, purposeReference);
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload) => {
    const access = req.access;
    if (access?.permission.sensitivity !== 'personal') return payload;
    const status = reply.statusCode;
    const record: AuditRecord = {
      at: new Date(),
      userId: req.user?.id ?? null,
      username: req.user?.username ?? null,
      role: req.user?.role ?? null,
      action: access.key,
      route: `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`,
      personIds: [...new Set(access.personIds)],
      recordRefs: [...new Set(access.recordRefs)],
      purpose: access.purpose,
      purposeReference: access.purposeReference,
      breakGlassReason: access.breakGlassReason,
      outcome: status < 400 ? 'allowed' : status === 401 || status === 403 ? 'denied' : 'failed',
      status,
      requestId: req.id,
    };
    try {
      await app.accessSettings.audit.record(record);
      return payload;
    } catch (err) {
      // Fail closed: an access that cannot be recorded does not happen.
      req.log.error({ err }, 'audit entry could not be written');
      void reply.code(503).type('application/json; charset=utf-8');
      return JSON.stringify({
        error: {
          code: 'AUDIT_UNAVAILABLE',
          message: `the access could not be recorded, so it was refused (request ${req.id})`,
        },
      });
    }
  });
}

function checkPurpose(purposes: readonly Purpose[], code: string | null, reference: string | null): void {
  const codes = purposes.map((p) => p.code).join(', ');
  if (code === null)
    throw new ApiError(
      'PURPOSE_REQUIRED',
      `personal data is read for a purpose: send ${PURPOSE_HEADER} (one of ${codes})`,
    );
  const purpose = purposes.find((p) => p.code === code);
  if (!purpose)
    throw new ApiError('PURPOSE_REQUIRED', `"${code}" is not a configured purpose (one of ${codes})`);
  if (purpose.needsReference && reference === null)
    throw new ApiError(
      'PURPOSE_REQUIRED',
      `the purpose ${code} names what it serves: send ${PURPOSE_REFERENCE_HEADER} (a case or ticket reference)`,
    );
  if (reference !== null && reference.length > MAX_REFERENCE)
    throw new ApiError(
      'VALIDATION_FAILED',
      `${PURPOSE_REFERENCE_HEADER} is longer than ${MAX_REFERENCE} characters`,
    );
}

/** The pseudonym an analyst sees for a person: stable for one key, not reversible without it. */
export function pseudonymOf(key: string, personId: string): string {
  return `P-${createHmac('sha256', key).update(personId).digest('hex').slice(0, 12)}`;
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES } from '../../access/roles.js';
import {
  ACCOUNT_RULES,
  type AccountView,
  type Enrolment,
  createAccount,
  listAccounts,
  resetTotp,
  setAccountDisabled,
  updateAccount,
  UserAdminError,
  type AccountChange,
} from '../../access/user-admin.js';
import type { AppContext } from '../../app/app-context.js';
import { ApiError } from '../api-error.js';
import { idParams } from '../schemas.js';

const role = { type: 'string', enum: [...ROLES] } as const;
const office = { type: ['string', 'null'], maxLength: 20 } as const;

function asApiError(err: unknown): unknown {
  if (!(err instanceof UserAdminError)) return err;
  const code =
    err.kind === 'invalid' ? 'VALIDATION_FAILED' : err.kind === 'not-found' ? 'NOT_FOUND' : 'CONFLICT';
  return new ApiError(code, err.message);
}

/**
 * User admin is about staff, not the persons of the mission (`account` actions: no purpose), but every
 * change is recorded in the audit log: who changed which account, how. A change whose entry cannot be
 * written is taken back and the answer is 503 AUDIT_UNAVAILABLE, as for a read of personal data.
 */
async function recorded<T>(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  make: () => Promise<AccountChange<T>>,
  status = 200,
): Promise<T> {
  let change: AccountChange<T>;
  try {
    change = await make();
  } catch (err) {
    throw asApiError(err);
  }
  if (change.unchanged) return change.result;
  const user = req.user!;
  try {
    await app.accessSettings.audit.record({
      at: new Date(),
      userId: user.id,
      username: user.username,
      role: user.role,
      action: req.access!.key,
      route: `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`,
      personIds: [],
      recordRefs: [`user:${change.accountId}`, ...change.refs],
      purpose: null,
      purposeReference: null,
      breakGlassReason: null,
      outcome: 'allowed',
      status,
      requestId: req.id,
    });
  } catch (err) {
    req.log.error({ err }, 'audit entry of a user admin change could not be written; taking the change back');
    await change.undo().catch((undoErr: unknown) => {
      req.log.error({ err: undoErr }, 'the unrecorded user admin change could not be taken back');
    });
    throw new ApiError(
      'AUDIT_UNAVAILABLE',
      `the change could not be recorded, so it was not made (request ${req.id})`,
    );
  }
  // An answer that may hold a TOTP secret is kept by no cache.
  void reply.code(status).header('cache-control', 'no-store');
  return change.result;
}

/** The answer to a change: the account, and a TOTP secret when one was just made (shown this once). */
const answer = (r: { user: AccountView; enrolment?: Enrolment | null }) => ({
  user: r.user,
  totpSecret: r.enrolment?.totpSecret ?? null,
  otpauthUri: r.enrolment?.otpauthUri ?? null,
});

export function userRoutes(app: FastifyInstance, ctx: AppContext): void {
  const offices = () => app.accessSettings.offices;

  app.get(
    '/api/users',
    {
      config: { access: 'users.list' },
      schema: {
        tags: ['users'],
        summary:
          'Staff accounts (no password hashes, no TOTP secrets), with the roles, offices and account rules a form needs',
      },
    },
    async () => ({
      users: await listAccounts(ctx.db),
      roles: ROLES,
      offices: offices().list.map((o) => ({ id: o.id, name: o.name })),
      rules: ACCOUNT_RULES,
    }),
  );

  app.post<{ Body: { username: string; password: string; role: string; office?: string | null } }>(
    '/api/users',
    {
      config: { access: 'users.create' },
      schema: {
        tags: ['users'],
        summary:
          'Create an account. A supervisor or admin gets a TOTP secret and its otpauth:// URI, in this answer only.',
        body: {
          type: 'object',
          required: ['username', 'password', 'role'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', pattern: ACCOUNT_RULES.usernamePattern },
            password: {
              type: 'string',
              minLength: ACCOUNT_RULES.passwordMinLength,
              maxLength: ACCOUNT_RULES.passwordMaxLength,
            },
            role,
            office,
          },
        },
      },
    },
    async (req, reply) =>
      answer(await recorded(app, req, reply, () => createAccount(ctx.db, offices(), req.body), 201)),
  );

  app.patch<{ Params: { id: string }; Body: { role?: string; office?: string | null } }>(
    '/api/users/:id',
    {
      config: { access: 'users.update' },
      schema: {
        tags: ['users'],
        summary:
          "Change an account's role or office (not one's own). A role that now needs a second factor gets a TOTP secret, in this answer only.",
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { role, office },
        },
      },
    },
    async (req, reply) =>
      answer(
        await recorded(app, req, reply, () =>
          updateAccount(ctx.db, offices(), req.params.id, req.body, req.user!.id),
        ),
      ),
  );

  for (const disabled of [true, false]) {
    app.post<{ Params: { id: string } }>(
      `/api/users/:id/${disabled ? 'disable' : 'enable'}`,
      {
        config: { access: disabled ? 'users.disable' : 'users.enable' },
        schema: {
          tags: ['users'],
          summary: disabled
            ? "Disable an account (not one's own): its sessions end and it cannot sign in"
            : 'Enable a disabled account again',
          params: idParams,
        },
      },
      async (req, reply) => {
        // Already as asked: nothing changes and nothing is recorded.
        const r = await recorded(app, req, reply, () =>
          setAccountDisabled(ctx.db, req.params.id, disabled, req.user!.id),
        );
        return { user: r.user };
      },
    );
  }

  app.post<{ Params: { id: string } }>(
    '/api/users/:id/totp',
    {
      config: { access: 'users.resetTotp' },
      schema: {
        tags: ['users'],
        summary:
          'A new TOTP secret for a supervisor or admin (not oneself): old codes stop working, its sessions end; the secret is in this answer only',
        params: idParams,
      },
    },
    async (req, reply) =>
      answer(await recorded(app, req, reply, () => resetTotp(ctx.db, req.params.id, req.user!.id))),
  );
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decideScope, MAX_BREAK_GLASS_REASON } from '../access/office-scope.js';
import type { AppContext } from '../app/app-context.js';
import type { VisiblePersons } from '../app/identity-review.js';
import { officeOfUser, officesOfPersons } from '../app/person-office.js';
import { ApiError } from './api-error.js';
import { BREAK_GLASS_HEADER } from './authorize.js';

/**
 * An officer opens the persons of their own office (access/office-scope.ts); one of the given persons
 * being theirs is enough, as when an identity review pairs a person of theirs with a candidate. Otherwise
 * the request needs a written reason in x-break-glass, which the audit entry records and flags; without
 * one it is refused (OUTSIDE_OFFICE). Other roles are not office-bound.
 */
export async function checkOfficeScope(
  app: FastifyInstance,
  ctx: AppContext,
  req: FastifyRequest,
  personIds: readonly string[],
): Promise<void> {
  const user = req.user!;
  if (user.role !== 'officer') return;
  const header = req.headers[BREAK_GLASS_HEADER];
  if (typeof header === 'string' && header.length > MAX_BREAK_GLASS_REASON)
    throw new ApiError(
      'VALIDATION_FAILED',
      `a break-glass reason has at most ${MAX_BREAK_GLASS_REASON} characters`,
    );
  const [userOffice, offices] = await Promise.all([
    officeOfUser(ctx.db, user.id),
    officesOfPersons(ctx.db, personIds, app.accessSettings.offices),
  ]);
  const own = personIds.some((id) => userOffice !== null && offices.get(id) === userOffice);
  const decision = decideScope(
    user.role,
    userOffice,
    own ? userOffice : (offices.get(personIds[0]!) ?? null),
    typeof header === 'string' ? header : null,
  );
  if (decision.kind === 'outside') throw new ApiError('OUTSIDE_OFFICE', decision.reason);
  if (decision.kind === 'break-glass') req.access!.breakGlassReason = decision.reason;
}

/**
 * For a list that names persons (the identity review queue): the persons of the request's officer's own
 * office among the given ones, or undefined when the user is not office-bound. A list offers no
 * break-glass: an officer lists their office's items and opens another office's one by its id, with a
 * written reason (checkOfficeScope).
 */
export function ownOfficePersons(
  app: FastifyInstance,
  ctx: AppContext,
  req: FastifyRequest,
): VisiblePersons | undefined {
  const user = req.user!;
  if (user.role !== 'officer') return undefined;
  return async (personIds) => {
    const [userOffice, offices] = await Promise.all([
      officeOfUser(ctx.db, user.id),
      officesOfPersons(ctx.db, personIds, app.accessSettings.offices),
    ]);
    return new Set(personIds.filter((id) => userOffice !== null && offices.get(id) === userOffice));
  };
}

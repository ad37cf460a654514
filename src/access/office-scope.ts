import type { Role } from './roles.js';

/** A written reason is required to open a person outside one's office; a few words are not a reason. */
export const MIN_BREAK_GLASS_REASON = 15;
export const MAX_BREAK_GLASS_REASON = 500;

export type ScopeDecision =
  | { readonly kind: 'in-scope' }
  | { readonly kind: 'break-glass'; readonly reason: string }
  | { readonly kind: 'outside'; readonly reason: string };

/**
 * May this user open this person? Officers see the persons of their own office (the office responsible
 * for the port of the person's latest admission); outside it, only with a written reason, which is
 * allowed, flagged in the audit and reviewed. Supervisors work across offices.
 */
export function decideScope(
  role: Role,
  userOffice: string | null,
  personOffice: string | null,
  breakGlassReason: string | null,
): ScopeDecision {
  if (role !== 'officer') return { kind: 'in-scope' };
  if (userOffice !== null && userOffice === personOffice) return { kind: 'in-scope' };
  const reason = breakGlassReason?.trim() ?? '';
  if (reason.length >= MIN_BREAK_GLASS_REASON) return { kind: 'break-glass', reason };
  return {
    kind: 'outside',
    reason:
      `this person belongs to ${personOffice === null ? 'no office' : `the ${personOffice} office`}, not to ` +
      `${userOffice === null ? 'an office of yours' : `yours (${userOffice})`}; to open the record anyway, ` +
      `give a written reason (at least ${MIN_BREAK_GLASS_REASON} characters) in the x-break-glass header: ` +
      'it is recorded and reviewed',
  };
}

import { createHash } from 'node:crypto';
import type { Database } from '../store/database.js';
import { OIDC_NO_PASSWORD } from '../store/migrations/0004-oidc.js';
import { requiresTotp, type User } from './accounts.js';
import type { OidcSettings } from './oidc-settings.js';
import { isRole, ROLES, type Role } from './roles.js';

/** The claims of a verified ID token, completed from the userinfo endpoint. */
export type OidcClaims = Readonly<Record<string, unknown>> & { readonly sub: string };

/**
 * Why a person who signed in at the provider is not let in. The code travels to the sign-in page in the
 * address (`/?signin_error=CODE`), so it names a reason and nothing about the person.
 */
export type OidcRefusal =
  | 'oidc_role' // no role claim, or not one of the platform roles
  | 'oidc_office' // an office the platform does not know
  | 'oidc_mfa'; // a role with a second factor, and the provider did not report one

export type OidcMapping =
  | {
      readonly kind: 'accepted';
      readonly role: Role;
      readonly office: string | null;
      readonly usernameHint: string;
    }
  | { readonly kind: 'refused'; readonly reason: OidcRefusal; readonly detail: string };

/** A claim by its exact name (URLs as claim names contain dots), else by a dotted path into objects. */
export function claimAt(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (name in claims) return claims[name];
  let at: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/**
 * The role a role claim names: a string, or a list holding exactly one platform role (providers that
 * send every group the person is in). Anything else is no role: the platform never assumes one.
 */
function roleOf(value: unknown): Role | null {
  if (typeof value === 'string') return isRole(value) ? value : null;
  if (Array.isArray(value)) {
    const roles = [...new Set(value.filter((v): v is Role => typeof v === 'string' && isRole(v)))];
    return roles.length === 1 ? roles[0]! : null;
  }
  return null;
}

const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 80));

/**
 * Maps the claims of a sign-in at the provider to a platform role and office. The role must be one of
 * the platform roles; the office, when given, one of config/offices.json; a role that signs in locally
 * with a second factor must show one at the provider (amr of the ID token, not of userinfo).
 */
export function mapOidcClaims(
  claims: OidcClaims,
  idTokenAmr: unknown,
  settings: Pick<OidcSettings, 'roleClaim' | 'officeClaim' | 'mfaAmr'>,
  isOffice: (id: string) => boolean,
): OidcMapping {
  const rawRole = claimAt(claims, settings.roleClaim);
  const role = roleOf(rawRole);
  if (role === null)
    return {
      kind: 'refused',
      reason: 'oidc_role',
      detail: `claim ${settings.roleClaim} is ${show(rawRole)}, not one of ${ROLES.join(', ')}`,
    };
  const rawOffice = claimAt(claims, settings.officeClaim);
  let office: string | null = null;
  if (rawOffice !== undefined && rawOffice !== null && rawOffice !== '') {
    if (typeof rawOffice !== 'string' || !isOffice(rawOffice))
      return {
        kind: 'refused',
        reason: 'oidc_office',
        detail: `claim ${settings.officeClaim} is ${show(rawOffice)}, not an office of config/offices.json`,
      };
    office = rawOffice;
  }
  if (requiresTotp(role) && settings.mfaAmr !== null) {
    const amr = Array.isArray(idTokenAmr) ? idTokenAmr.filter((a) => typeof a === 'string') : [];
    if (!amr.some((a) => settings.mfaAmr!.includes(a)))
      return {
        kind: 'refused',
        reason: 'oidc_mfa',
        detail: `the ${role} role needs a second factor at the provider: amr ${show(idTokenAmr)} has none of ${settings.mfaAmr.join(', ')}`,
      };
  }
  return { kind: 'accepted', role, office, usernameHint: usernameHint(claims) };
}

/** What the person is called at the provider, for the user name shown in the app and in the audit log. */
function usernameHint(claims: OidcClaims): string {
  for (const name of ['preferred_username', 'email', 'sub']) {
    const v = claims[name];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return claims.sub;
}

/**
 * The user name of an OIDC user: the provider's name for the person, with `@` and the provider's host
 * when it has none. Local user names cannot hold `@` (accounts.ts), so the two never collide.
 */
export function oidcUsername(hint: string, issuer: string): string {
  const clean =
    hint
      .toLowerCase()
      .replace(/[^a-z0-9._@-]+/g, '-')
      .replace(/^[-.]+/, '')
      .slice(0, 64) || 'user';
  return clean.includes('@') ? clean : `${clean}@${new URL(issuer).hostname}`;
}

const linkHash = (issuer: string, subject: string) =>
  createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 8);

/**
 * The user linked to this provider subject, created on its first sign-in. The link is the issuer and the
 * subject (stable and never reassigned by the provider), never the e-mail or the name: a local account
 * with the same name or address stays a different user. Role and office follow the provider at every
 * sign-in, so a change made there takes effect at the next one.
 */
export async function linkOidcUser(
  db: Database,
  link: { readonly issuer: string; readonly subject: string },
  mapping: { readonly role: Role; readonly office: string | null; readonly usernameHint: string },
): Promise<User & { readonly created: boolean }> {
  return db.transaction(async (s) => {
    const [found] = await s.query<User>(
      `update app_user set role = $3, office = $4 where oidc_issuer = $1 and oidc_subject = $2
       returning id::text as id, username, role`,
      [link.issuer, link.subject, mapping.role, mapping.office],
    );
    if (found) return { ...found, created: false };
    let username = oidcUsername(mapping.usernameHint, link.issuer);
    const [taken] = await s.query('select 1 from app_user where username = $1', [username]);
    // Someone else has that name (another subject, or a rename at the provider): this one gets a suffix.
    if (taken) username = `${username.slice(0, 55)}~${linkHash(link.issuer, link.subject)}`;
    const [created] = await s.query<User>(
      `insert into app_user (username, password_hash, role, office, oidc_issuer, oidc_subject)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (oidc_issuer, oidc_subject) do update set role = excluded.role, office = excluded.office
       returning id::text as id, username, role`,
      [username, OIDC_NO_PASSWORD, mapping.role, mapping.office, link.issuer, link.subject],
    );
    return { ...created!, created: true };
  });
}

import type { Role } from './roles.js';

/**
 * What an action touches. `personal` actions read or change records about people: each names a purpose
 * and writes one audit entry (PRODUCT.md principle 6). `figures` actions see only aggregates.
 */
export type Sensitivity = 'public' | 'figures' | 'personal' | 'account';

export interface Permission {
  /** Who may: 'public' (no sign-in), 'signed-in' (any role), or the roles listed. */
  readonly allow: 'public' | 'signed-in' | readonly Role[];
  readonly sensitivity: Sensitivity;
}

const EVERY_ROLE = ['analyst', 'officer', 'supervisor', 'auditor', 'admin'] as const;
const CASE_WORKERS = ['officer', 'supervisor'] as const;

/**
 * The allow-tables: one per resource, roles x actions. Deny by default: an action that is not here
 * cannot be declared by a route, and a route without an action refuses to start (build-app.ts).
 * Data-level checks (an officer's own office, an analyst's pseudonyms) sit on top, in the use cases.
 */
export const POLICY = {
  session: {
    create: { allow: 'public', sensitivity: 'account' },
    read: { allow: 'public', sensitivity: 'account' },
    delete: { allow: 'public', sensitivity: 'account' },
    // OpenID Connect sign-in (docs/security.md): whether it is on, the way out to the provider and back.
    oidcInfo: { allow: 'public', sensitivity: 'account' },
    oidcStart: { allow: 'public', sensitivity: 'account' },
    oidcCallback: { allow: 'public', sensitivity: 'account' },
  },
  purpose: {
    list: { allow: 'signed-in', sensitivity: 'account' },
  },
  person: {
    search: { allow: CASE_WORKERS, sensitivity: 'personal' },
    read: { allow: CASE_WORKERS, sensitivity: 'personal' },
  },
  report: {
    read: { allow: EVERY_ROLE, sensitivity: 'figures' },
    // Analysts get the stays behind a figure with pseudonyms instead of person ids.
    drillDown: { allow: ['analyst', 'officer', 'supervisor'], sensitivity: 'personal' },
    departures: { allow: EVERY_ROLE, sensitivity: 'figures' },
  },
  import: {
    create: { allow: ['supervisor', 'admin'], sensitivity: 'personal' },
    list: { allow: ['supervisor', 'admin'], sensitivity: 'figures' },
  },
  quarantine: {
    list: { allow: ['supervisor', 'admin'], sensitivity: 'personal' },
    read: { allow: ['supervisor', 'admin'], sensitivity: 'personal' },
    resubmit: { allow: ['supervisor', 'admin'], sensitivity: 'personal' },
    discard: { allow: ['supervisor', 'admin'], sensitivity: 'personal' },
  },
  audit: {
    // The audit log holds ids, not personal content; reading it is itself audited.
    read: { allow: ['auditor', 'supervisor'], sensitivity: 'personal' },
    status: { allow: ['auditor', 'admin'], sensitivity: 'figures' },
    export: { allow: ['auditor'], sensitivity: 'personal' },
  },
  // <- users (user admin)
  users: {
    // Staff accounts, not persons of the mission: no purpose, but every change writes an audit entry
    // (src/api/routes/user-routes.ts).
    list: { allow: ['admin'], sensitivity: 'account' },
    create: { allow: ['admin'], sensitivity: 'account' },
    update: { allow: ['admin'], sensitivity: 'account' },
    disable: { allow: ['admin'], sensitivity: 'account' },
    enable: { allow: ['admin'], sensitivity: 'account' },
    resetTotp: { allow: ['admin'], sensitivity: 'account' },
  },
  retention: {
    // Erasure under config/retention.json (docs/retention.md). The preview (a dry run) lists the persons due,
    // so supervisors who place holds can see who is about to go; only an admin runs the erasure.
    preview: { allow: ['supervisor', 'admin'], sensitivity: 'personal' },
    run: { allow: ['admin'], sensitivity: 'personal' },
    holdList: { allow: ['supervisor', 'auditor', 'admin'], sensitivity: 'personal' },
    holdCreate: { allow: ['supervisor', 'admin'], sensitivity: 'personal' },
    holdRelease: { allow: ['supervisor', 'admin'], sensitivity: 'personal' },
  },
  redress: {
    // The public files disputes and checks tickets; the answer never says whether a record exists.
    submit: { allow: 'public', sensitivity: 'public' },
    status: { allow: 'public', sensitivity: 'public' },
    list: { allow: CASE_WORKERS, sensitivity: 'personal' },
    read: { allow: CASE_WORKERS, sensitivity: 'personal' },
    link: { allow: CASE_WORKERS, sensitivity: 'personal' },
    verifyIdentity: { allow: CASE_WORKERS, sensitivity: 'personal' },
    correct: { allow: CASE_WORKERS, sensitivity: 'personal' },
    close: { allow: CASE_WORKERS, sensitivity: 'personal' },
  },
  departure: {
    // The public reports their own departure; the answer never says whether they are on record.
    selfReport: { allow: 'public', sensitivity: 'public' },
    report: { allow: EVERY_ROLE, sensitivity: 'figures' },
    drillDown: { allow: CASE_WORKERS, sensitivity: 'personal' },
    live: { allow: EVERY_ROLE, sensitivity: 'figures' },
    follow: { allow: CASE_WORKERS, sensitivity: 'personal' },
    followList: { allow: CASE_WORKERS, sensitivity: 'personal' },
  },
  identity: {
    // Identity review (docs/linkage.md): case workers decide pairs and verify identities; merging and
    // splitting persons by hand is a supervisor's; the model's error rate is a figure.
    reviewList: { allow: CASE_WORKERS, sensitivity: 'personal' },
    reviewRead: { allow: CASE_WORKERS, sensitivity: 'personal' },
    reviewDecide: { allow: CASE_WORKERS, sensitivity: 'personal' },
    quality: { allow: ['analyst', 'supervisor', 'auditor', 'admin'], sensitivity: 'figures' },
    merge: { allow: ['supervisor'], sensitivity: 'personal' },
    split: { allow: ['supervisor'], sensitivity: 'personal' },
    verify: { allow: CASE_WORKERS, sensitivity: 'personal' },
  },
} as const satisfies Record<string, Record<string, Permission>>;

export type Resource = keyof typeof POLICY;
/** `resource.action`, e.g. `person.read`: what a route declares. */
export type AccessKey = { [R in Resource]: `${R}.${keyof (typeof POLICY)[R] & string}` }[Resource];

export function permissionOf(key: AccessKey): Permission {
  const [resource, action] = key.split('.') as [Resource, string];
  return (POLICY[resource] as Record<string, Permission>)[action]!;
}

export function isAllowed(permission: Permission, role: Role | null): boolean {
  if (permission.allow === 'public') return true;
  if (role === null) return false;
  return permission.allow === 'signed-in' || permission.allow.includes(role);
}

/** Every action of every table, for the matrix test and the docs. */
export const ACCESS_KEYS: readonly AccessKey[] = Object.entries(POLICY).flatMap(([resource, actions]) =>
  Object.keys(actions).map((action) => `${resource}.${action}` as AccessKey),
);

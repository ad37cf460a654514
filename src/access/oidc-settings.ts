/**
 * OpenID Connect sign-in settings (docs/security.md, "OpenID Connect"), read from IMOS_OIDC_* and checked
 * at start: either none of the required variables is set (sign-in with local accounts only) or all are.
 */
export interface OidcSettings {
  /** The provider's issuer identifier; its discovery document is at <issuer>/.well-known/openid-configuration. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where the provider sends the browser back; registered with the provider as a redirect URI. */
  readonly redirectUrl: string;
  /** The claim (ID token or userinfo) naming the platform role; a dotted path reaches into an object. */
  readonly roleClaim: string;
  /** The claim naming the office (config/offices.json); absent: no office. */
  readonly officeClaim: string;
  /** Scopes asked for; they must make the provider release the role and office claims. */
  readonly scopes: string;
  /**
   * `amr` values of the ID token that show the provider checked a second factor, required for the roles
   * that sign in locally with TOTP (supervisor, admin); null: not checked (the provider enforces it).
   */
  readonly mfaAmr: readonly string[] | null;
}

const REQUIRED = [
  'IMOS_OIDC_ISSUER',
  'IMOS_OIDC_CLIENT_ID',
  'IMOS_OIDC_CLIENT_SECRET',
] as const satisfies readonly string[];
const OPTIONAL = [
  'IMOS_OIDC_REDIRECT_URL',
  'IMOS_OIDC_ROLE_CLAIM',
  'IMOS_OIDC_OFFICE_CLAIM',
  'IMOS_OIDC_SCOPES',
  'IMOS_OIDC_MFA_AMR',
] as const satisfies readonly string[];

export const OIDC_CALLBACK_PATH = '/api/session/oidc/callback';
export const DEFAULT_MFA_AMR = ['mfa', 'otp'] as const;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Plain http is accepted only on this machine (a provider run by a test or a developer). */
function checkUrl(name: string, value: string, problems: string[]): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name} "${value}" is not a URL`);
    return null;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    problems.push(`${name} "${value}" must be an https:// URL (http:// only for localhost)`);
    return null;
  }
  if (url.search || url.hash) {
    problems.push(`${name} "${value}" must not have a query or fragment`);
    return null;
  }
  return url;
}

/**
 * The OIDC settings of an environment, or null when OIDC is not configured. Problems are added to the
 * list (readConfig reports them all at once); the default redirect URL is this server's own callback.
 */
export function readOidcSettings(
  env: NodeJS.ProcessEnv,
  server: { readonly host: string; readonly port: number },
  problems: string[],
): OidcSettings | null {
  const value = (name: string) => env[name]?.trim() || undefined;
  const set = [...REQUIRED, ...OPTIONAL].filter((n) => value(n) !== undefined);
  if (set.length === 0) return null;
  const missing = REQUIRED.filter((n) => value(n) === undefined);
  if (missing.length > 0) {
    problems.push(
      `OpenID Connect sign-in is configured only in part (${set.join(', ')} set): also set ${missing.join(', ')}, or none of IMOS_OIDC_*`,
    );
    return null;
  }
  const before = problems.length;
  const issuer = value('IMOS_OIDC_ISSUER')!;
  checkUrl('IMOS_OIDC_ISSUER', issuer, problems);
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  const own = `http://${host}:${server.port}${OIDC_CALLBACK_PATH}`;
  const redirectUrl = value('IMOS_OIDC_REDIRECT_URL') ?? own;
  let redirect: URL | null = null;
  if (value('IMOS_OIDC_REDIRECT_URL') === undefined && !LOOPBACK.has(new URL(own).hostname))
    problems.push(
      `IMOS_OIDC_REDIRECT_URL is not set, and this server's own address (${own}) is not https: set it to the address browsers use, e.g. https://imos.example.org${OIDC_CALLBACK_PATH}`,
    );
  else redirect = checkUrl('IMOS_OIDC_REDIRECT_URL', redirectUrl, problems);
  if (redirect && redirect.pathname !== OIDC_CALLBACK_PATH)
    problems.push(`IMOS_OIDC_REDIRECT_URL "${redirectUrl}" must end in ${OIDC_CALLBACK_PATH}`);
  const scopes = (value('IMOS_OIDC_SCOPES') ?? 'openid profile email').split(/[\s,]+/).filter(Boolean);
  if (!scopes.includes('openid')) problems.push('IMOS_OIDC_SCOPES must include openid');
  const amr = value('IMOS_OIDC_MFA_AMR');
  const mfaAmr =
    amr === undefined
      ? DEFAULT_MFA_AMR
      : amr.toLowerCase() === 'none'
        ? null
        : amr.split(/[\s,]+/).filter(Boolean);
  if (mfaAmr !== null && mfaAmr.length === 0)
    problems.push('IMOS_OIDC_MFA_AMR must list amr values (e.g. mfa,otp) or be "none"');
  const claim = (name: string, fallback: string) => {
    const c = value(name) ?? fallback;
    if (!/^[\w.:/-]{1,200}$/.test(c)) problems.push(`${name} "${c}" is not a claim name`);
    return c;
  };
  const settings: OidcSettings = {
    issuer,
    clientId: value('IMOS_OIDC_CLIENT_ID')!,
    clientSecret: value('IMOS_OIDC_CLIENT_SECRET')!,
    redirectUrl,
    roleClaim: claim('IMOS_OIDC_ROLE_CLAIM', 'imos_role'),
    officeClaim: claim('IMOS_OIDC_OFFICE_CLAIM', 'imos_office'),
    scopes: scopes.join(' '),
    mfaAmr,
  };
  return problems.length > before ? null : settings;
}

/**
 * A real OpenID provider (oidc-provider) for tests, on a free port of this machine. Its login and consent
 * pages are reduced to what a person would do there: log in as the account the test names next (with
 * the authentication methods it names, which the ID token reports as amr), or cancel; then grant what
 * the client asked for. Everything else (discovery, keys, PKCE, codes, tokens, userinfo) is the
 * provider's own.
 */
import { freePort, listenOn } from './free-port.js';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';

export const TEST_CLIENT_ID = 'immigrationos-test';
export const TEST_CLIENT_SECRET = 'the client secret of the test, long enough';

/** Who logs in at the provider next, and how (amr), or a person who cancels there. */
export type NextLogin =
  { readonly accountId: string; readonly amr: readonly string[] } | { readonly deny: true };

export interface TestProvider {
  readonly issuer: string;
  /** The claims the provider releases about each account (by subject); a test may change them. */
  readonly accounts: Record<string, Record<string, unknown>>;
  next(login: NextLogin): void;
  close(): Promise<void>;
}

export { freePort, listenOn };

/**
 * Starts a provider whose one client is the platform, allowed to come back to `redirectUrl`. The issuer
 * is http://HOST:PORT (HOST: localhost gives a browser test a site other than the app's 127.0.0.1).
 */
export async function startTestProvider(options: {
  readonly redirectUrl: string;
  readonly accounts: Record<string, Record<string, unknown>>;
  readonly hostname?: 'localhost' | '127.0.0.1';
}): Promise<TestProvider> {
  const hostname = options.hostname ?? '127.0.0.1';
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  const issuer = `http://${hostname}:${await listenOn(server)}`;
  const { accounts } = options;
  let nextLogin: NextLogin = { deny: true };

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
        redirect_uris: [options.redirectUrl],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['a cookie key of the test provider'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    ttl: {
      Interaction: 600,
      Session: 600,
      Grant: 600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    // amr in the ID token (from the login below), as providers with a second factor send it; the
    // platform's claims under a scope of their own, released by userinfo.
    claims: {
      openid: ['sub', 'amr'],
      profile: ['preferred_username'],
      email: ['email'],
      imos: ['imos_role', 'imos_office'],
    },
    findAccount: (_ctx, id) =>
      accounts[id] ? { accountId: id, claims: () => ({ sub: id, ...accounts[id] }) } : undefined,
  });

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const login = nextLogin;
    if ('deny' in login) {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the person cancelled' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (details.prompt.name === 'login') {
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: login.accountId, amr: [...login.amr] } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const accountId = details.session!.accountId;
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({ accountId, clientId: String(details.params['client_id']) });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  const callback = provider.callback();
  handler = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    } else void callback(req, res);
  };

  return {
    issuer,
    accounts,
    next: (login) => void (nextLogin = login),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

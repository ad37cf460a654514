import { createHmac, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcClaims } from './oidc-accounts.js';
import type { OidcSettings } from './oidc-settings.js';

/**
 * What the start of a sign-in leaves with the browser for its return: the state (ties the answer to this
 * browser), the nonce (ties the ID token to this request) and the PKCE verifier (only this browser can
 * redeem the code). Kept in a short-lived cookie, sealed so it cannot be altered or kept past its time.
 */
export interface OidcTransaction {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

/** The time a person has at the provider to sign in. */
export const OIDC_TRANSACTION_SECONDS = 600;

/** The outcome of the provider's answer: the verified claims and the ID token's amr. */
export interface OidcIdentity {
  readonly issuer: string;
  readonly claims: OidcClaims;
  readonly amr: unknown;
}

/** The provider answered with an error (e.g. access_denied: the person cancelled or was not allowed). */
export class OidcProviderError extends Error {
  constructor(readonly error: string) {
    super(`the identity provider answered ${error}`);
  }
}

/** The answer does not belong to the sign-in this browser started (state or transaction). */
export class OidcStateError extends Error {}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The client side of the authorization code flow with PKCE, state and nonce (openid-client), against
 * the provider's discovery document, fetched at the first sign-in and kept (fetched again after a failure).
 */
export class OidcClient {
  #configuration: Promise<client.Configuration> | null = null;
  readonly #sealKey: Buffer;

  constructor(readonly settings: OidcSettings) {
    // Processes of one deployment share the client secret, so a sign-in started on one can end on another.
    this.#sealKey = createHmac('sha256', settings.clientSecret).update('imos oidc transaction').digest();
  }

  #configure(): Promise<client.Configuration> {
    this.#configuration ??= (async () => {
      const issuer = new URL(this.settings.issuer);
      const config = await client.discovery(
        issuer,
        this.settings.clientId,
        undefined,
        client.ClientSecretBasic(this.settings.clientSecret),
        // Plain http only for a provider on this machine (oidc-settings.ts refuses it elsewhere).
        { timeout: 10, ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}) },
      );
      config.timeout = 10;
      // The ID token's signature is checked too (against the provider's published keys), not only its
      // claims: TLS to the token endpoint would be enough by the specification, two checks are better.
      client.enableNonRepudiationChecks(config);
      return config;
    })().catch((err: unknown) => {
      this.#configuration = null;
      throw err;
    });
    return this.#configuration;
  }

  /** The provider's address to send the browser to, and the transaction to keep until it returns. */
  async start(now = Date.now()): Promise<{ url: URL; transaction: OidcTransaction }> {
    const config = await this.#configure();
    const transaction: OidcTransaction = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      expiresAt: now + OIDC_TRANSACTION_SECONDS * 1000,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes,
      state: transaction.state,
      nonce: transaction.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(transaction.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, transaction };
  }

  /**
   * Checks the provider's answer (the query of the callback) against the transaction, redeems the code
   * with the PKCE verifier and the client secret, checks the ID token (signature against the provider's
   * keys, issuer, audience, expiry, nonce) and completes its claims from userinfo (same subject, checked by
   * openid-client). Claims of the ID token win over userinfo's.
   */
  async finish(query: URLSearchParams, transaction: OidcTransaction): Promise<OidcIdentity> {
    const state = query.get('state');
    if (state === null || !equal(state, transaction.state))
      throw new OidcStateError('the state of the answer is not the one of this sign-in');
    const error = query.get('error');
    if (error !== null) throw new OidcProviderError(error.slice(0, 64));
    const config = await this.#configure();
    // The redirect URI sent to the token endpoint is the configured one, whatever proxy the answer came through.
    const current = new URL(this.settings.redirectUrl);
    current.search = query.toString();
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: transaction.codeVerifier,
      expectedState: transaction.state,
      expectedNonce: transaction.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error('the provider returned no ID token');
    let userinfo: Record<string, unknown> = {};
    if (config.serverMetadata().userinfo_endpoint)
      userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
    return {
      issuer: idToken.iss,
      claims: { ...userinfo, ...idToken, sub: idToken.sub },
      amr: idToken.amr,
    };
  }

  /** The cookie value of a transaction: its JSON and an HMAC of it, both base64url. */
  seal(transaction: OidcTransaction): string {
    const body = Buffer.from(JSON.stringify(transaction)).toString('base64url');
    return `${body}.${this.#mac(body)}`;
  }

  /** The transaction of a cookie, or null when it is missing, altered or past its time. */
  open(value: string | undefined, now = Date.now()): OidcTransaction | null {
    if (!value) return null;
    const [body, mac, extra] = value.split('.');
    if (!body || !mac || extra !== undefined || !equal(mac, this.#mac(body))) return null;
    try {
      const t = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<OidcTransaction>;
      if (
        typeof t.state !== 'string' ||
        typeof t.nonce !== 'string' ||
        typeof t.codeVerifier !== 'string' ||
        typeof t.expiresAt !== 'number' ||
        t.expiresAt <= now
      )
        return null;
      return { state: t.state, nonce: t.nonce, codeVerifier: t.codeVerifier, expiresAt: t.expiresAt };
    } catch {
      return null;
    }
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#sealKey).update(body).digest('base64url');
  }
}

import { useEffect, useState, type FormEvent } from 'react';
import { api, HttpError, type User } from '../api.js';
import { Link } from '../router.js';

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** What to tell the person after a refused sign-in, from the server's error code. */
function refusalMessage(err: unknown): string {
  if (!(err instanceof HttpError)) return 'Signing in failed.';
  switch (err.code) {
    case 'UNAUTHENTICATED':
      return 'Unknown user or wrong password.';
    case 'TOTP_INVALID':
      return 'That code is wrong, expired or already used. Wait for the next code and try again.';
    case 'ACCOUNT_LOCKED': {
      const until = (err.details as { lockedUntil?: string } | undefined)?.lockedUntil;
      return `Too many failed sign-ins: this account is locked${until ? ` until ${clock(until)}` : ' for 15 minutes'}.`;
    }
    case 'TOO_MANY_REQUESTS': {
      const seconds = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      return `Too many sign-in attempts from this computer. Try again in ${seconds ?? 60} seconds.`;
    }
    default:
      return err.message;
  }
}

/**
 * Why a sign-in through the organisation's identity provider came back here (`/?signin_error=CODE`,
 * src/api/routes/oidc-routes.ts).
 */
function oidcRefusalMessage(code: string): string {
  switch (code) {
    case 'oidc_role':
      return "Your organisation's sign-in gives you no role in ImmigrationOS (analyst, officer, supervisor, auditor or admin). Ask your administrator to assign one.";
    case 'oidc_office':
      return "Your organisation's sign-in names an office ImmigrationOS does not know. Ask your administrator to correct it.";
    case 'oidc_mfa':
      return 'Your role signs in with a second factor: sign in at your organisation with multi-factor authentication, then try again.';
    case 'oidc_state':
      return 'That sign-in did not start in this browser, or it took too long. Please try again.';
    case 'oidc_denied':
      return 'Sign-in at your organisation was cancelled or refused.';
    case 'oidc_unavailable':
      return "Your organisation's sign-in cannot be reached just now. Try again in a few minutes.";
    case 'oidc_disabled':
      return 'This account has been disabled. Ask an administrator.';
    case 'too_many':
      return 'Too many sign-in attempts from this computer. Wait a minute and try again.';
    default:
      return "Your organisation's sign-in could not be verified. Try again; if it keeps failing, tell your administrator.";
  }
}

/** The reason a sign-in through the organisation came back with, if it did. */
function signInErrorInAddress(): string | null {
  const code = new URLSearchParams(window.location.search).get('signin_error');
  return code === null ? null : oidcRefusalMessage(code);
}

export function SignInPage({ expired, onSignedIn }: { expired: boolean; onSignedIn: (user: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // Supervisors and admins also type the 6-digit code of their authenticator app; the server asks for it.
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(signInErrorInAddress);
  const [busy, setBusy] = useState(false);
  // Where sign-in through the organisation's identity provider starts, when the server has one.
  const [oidcStart, setOidcStart] = useState<string | null>(null);

  useEffect(() => {
    // The reason is shown once: a reload or a bookmark of the page does not bring it back.
    const params = new URLSearchParams(window.location.search);
    if (params.has('signin_error')) {
      params.delete('signin_error');
      const rest = params.toString();
      window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}`);
    }
    const controller = new AbortController();
    api.oidc(controller.signal).then(
      (o) => setOidcStart(o.enabled ? (o.startUrl ?? '/api/session/oidc/start') : null),
      () => setOidcStart(null), // no button is better than a broken one: local sign-in still works
    );
    return () => controller.abort();
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api.signIn(username.trim(), password, needsCode ? code.replace(/\s/g, '') : undefined).then(
      ({ user }) => onSignedIn(user),
      (err: unknown) => {
        setBusy(false);
        if (err instanceof HttpError && err.code === 'TOTP_REQUIRED') {
          setNeedsCode(true);
          return;
        }
        setCode('');
        setError(refusalMessage(err));
      },
    );
  };

  return (
    <main className="sign-in" id="main">
      <h1>ImmigrationOS</h1>
      <form
        onSubmit={submit}
        data-testid="sign-in-form"
        aria-describedby={error ? 'sign-in-error' : undefined}
      >
        <h2>Sign in</h2>
        {expired ? (
          <p className="status" role="status">
            Your session has ended. Sign in again to continue.
          </p>
        ) : null}
        <label htmlFor="username">User name</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => {
            setUsername(e.target.value);
            setNeedsCode(false);
          }}
          data-testid="sign-in-username"
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="sign-in-password"
        />
        {needsCode ? (
          <>
            <label htmlFor="totp">Code from your authenticator app</label>
            <input
              id="totp"
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\s*(\d\s*){6}"
              title="6 digits"
              required
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
              aria-describedby="totp-hint"
              data-testid="sign-in-totp"
            />
            <p className="hint" id="totp-hint">
              Your role signs in with a second factor: type the 6-digit code your app shows now.
            </p>
          </>
        ) : null}
        {error ? (
          <p className="status error" role="alert" id="sign-in-error" data-testid="sign-in-error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy} data-testid="sign-in-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {oidcStart ? (
          <>
            <p className="hint">or</p>
            <button
              type="button"
              disabled={busy}
              onClick={() => window.location.assign(oidcStart)}
              data-testid="sign-in-oidc"
            >
              Sign in with your organisation
            </button>
          </>
        ) : null}
        <p className="hint">Every record in the demo is synthetic. Access is logged.</p>
      </form>
      <nav className="public-links" aria-label="For travellers">
        <p>Not staff? No sign-in needed:</p>
        <ul>
          <li>
            <Link to="/departure-report" data-testid="public-link-departure-report">
              Report your departure
            </Link>
          </li>
          <li>
            <Link to="/dispute" data-testid="public-link-dispute">
              Dispute your record
            </Link>
          </li>
        </ul>
      </nav>
    </main>
  );
}

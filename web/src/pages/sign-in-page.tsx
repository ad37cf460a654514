import { useState, type FormEvent } from 'react';
import { api, HttpError, type User } from '../api.js';

export function SignInPage({ expired, onSignedIn }: { expired: boolean; onSignedIn: (user: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api.signIn(username.trim(), password).then(
      ({ user }) => onSignedIn(user),
      (err: unknown) => {
        setBusy(false);
        if (err instanceof HttpError && err.status === 401) setError('Unknown user or wrong password.');
        else setError(err instanceof HttpError ? err.message : 'Signing in failed.');
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
          onChange={(e) => setUsername(e.target.value)}
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
        {error ? (
          <p className="status error" role="alert" id="sign-in-error" data-testid="sign-in-error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy} data-testid="sign-in-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">Every record in the demo is synthetic. Access is logged.</p>
      </form>
    </main>
  );
}

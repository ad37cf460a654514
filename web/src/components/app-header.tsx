import { useState, type FormEvent } from 'react';
import { Link, navigate, useLocation } from '../router.js';
import { offered, useUser } from '../session.js';
import { DepartureAlerts } from './departure-alerts.js';
import { PurposePicker } from './purpose-picker.js';

export function AppHeader({ onSignOut }: { onSignOut: () => void }) {
  const user = useUser();
  const { pathname } = useLocation();
  const current = (p: string) => (pathname === p ? 'page' : undefined);
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link to="/" className="brand">
        ImmigrationOS
      </Link>
      <nav aria-label="Main">
        <Link to="/" aria-current={current('/')}>
          Overview
        </Link>
        <Link
          to="/departures/live"
          aria-current={pathname.startsWith('/departures/') ? 'page' : undefined}
          data-testid="nav-departures-live"
        >
          Live departures
        </Link>
        {/* <- auditor and user-admin links */}
        {offered(user, 'audit') ? (
          <Link to="/audit" aria-current={current('/audit')} data-testid="nav-audit">
            Audit
          </Link>
        ) : null}
        {offered(user, 'users') ? (
          <Link to="/users" aria-current={current('/users')} data-testid="nav-users">
            Users
          </Link>
        ) : null}
        {offered(user, 'search') ? (
          <Link to="/redress" aria-current={current('/redress')} data-testid="nav-redress">
            Redress
          </Link>
        ) : null}
        {/* <- redress queue link */}
        {offered(user, 'identityReview') || offered(user, 'linkageQuality') ? (
          <Link
            to="/identity/reviews"
            aria-current={pathname.startsWith('/identity/') ? 'page' : undefined}
            data-testid="nav-identity"
          >
            {offered(user, 'identityReview') ? 'Identity review' : 'Linkage quality'}
          </Link>
        ) : null}
        {offered(user, 'quarantine') ? (
          <Link to="/quarantine" aria-current={current('/quarantine')} data-testid="nav-quarantine">
            Quarantine
          </Link>
        ) : null}
        {/* The stream's quarantine: the same roles look after both (src/api/routes/stream-routes.ts). */}
        {offered(user, 'quarantine') ? (
          <Link to="/dead-letters" aria-current={current('/dead-letters')} data-testid="nav-dead-letters">
            Dead letters
          </Link>
        ) : null}
      </nav>
      {offered(user, 'search') ? <SearchBox /> : null}
      <PurposePicker />
      <div className="user">
        <span data-testid="header-user">
          {user?.username} <span className="role">({user?.role})</span>
        </span>
        <button type="button" onClick={onSignOut} data-testid="sign-out">
          Sign out
        </button>
      </div>
      <DepartureAlerts />
    </header>
  );
}

function SearchBox() {
  const { search } = useLocation();
  const [q, setQ] = useState(search.get('q') ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = q.trim();
    if (text.length >= 2) navigate(`/search?q=${encodeURIComponent(text)}`);
  };
  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <label htmlFor="header-search" className="visually-hidden">
        Find a person by document number, admission number or family name
      </label>
      <input
        id="header-search"
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Document, admission no. or family name"
        minLength={2}
        maxLength={100}
        data-testid="search-input"
      />
      <button type="submit" data-testid="search-submit">
        Search
      </button>
      <Link to="/search" className="search-more" data-testid="search-advanced-link">
        More options
      </Link>
    </form>
  );
}

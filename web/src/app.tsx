import { useEffect, useState } from 'react';
import { api, HttpError, setUnauthenticatedHandler, type User } from './api.js';
import { AppHeader } from './components/app-header.js';
import { AuditPage } from './pages/audit-page.js';
import { DeadLettersPage } from './pages/dead-letters-page.js';
import { UsersPage } from './pages/users-page.js';
import { ErrorMessage, Loading } from './components/status.js';
import { DisputePage, DisputeStatusPage } from './pages/dispute-pages.js';
import { DepartureEvidencePage, LiveDeparturesPage } from './pages/departures-live-page.js';
import { DrillDownPage } from './pages/drill-down-page.js';
import { IdentityReviewPage, IdentityReviewQueuePage } from './pages/identity-review-pages.js';
import { DisputeWorkPage, RedressQueuePage } from './pages/redress-pages.js';
import { OverviewPage } from './pages/overview-page.js';
import { PersonPage } from './pages/person-page.js';
import { QuarantinePage } from './pages/quarantine-page.js';
import { SearchPage } from './pages/search-page.js';
import { SelfReportPage } from './pages/self-report-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { matchPath, useLocation } from './router.js';
import { UserContext } from './session.js';

type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; expired: boolean }
  | { status: 'signed-in'; user: User }
  | { status: 'error'; error: HttpError };

export function App() {
  // The dispute form, its status page and the departure self-report are public: no session, nothing of the app around them.
  const { pathname } = useLocation();
  if (matchPath('/dispute', pathname)) return <DisputePage />;
  if (matchPath('/dispute/status', pathname)) return <DisputeStatusPage />;
  if (matchPath('/departure-report', pathname)) return <SelfReportPage />;
  return <StaffApp />;
}

function StaffApp() {
  const [session, setSession] = useState<SessionState>({ status: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    // A 401 from any request means the session ended: show the sign-in page, keep the address.
    setUnauthenticatedHandler(() => setSession({ status: 'signed-out', expired: true }));
    const controller = new AbortController();
    api.session(controller.signal).then(
      ({ user }) => setSession({ status: 'signed-in', user }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof HttpError && err.status === 401)
          setSession({ status: 'signed-out', expired: false });
        else
          setSession({
            status: 'error',
            error: HttpError.from(err),
          });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  if (session.status === 'checking') {
    return (
      <main className="page">
        <Loading what="your session" />
      </main>
    );
  }
  if (session.status === 'error') {
    return (
      <main className="page">
        <ErrorMessage error={session.error} retry={() => setAttempt((a) => a + 1)} />
      </main>
    );
  }
  if (session.status === 'signed-out') {
    return (
      <SignInPage
        expired={session.expired}
        onSignedIn={(user) => setSession({ status: 'signed-in', user })}
      />
    );
  }
  return (
    <UserContext.Provider value={session.user}>
      <AppHeader
        onSignOut={() => {
          api.signOut().then(
            () => setSession({ status: 'signed-out', expired: false }),
            () => setSession({ status: 'signed-out', expired: false }),
          );
        }}
      />
      <main className="page" id="main">
        <Routes />
      </main>
    </UserContext.Provider>
  );
}

function Routes() {
  const { pathname } = useLocation();
  if (matchPath('/', pathname)) return <OverviewPage />;
  if (matchPath('/report/stays', pathname)) return <DrillDownPage />;
  const person = matchPath('/persons/:id', pathname);
  if (person) return <PersonPage id={person['id']!} />;
  if (matchPath('/search', pathname)) return <SearchPage />;
  if (matchPath('/departures/live', pathname)) return <LiveDeparturesPage />;
  if (matchPath('/departures/report/stays', pathname)) return <DepartureEvidencePage />;
  if (matchPath('/quarantine', pathname)) return <QuarantinePage />;
  if (matchPath('/dead-letters', pathname)) return <DeadLettersPage />;
  // <- auditor and user-admin pages
  if (matchPath('/audit', pathname)) return <AuditPage />;
  if (matchPath('/users', pathname)) return <UsersPage />;
  if (matchPath('/redress', pathname)) return <RedressQueuePage />;
  const dispute = matchPath('/redress/:id', pathname);
  if (dispute) return <DisputeWorkPage id={dispute['id']!} />;
  // <- redress queue
  if (matchPath('/identity/reviews', pathname)) return <IdentityReviewQueuePage />;
  const review = matchPath('/identity/reviews/:id', pathname);
  if (review) return <IdentityReviewPage id={review['id']!} />;
  return (
    <div className="status error" role="alert" data-testid="not-found">
      <strong>No such page.</strong> {pathname} is not a page of ImmigrationOS.
    </div>
  );
}

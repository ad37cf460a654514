import type { HttpError } from '../api.js';
import { useUser } from '../session.js';

export function Loading({ what }: { what: string }) {
  return (
    <p className="status loading" role="status" aria-live="polite" data-testid="loading">
      Loading {what}…
    </p>
  );
}

/** An error said plainly: 403 is "your role may not see this", not a generic failure. */
export function ErrorMessage({ error, retry }: { error: HttpError; retry?: () => void }) {
  const user = useUser();
  if (error.status === 403) {
    return (
      <div className="status forbidden" role="alert" data-testid="forbidden">
        <strong>Not allowed.</strong> Your role{user ? ` (${user.role})` : ''} may not see this. If your work
        needs it, ask an administrator.
      </div>
    );
  }
  if (error.code === 'PURPOSE_REQUIRED') {
    return (
      <div className="status error" role="alert" data-testid="purpose-required">
        <strong>Choose a purpose of use first.</strong> Every look at a person's record is recorded with its
        purpose: pick one at the top of the page. ({error.message})
      </div>
    );
  }
  const title =
    error.status === 404
      ? 'Not found.'
      : error.status === 400
        ? 'The request was not accepted.'
        : 'Something went wrong.';
  const canRetry = retry && (error.status === 0 || error.status >= 500);
  return (
    <div className="status error" role="alert" data-testid="error" data-status={error.status}>
      <strong>{title}</strong> {error.message}
      {canRetry ? (
        <>
          {' '}
          <button type="button" onClick={retry}>
            Try again
          </button>
        </>
      ) : null}
    </div>
  );
}

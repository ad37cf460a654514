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

/**
 * A refused or failed action (a form's answer), said as a plain sentence under the form: 403 is what the
 * role may not do, 409 is why it cannot be done now, in the server's words.
 */
export function ActionError({ error, testId }: { error: HttpError; testId: string }) {
  const user = useUser();
  const forbidden = error.status === 403;
  let text: string;
  if (forbidden && error.code !== 'CSRF_FAILED' && error.code !== 'OUTSIDE_OFFICE')
    text = `Not allowed. Your role${user ? ` (${user.role})` : ''} may not do this.`;
  else if (error.status === 409) text = `Not done: ${sentence(error.message)}`;
  else if (error.code === 'PURPOSE_REQUIRED')
    text = `Choose a purpose of use first (at the top of the page): ${sentence(error.message)}`;
  else if (error.status === 400) text = `Not accepted: ${sentence(error.message)}`;
  else if (error.status === 404) text = `Not found: ${sentence(error.message)}`;
  else text = sentence(error.message);
  return (
    <p
      className={forbidden ? 'status forbidden' : 'status error'}
      role="alert"
      data-testid={testId}
      data-status={error.status}
      data-code={error.code}
    >
      {text}
    </p>
  );
}

/** A server message as the end of a sentence: with a full stop. */
const sentence = (message: string) => (/[.!?]$/.test(message.trim()) ? message.trim() : `${message.trim()}.`);

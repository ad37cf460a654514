/** Stable error codes and the HTTP status each maps to (the only place codes meet HTTP). */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  OUTSIDE_OFFICE: 403,
  PURPOSE_REQUIRED: 400,
  AUDIT_UNAVAILABLE: 503,
  NOT_FOUND: 404,
  CONFLICT: 409,
  NOT_OPEN: 409,
  STILL_INVALID: 422,
  FEED_UNREADABLE: 422,
  PAYLOAD_TOO_LARGE: 413,
  NOT_IMPLEMENTED: 501,
  // The observation stream's dead letters (stream-routes.ts): a server without NATS keeps none, which is
  // not "none are waiting"; one whose NATS does not answer cannot say either.
  NO_DEAD_LETTER_STREAM: 501,
  STREAM_UNAVAILABLE: 503,
  // Authentication (docs/security.md): the web app asks for the code on TOTP_REQUIRED.
  TOTP_REQUIRED: 401,
  TOTP_INVALID: 401,
  TOTP_NOT_ENROLLED: 403,
  CSRF_FAILED: 403,
  ACCOUNT_LOCKED: 423,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * The web app's HTTP client: same origin, JSON, the session in an HttpOnly cookie.
 * Response types are the server's own (type-only imports: nothing of the server reaches the bundle),
 * so a change to the API shape breaks the type check here instead of the page at run time.
 */
import { purposeHeaders } from './purpose.js';
import type { OverstayReportResult, DrillDownStay } from '../../src/app/overstay-report-query.js';
import type { PersonHit, PersonView } from '../../src/app/person-query.js';
import type { QuarantineEntry } from '../../src/app/quarantine-service.js';
import type { FlatRecord } from '../../src/core/observation/flat-columns.js';
import type { ReportCell, ReportGrouping } from '../../src/core/reports/overstay-report.js';
import type { FieldError } from '../../src/core/result/result.js';

export type {
  OverstayReportResult,
  DrillDownStay,
  PersonHit,
  PersonView,
  QuarantineEntry,
  FlatRecord,
  ReportCell,
  ReportGrouping,
  FieldError,
};
export type OverstayRow = OverstayReportResult['total'];
export type PersonStay = PersonView['stays'][number];
export type TimelineEntry = PersonView['observations'][number];

export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: string;
}

/** An API failure as the server reported it: `{ error: { code, message, details? } }` and the status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let onUnauthenticated: () => void = () => undefined;

/** Called when any request answers 401 (the session ended): the app shows the sign-in page. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function request<T>(
  method: string,
  path: string,
  options: {
    body?: unknown;
    signal?: AbortSignal;
    quiet401?: boolean;
    headers?: Record<string, string>;
  } = {},
): Promise<T> {
  // Double-submit CSRF token: a state-changing request repeats the imos_csrf cookie, which the server set
  // at sign-in and which script may read, unlike the session cookie (docs/security.md).
  const csrf = method === 'GET' ? undefined : /(?:^|;\s*)imos_csrf=([^;]*)/.exec(document.cookie)?.[1];
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}),
        ...purposeHeaders(),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new HttpError(0, 'NETWORK', 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    if (res.status === 401 && !options.quiet401) onUnauthenticated();
    throw new HttpError(
      res.status,
      e?.code ?? `HTTP_${res.status}`,
      e?.message ?? `${res.status} ${res.statusText}`,
      e?.details,
    );
  }
  return body as T;
}

export const api = {
  session: (signal?: AbortSignal) =>
    request<{ user: User }>('GET', '/api/session', { quiet401: true, ...(signal ? { signal } : {}) }),
  signIn: (username: string, password: string, totp?: string) =>
    request<{ user: User; token: string }>('POST', '/api/session', {
      body: { username, password, ...(totp ? { totp } : {}) },
      quiet401: true,
    }),
  signOut: () => request<{ signedOut: boolean }>('DELETE', '/api/session', { quiet401: true }),

  overstayReport: (q: ReportQuery, signal: AbortSignal) =>
    request<OverstayReportResult>('GET', withQuery('/api/reports/overstay', { ...q }), { signal }),
  drillDown: (q: ReportQuery & { group?: string; cell?: ReportCell; limit?: number }, signal: AbortSignal) =>
    request<{
      total: number;
      pseudonymized?: boolean;
      stays: (DrillDownStay & { office?: string | null; inOffice?: boolean })[];
    }>('GET', withQuery('/api/reports/overstay/stays', { ...q }), { signal }),
  departures: (q: { from?: string; to?: string }, signal: AbortSignal) =>
    request<{ series: { month: string; channel: string; departures: number }[] }>(
      'GET',
      withQuery('/api/stats/departures', q),
      { signal },
    ),

  searchPersons: (q: string, signal: AbortSignal) =>
    request<{ hits: PersonHit[] }>('GET', withQuery('/api/persons', { q }), { signal }),
  /** A person; an officer opening one outside their office gives a written reason (break-glass). */
  person: (id: string, signal: AbortSignal, breakGlassReason?: string) =>
    request<PersonView>('GET', `/api/persons/${encodeURIComponent(id)}`, {
      signal,
      ...(breakGlassReason ? { headers: { 'x-break-glass': breakGlassReason } } : {}),
    }),
  purposes: (signal: AbortSignal) =>
    request<{ purposes: { code: string; label: string; needsReference: boolean }[] }>(
      'GET',
      '/api/purposes',
      {
        signal,
      },
    ),

  quarantine: (status: string, signal: AbortSignal) =>
    request<{ total: number; entries: (QuarantineEntry & { fields?: FlatRecord })[] }>(
      'GET',
      withQuery('/api/quarantine', { status, limit: 200 }),
      { signal },
    ),
  resubmit: (id: string, fields: FlatRecord) =>
    request<{ ok: true; entry: QuarantineEntry; rawRecordId: string | null }>(
      'POST',
      `/api/quarantine/${encodeURIComponent(id)}/resubmit`,
      { body: { fields } },
    ),
  discard: (id: string, reason: string) =>
    request<{ discarded: boolean }>('POST', `/api/quarantine/${encodeURIComponent(id)}/discard`, {
      body: { reason },
    }),
};

export interface ReportQuery {
  from?: string;
  to?: string;
  asOf?: string;
  by?: ReportGrouping;
}

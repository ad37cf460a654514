/**
 * The web app's HTTP client: same origin, JSON, the session in an HttpOnly cookie.
 * Response types are the server's own (type-only imports: nothing of the server reaches the bundle),
 * so a change to the API shape breaks the type check here instead of the page at run time.
 */
import { purposeHeaders } from './purpose.js';
import type { OverstayReportResult, DrillDownStay } from '../../src/app/overstay-report-query.js';
import type { PersonHit, PersonView } from '../../src/app/person-query.js';
import type { QuarantineEntry } from '../../src/app/quarantine-service.js';
import type { DisputeSubmission, PublicDisputeStatus } from '../../src/redress/dispute-intake.js';
import type { CorrectableRecord, DisputeView } from '../../src/redress/redress-work.js';
import type { FlatRecord } from '../../src/core/observation/flat-columns.js';
import type { ReportCell, ReportGrouping } from '../../src/core/reports/overstay-report.js';
import type { FieldError } from '../../src/core/result/result.js';
import type { AccountView, ACCOUNT_RULES } from '../../src/access/user-admin.js';
import type { AuditVerification } from '../../src/audit/verify-audit.js';
import type { ChainedAuditRecord } from '../../src/core/audit/audit-chain.js';
import type {
  qualityReport,
  ReviewDetail,
  ReviewReason,
  ReviewStatus,
  ReviewSummary,
} from '../../src/app/identity-review.js';
import type { Explanation } from '../../src/identity/linkage-resolver.js';
import type {
  DepartureEvidenceRow,
  DepartureReportRow,
  LiveDepartureStats,
} from '../../src/app/departure-stats.js';
import type { DepartureAlert } from '../../src/app/person-follows.js';
import type { SelfReportReceipt, SelfReportSubmission } from '../../src/departures/self-report.js';
import type { DeadLetterList, DeadLetterRetry, DeadLetterView } from '../../src/api/routes/stream-routes.js';

export type {
  DisputeSubmission,
  PublicDisputeStatus,
  DisputeView,
  CorrectableRecord,
  OverstayReportResult,
  DrillDownStay,
  PersonHit,
  PersonView,
  QuarantineEntry,
  FlatRecord,
  ReportCell,
  ReportGrouping,
  FieldError,
  ReviewDetail,
  ReviewReason,
  ReviewStatus,
  ReviewSummary,
  Explanation,
  DepartureEvidenceRow,
  DepartureReportRow,
  LiveDepartureStats,
  DepartureAlert,
  SelfReportReceipt,
  SelfReportSubmission,
  DeadLetterList,
  DeadLetterRetry,
  DeadLetterView,
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
    /** For a 429: the seconds the server asks to wait (its retry-after header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Any failure as an HttpError: a thrown one as it is, anything else as a client-side error. */
  static from(err: unknown): HttpError {
    if (err instanceof HttpError) return err;
    return new HttpError(
      0,
      'CLIENT',
      (err instanceof Error && err.message) || String(err) || 'something went wrong',
    );
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
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new HttpError(
      res.status,
      e?.code ?? `HTTP_${res.status}`,
      e?.message ?? `${res.status} ${res.statusText}`,
      e?.details,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
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
  /** Whether sign-in through the organisation's identity provider (OpenID Connect) is on, and where it starts. */
  oidc: (signal?: AbortSignal) =>
    request<{ enabled: boolean; startUrl?: string }>('GET', '/api/session/oidc', {
      quiet401: true,
      ...(signal ? { signal } : {}),
    }),

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
    request<{ hits: SearchHit[] }>('GET', withQuery('/api/persons', { q }), { signal }),
  /** Search by particulars: name fuzzy and in any order, birth date, document; ranked by the model's probability. */
  searchByParticulars: (p: Particulars, signal: AbortSignal) =>
    request<{ hits: SearchHit[] }>('GET', withQuery('/api/persons', { ...p }), { signal }),
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

  /** The observation stream's dead letters (supervisor, admin; personal): listed, and put back one or all. */
  deadLetters: (after: number | null, signal: AbortSignal) =>
    request<DeadLetterList>('GET', withQuery('/api/stream/dead-letters', { after, limit: 200 }), { signal }),
  retryDeadLetter: (seq: number) => request<DeadLetterRetry>('POST', `/api/stream/dead-letters/${seq}/retry`),
  retryAllDeadLetters: () => request<DeadLetterRetry>('POST', '/api/stream/dead-letters/retry'),

  /** The public dispute form: no session needed. */
  fileDispute: (d: DisputeSubmission) =>
    request<{ ticket: string; secret: string; message: string }>('POST', '/api/disputes', {
      body: d,
      quiet401: true,
    }),
  disputeStatus: (ticket: string, secret: string) =>
    request<PublicDisputeStatus>('POST', '/api/disputes/status', {
      body: { ticket, secret },
      quiet401: true,
    }),
  redressQueue: (status: string, signal: AbortSignal) =>
    request<{ disputes: DisputeView[] }>('GET', withQuery('/api/redress', { status }), { signal }),
  dispute: (id: string, signal: AbortSignal) =>
    request<DisputeView & { records: CorrectableRecord[] }>('GET', `/api/redress/${encodeURIComponent(id)}`, {
      signal,
    }),
  redressAction: (id: string, action: 'person' | 'identity' | 'corrections' | 'close', body: unknown) =>
    request<DisputeView>('POST', `/api/redress/${encodeURIComponent(id)}/${action}`, { body }),

  /** Audit views: auditors; supervisors the break-glass review only. Each read is itself audited. */
  auditEntries: (q: AuditQuery, signal: AbortSignal) =>
    request<{ entries: AuditEntry[] }>(
      'GET',
      withQuery('/api/audit/entries', { ...q, breakGlass: q.breakGlass ? 'true' : undefined }),
      { signal },
    ),
  auditStatus: (signal: AbortSignal) => request<AuditVerification>('GET', '/api/audit/status', { signal }),
  /** The export for an inspector (NDJSON), as a file; sent with the purpose, like every audit read. */
  auditExport: async (): Promise<Blob> => {
    let res: Response;
    try {
      res = await fetch('/api/audit/export', { credentials: 'same-origin', headers: purposeHeaders() });
    } catch {
      throw new HttpError(0, 'NETWORK', 'The server cannot be reached. Check your connection and try again.');
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as {
        error?: { code?: string; message?: string; details?: unknown };
      } | null;
      if (res.status === 401) onUnauthenticated();
      throw new HttpError(
        res.status,
        body?.error?.code ?? `HTTP_${res.status}`,
        body?.error?.message ?? `${res.status} ${res.statusText}`,
        body?.error?.details,
      );
    }
    return res.blob();
  },

  /** Identity review (record linkage): the queue, one pair with its waterfall, the decision. */
  identityReviews: (
    q: { status?: ReviewStatus; reason?: ReviewReason; limit?: number },
    signal: AbortSignal,
  ) =>
    request<{ items: ReviewSummary[]; total: number }>('GET', withQuery('/api/identity/reviews', { ...q }), {
      signal,
    }),
  identityReview: (id: string, signal: AbortSignal) =>
    request<ReviewDetail>('GET', `/api/identity/reviews/${encodeURIComponent(id)}`, { signal }),
  decideIdentityReview: (id: string, decision: 'same' | 'different', note: string) =>
    request<ReviewDetail>('POST', `/api/identity/reviews/${encodeURIComponent(id)}/decision`, {
      body: { decision, ...(note.trim() ? { note: note.trim() } : {}) },
    }),
  /** The measured error rate of the model's automatic links (a figure: no purpose needed). */
  identityQuality: (signal: AbortSignal) =>
    request<LinkageQuality>('GET', '/api/identity/quality', { signal }),
  /** Supervisors: join two persons (into the older one); split some observations off to a new person. */
  mergePerson: (id: string, into: string, reason: string) =>
    request<{ survivor: string; merged: string }>('POST', `/api/persons/${encodeURIComponent(id)}/merge`, {
      body: { into, reason },
    }),
  splitPerson: (id: string, observationIds: readonly string[], reason: string) =>
    request<{ personId: string; newPersonId: string }>(
      'POST',
      `/api/persons/${encodeURIComponent(id)}/split`,
      {
        body: { observationIds, reason },
      },
    ),
  /** Officers and supervisors: record that they verified the person's identity, and how. */
  markIdentityVerified: (id: string, how: string) =>
    request<{ personId: string; by: string; how: string; at: string }>(
      'POST',
      `/api/persons/${encodeURIComponent(id)}/identity-verified`,
      { body: { how } },
    ),

  /** Departures: the live dashboard's figures (every role, no purpose: figures only). */
  departuresLive: (days: number, signal: AbortSignal) =>
    request<LiveDepartureStats>('GET', withQuery('/api/departures/live', { days }), { signal }),
  /** Self-departures in a period by channel and citizenship (figures). */
  departureReport: (q: { from: string; to: string }, signal: AbortSignal) =>
    request<{ rows: DepartureReportRow[]; total: number }>('GET', withQuery('/api/departures/report', q), {
      signal,
    }),
  /** The stays behind a figure of the departure report, with their evidence (case workers; personal). */
  departureEvidence: (q: DepartureEvidenceQuery, signal: AbortSignal) =>
    request<{ stays: DepartureEvidenceRow[] }>('GET', withQuery('/api/departures/report/stays', { ...q }), {
      signal,
    }),
  /** The public self-report of a departure: no session needed. */
  fileSelfReport: (s: SelfReportSubmission) =>
    request<SelfReportReceipt>('POST', '/api/departures/self-reports', { body: s, quiet401: true }),
  /** Following persons (case workers): alerted once when their departure is confirmed. */
  follows: (signal: AbortSignal) => request<{ persons: string[] }>('GET', '/api/follows', { signal }),
  setFollowing: (personId: string, following: boolean) =>
    request<{ following: boolean }>(
      following ? 'POST' : 'DELETE',
      `/api/persons/${encodeURIComponent(personId)}/follow`,
    ),

  /** User admin (admin): staff accounts; a TOTP secret comes back once, in the answer that made it. */
  users: (signal: AbortSignal) => request<UsersAnswer>('GET', '/api/users', { signal }),
  createUser: (u: { username: string; password: string; role: string; office: string | null }) =>
    request<AccountChangeAnswer>('POST', '/api/users', { body: u }),
  updateUser: (id: string, change: { role?: string; office?: string | null }) =>
    request<AccountChangeAnswer>('PATCH', `/api/users/${encodeURIComponent(id)}`, { body: change }),
  setUserDisabled: (id: string, disabled: boolean) =>
    request<{ user: AccountView }>(
      'POST',
      `/api/users/${encodeURIComponent(id)}/${disabled ? 'disable' : 'enable'}`,
    ),
  resetUserTotp: (id: string) =>
    request<AccountChangeAnswer>('POST', `/api/users/${encodeURIComponent(id)}/totp`),
};

export interface DepartureEvidenceQuery {
  from: string;
  to: string;
  channel?: string | undefined;
  nationality?: string | undefined;
  limit?: number | undefined;
}

/** A search hit; the probability is the model's, for a search by particulars (null for the exact search). */
export type SearchHit = PersonHit & { readonly probability: number | null };

export interface Particulars {
  name?: string | undefined;
  birthDate?: string | undefined;
  document?: string | undefined;
}

/** The quality of the model's automatic links, from the decided quality samples. */
export type LinkageQuality = Awaited<ReturnType<typeof qualityReport>>;

export interface ReportQuery {
  from?: string;
  to?: string;
  asOf?: string;
  by?: ReportGrouping;
}

/** An audit entry as the API sends it (its time as ISO text). */
export type AuditEntry = Omit<ChainedAuditRecord, 'at'> & { readonly at: string };
export type { AccountView, AuditVerification };

export interface AuditQuery {
  personId?: string | undefined;
  username?: string | undefined;
  breakGlass?: boolean | undefined;
  before?: string | undefined;
  limit?: number | undefined;
}

export interface UsersAnswer {
  readonly users: AccountView[];
  readonly roles: string[];
  readonly offices: { id: string; name: string }[];
  readonly rules: typeof ACCOUNT_RULES;
}

/** A change to an account; a TOTP secret only when one was just made (shown this once). */
export interface AccountChangeAnswer {
  readonly user: AccountView;
  readonly totpSecret: string | null;
  readonly otpauthUri: string | null;
}

import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app/app-context.js';
import type { FlatRecord } from '../core/observation/flat-columns.js';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import type { FieldError } from '../core/result/result.js';

/** What a person tells us about their own departure (the public form and API). */
export interface SelfReportSubmission {
  readonly givenNames?: string;
  readonly familyNames: string;
  readonly birthDate: string;
  readonly nationality?: string;
  readonly documentNumber: string;
  readonly documentCountry: string;
  /** The day they left, or plan to leave. */
  readonly date: string;
  readonly mode: 'air' | 'sea' | 'land';
  /** Airport, seaport or land crossing. */
  readonly port?: string;
  readonly carrier?: string;
  readonly flight?: string;
  /** ISO 3166-1 alpha-3 of the country they went to. */
  readonly destination?: string;
}

export interface SelfReportReceipt {
  readonly confirmation: string;
  readonly message: string;
}

/** The source self-reports are kept under; the confirmation number is the record's id there. */
export const SELF_REPORT_SOURCE = 'self-report';

/** The same words whatever the store holds: the answer must not tell who is on record. */
export const SELF_REPORT_RECEIVED =
  'Your departure report is received. Keep the confirmation number. A report alone does not close your record: ' +
  'it is confirmed when a carrier or border record of the departure arrives.';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function confirmationNumber(): string {
  let s = '';
  for (const b of randomBytes(10)) s += ALPHABET[b & 31];
  return `SR-${s.slice(0, 5)}-${s.slice(5)}`;
}

export class SelfReportInvalid extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly errors: readonly FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.reason}`).join('; '));
  }
}

/**
 * Files a self-reported departure: checks it and stores it as received under a new confirmation number,
 * pending, and nothing else. The request does the same work whoever the person is, so neither its
 * answer nor its timing tells whether they are on record; placing the report (import as a Departure
 * observation on the channel `self-report`, identity resolution, stays) is `placePendingSelfReports`,
 * run after the answer by the self-report queue. The stays engine never confirms a departure on a report
 * alone, and a public input never merges two persons (docs/departures.md).
 */
export async function fileSelfReport(
  ctx: Pick<AppContext, 'db' | 'asOf'>,
  r: SelfReportSubmission,
  today = ctx.asOf(),
): Promise<SelfReportReceipt> {
  const errors: FieldError[] = [];
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.date) || Number.isNaN(day(r.date)))
    errors.push({ field: 'date', reason: 'a day, YYYY-MM-DD' });
  else if (day(r.date) < day(today) - 366) errors.push({ field: 'date', reason: 'more than a year ago' });
  else if (day(r.date) > day(today) + 90) errors.push({ field: 'date', reason: 'more than 90 days ahead' });
  const confirmation = confirmationNumber();
  const fields: FlatRecord = {
    record_id: confirmation,
    kind: 'Departure',
    given_names: r.givenNames ?? '',
    family_names: r.familyNames,
    birth_date: r.birthDate,
    nationality: r.nationality ?? '',
    doc_number: r.documentNumber,
    doc_type: 'P',
    doc_country: r.documentCountry,
    date: r.date,
    port: r.port ?? '',
    channel: 'self-report',
    carrier: r.carrier ?? '',
    flight: r.flight ?? '',
  };
  const parsed = parseFlatRecord(fields);
  if (!parsed.ok) errors.push(...parsed.errors);
  if (errors.length > 0) throw new SelfReportInvalid(errors);
  // Kept as received: the mode and destination are in the raw record, not in the observation.
  const content = JSON.stringify({ ...fields, mode: r.mode, destination: r.destination ?? null });
  await ctx.db.session((s) =>
    s.query('insert into self_report_pending (confirmation, content, fields) values ($1, $2, $3::jsonb)', [
      confirmation,
      content,
      JSON.stringify(fields),
    ]),
  );
  return { confirmation, message: SELF_REPORT_RECEIVED };
}

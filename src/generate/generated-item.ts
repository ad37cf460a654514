import type { FlatRecord } from '../core/observation/flat-columns.js';
import type { StayOutcome } from '../core/stays/stay.js';
import { dayOfIso } from './calendar.js';
import type { NoiseKind } from './noise-rates.js';

/** The three observation feeds the generator writes, one CSV file each. */
export const FEEDS = ['admissions', 'departures', 'status-changes'] as const;
export type Feed = (typeof FEEDS)[number];

export interface GenerateOptions {
  /** How many persons (twins count as two). */
  readonly people: number;
  /** Any safe integer; the same seed and options give byte-identical output. */
  readonly seed: number;
  /** 0 = clean data, 1 = the default noise rates, 2 = double them (any non-negative number scales). */
  readonly noise: number;
  /** First admission date, ISO; default 2024-01-01. */
  readonly from?: string;
  /** Last admission date, ISO; default 2026-06-30. */
  readonly to?: string;
  /** The date the truth is computed as of; nothing after it is recorded. Default 2026-11-01. */
  readonly asOf?: string;
}

export type ResolvedOptions = Required<GenerateOptions>;

export const DEFAULT_FROM = '2024-01-01';
export const DEFAULT_TO = '2026-06-30';
export const DEFAULT_AS_OF = '2026-11-01';

/** Fills the defaults and refuses options that cannot give a sensible population. */
export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    people: options.people,
    seed: options.seed,
    noise: options.noise,
    from: options.from ?? DEFAULT_FROM,
    to: options.to ?? DEFAULT_TO,
    asOf: options.asOf ?? DEFAULT_AS_OF,
  };
  if (!Number.isSafeInteger(resolved.people) || resolved.people < 0) {
    throw new RangeError(`people must be a non-negative integer, got ${resolved.people}`);
  }
  if (resolved.people > 99_999_999) throw new RangeError('people must be at most 99,999,999');
  if (!Number.isSafeInteger(resolved.seed))
    throw new RangeError(`seed must be a safe integer, got ${resolved.seed}`);
  if (!Number.isFinite(resolved.noise) || resolved.noise < 0) {
    throw new RangeError(`noise must be a non-negative number, got ${resolved.noise}`);
  }
  const from = dayOfIso(resolved.from);
  const to = dayOfIso(resolved.to);
  const asOf = dayOfIso(resolved.asOf);
  if (from === null) throw new RangeError(`from must be an ISO date (YYYY-MM-DD), got "${resolved.from}"`);
  if (to === null) throw new RangeError(`to must be an ISO date (YYYY-MM-DD), got "${resolved.to}"`);
  if (asOf === null) throw new RangeError(`asOf must be an ISO date (YYYY-MM-DD), got "${resolved.asOf}"`);
  if (from > to) throw new RangeError(`from (${resolved.from}) is after to (${resolved.to})`);
  if (to > asOf) throw new RangeError(`to (${resolved.to}) is after asOf (${resolved.asOf})`);
  if (from < dayOfIso('1990-01-01')! || asOf > dayOfIso('2090-12-31')!) {
    throw new RangeError('dates must lie between 1990-01-01 and 2090-12-31');
  }
  return resolved;
}

/** One row of truth-stays.csv: the outcome a perfect engine must derive for one admission. */
export interface TruthStay {
  readonly personId: string;
  readonly admissionRecordId: string;
  readonly admissionNumber: string;
  readonly nationality: string;
  readonly classOfAdmission: string;
  readonly admittedOn: string;
  /** Effective last day of the authorized period (after extensions and denials); null when open. */
  readonly authorizedUntil: string | null;
  /** The recorded departure date; null when there is none or it is only inferred. */
  readonly departedOn: string | null;
  readonly departureInferred: boolean;
  readonly outcome: StayOutcome;
  /** Days beyond the authorized period (at departure, or so far at asOf); 0 when on time; null when unknown or not applicable. */
  readonly daysOverstay: number | null;
}

export type GeneratedItem =
  /** Opens each person's items (before their records); `twinOf` names the sibling generated just before. */
  | {
      readonly kind: 'person';
      readonly personId: string;
      readonly nationality: string;
      readonly twinOf: string | null;
    }
  | { readonly kind: 'record'; readonly feed: Feed; readonly record: FlatRecord }
  /** Once per distinct record_id (an exact duplicate row does not get a second truth row). */
  | { readonly kind: 'truth-record'; readonly recordId: string; readonly personId: string }
  | ({ readonly kind: 'truth-stay' } & TruthStay)
  | {
      readonly kind: 'noise';
      readonly recordId: string;
      readonly personId: string;
      readonly noise: NoiseKind;
      readonly detail: string;
    };

import type { IsoDate, StatusChangeType } from '../observation/observation.js';
import type {
  AdmissionInput,
  ArrivalInput,
  DepartureInput,
  StatusChangeInput,
  StayInput,
} from './stay-input.js';
import { dayNumber, isoDate } from './dates.js';
import {
  departureStrength,
  weighDepartureEvidence,
  type InCountry,
  type Weighed,
} from './departure-evidence.js';
import { normalizeClass, type RulePack, type UsPeriodRule, type UsRulePack } from './rule-pack.js';
import type { Stay, StayComputation, StayDeparture, StayOutcome } from './stay.js';

/**
 * Rule ids for records that contradict each other or lack what a rule needs. They come from no law:
 * they say why no outcome can be decided, so a person reviews the records (PRODUCT.md: errors have victims).
 */
export const UNRESOLVED_RULES = {
  departureBeforeAdmission: 'unresolved.departure-before-admission',
  conflictingDepartures: 'unresolved.conflicting-departures',
  noAuthorizedPeriod: 'unresolved.no-authorized-period',
  invalidDate: 'unresolved.invalid-date',
} as const;

type StoredAdmission = AdmissionInput;
type StoredDeparture = DepartureInput;
type StoredStatusChange = StatusChangeInput;

interface AdmW {
  readonly o: StoredAdmission;
  readonly day: number;
  /** Confirming departures (exact, not self-reports) that close this stay. */
  deps: DepW[] | null;
  /** Self-reports and fuzzily matched departures placed on this stay: evidence that never closes it. */
  weak: DepW[] | null;
  /** Departures carrying this stay's admission number but dated before its admission. */
  early: DepW[] | null;
  changes: ChgW[] | null;
  /** Arrival records that corroborate this admission (same person, within a day of it). */
  arrivals: ArrW[] | null;
  /** Earliest departure date (NaN when none). */
  depMin: number;
  /** The same admission delivered again (same day, same admission number or port and class): one stay. */
  dups?: string[];
}

interface DepW {
  readonly o: StoredDeparture;
  readonly day: number;
  /** The admission whose number the departure carries, when it is not the stay it closes. */
  numberOf: AdmW | null;
  /** Placed by its admission number (else by date). */
  byNumber: boolean;
}

interface ArrW {
  readonly o: ArrivalInput;
  readonly day: number;
}

interface ChgW {
  readonly o: StoredStatusChange;
  readonly day: number;
  readonly rank: number;
}

const NO_FILINGS: Filing[] = [];
const EVENT_RANK = { filed: 0, granted: 1, denied: 2 } as const;

const CHANGE_LABEL: Record<StatusChangeType, string> = {
  extension: 'extension of stay',
  'change-of-status': 'change of status',
  'adjustment-to-permanent-residence': 'adjustment to permanent residence',
  naturalization: 'naturalization',
};

const cmpId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byDayId = (x: { day: number; o: { id: string } }, y: { day: number; o: { id: string } }) =>
  x.day - y.day || cmpId(x.o.id, y.o.id);
const byChange = (x: ChgW, y: ChgW) => x.day - y.day || x.rank - y.rank || cmpId(x.o.id, y.o.id);
const plural = (n: number) => (n === 1 ? '1 day' : `${n} days`);

/** Rule-pack lookups prepared once per pack (the pack is immutable data, so this cache is invisible). */
interface Compiled {
  readonly classes: Map<string, UsPeriodRule>;
}
const compiledPacks = new WeakMap<UsRulePack, Compiled>();

function compile(pack: UsRulePack): Compiled {
  let c = compiledPacks.get(pack);
  if (!c) {
    const classes = new Map<string, UsPeriodRule>();
    for (const [code, rule] of Object.entries(pack.classes)) {
      classes.set(code, rule);
      classes.set(normalizeClass(code), rule);
    }
    c = { classes };
    compiledPacks.set(pack, c);
  }
  return c;
}

function classRule(pack: UsRulePack, code: string): UsPeriodRule {
  const classes = compile(pack).classes;
  return classes.get(code) ?? classes.get(normalizeClass(code)) ?? pack.default;
}

/** The authorized period before status changes. `until` is a day number, Infinity while open (D/S). */
interface Period {
  until: number;
  rule: string;
  source: string;
  /** The clause after "Admitted <date> as <class>". */
  text: string;
}

interface Filing {
  readonly change: StatusChangeType;
  readonly day: number;
  readonly date: IsoDate;
  readonly timely: boolean;
  readonly stops: boolean;
  decided: boolean;
}

/**
 * Derives every stay of one person from their observations under a rule pack, as of a date.
 *
 * Pure and deterministic: the result does not depend on the order of `observations`. Observations
 * dated after `asOf` are ignored (the computation shows what was known on that day), so every
 * Admission dated on or before `asOf` opens exactly one stay. See docs/rules.md for the semantics.
 *
 * @example
 * const parsed = parseRulePack(usJson);
 * if (parsed.ok) computeStays(observationsOfOnePerson, parsed.pack, '2025-09-30');
 */
export function computeStays(
  observations: readonly StayInput[],
  pack: RulePack,
  asOf: IsoDate,
): StayComputation {
  const asOfDay = dayNumber(asOf);
  if (Number.isNaN(asOfDay)) throw new RangeError(`asOf "${asOf}" is not an ISO date (YYYY-MM-DD)`);

  const adms: AdmW[] = [];
  let badAdms: StoredAdmission[] | null = null;
  const deps: DepW[] = [];
  let weak: DepW[] | null = null;
  let unmatched: DepW[] | null = null;
  const chgs: ChgW[] = [];
  let arrs: ArrW[] | null = null;
  let unmatchedArrs: ArrivalInput[] | null = null;
  let numbered = false;
  for (const o of observations) {
    const day = dayNumber(o.date);
    if (day > asOfDay) continue;
    if (o.kind === 'Admission') {
      if (Number.isNaN(day)) (badAdms ??= []).push(o);
      else
        adms.push({
          o,
          day,
          deps: null,
          weak: null,
          early: null,
          changes: null,
          arrivals: null,
          depMin: NaN,
        });
    } else if (o.kind === 'Departure') {
      if (Number.isNaN(day)) (unmatched ??= []).push({ o, day, numberOf: null, byNumber: false });
      else {
        const w: DepW = { o, day, numberOf: null, byNumber: false };
        if (departureStrength(o) === 'confirming') deps.push(w);
        else (weak ??= []).push(w);
        if (o.admissionNumber !== null) numbered = true;
      }
    } else if (o.kind === 'Arrival') {
      // An arrival never opens, ends or moves a stay: it only corroborates an admission. One placed on
      // the person by the linkage model alone corroborates nothing (an uncertain match proves nothing).
      if (Number.isNaN(day) || o.identity === 'fuzzy') (unmatchedArrs ??= []).push(o);
      else (arrs ??= []).push({ o, day });
    } else if (!Number.isNaN(day)) {
      chgs.push({ o, day, rank: EVENT_RANK[o.event] });
      if (o.admissionNumber !== null) numbered = true;
    }
  }
  if (adms.length > 1) {
    adms.sort(byDayId);
    collapseDuplicateAdmissions(adms);
  }
  if (deps.length > 1) deps.sort(byDayId);
  if (chgs.length > 1) chgs.sort(byChange);
  // Few admissions per person are the rule: a linear scan beats building a map.
  const byNumber = numbered ? (adms.length > 16 ? numberIndex(adms) : SCAN) : null;

  // Departures carrying an admission number: the number decides when it can (see docs/rules.md).
  for (const d of deps) {
    const k =
      byNumber && d.o.admissionNumber !== null
        ? findByNumber(adms, byNumber, d.o.admissionNumber, d.day)
        : null;
    if (k === null) continue;
    if (k.day > d.day) (k.early ??= []).push(d);
    else if (openAt(adms, k, d.day)) (k.deps ??= []).push(d);
    else {
      d.numberOf = k;
      continue;
    }
    d.byNumber = true;
  }
  // The rest by date: the stay open on the departure's day.
  for (const d of deps) {
    if (d.byNumber) continue;
    const t = dateTarget(adms, d.day);
    if (t === null) (unmatched ??= []).push(d);
    else (t.deps ??= []).push(d);
  }
  for (const a of adms) {
    if (a.deps) {
      if (a.deps.length > 1) a.deps.sort(byDayId);
      a.depMin = a.deps[0]!.day;
    }
  }
  // Self-reports and fuzzily matched departures go to the stay open on their date, once the confirming
  // ones are placed, so they never move a confirming departure nor close a stay.
  if (weak !== null) {
    if (weak.length > 1) weak.sort(byDayId);
    for (const d of weak) {
      const k =
        byNumber && d.o.admissionNumber !== null
          ? findByNumber(adms, byNumber, d.o.admissionNumber, d.day)
          : null;
      const t = k !== null && k.day <= d.day && openAt(adms, k, d.day) ? k : dateTarget(adms, d.day);
      if (t === null) (unmatched ??= []).push(d);
      else (t.weak ??= []).push(d);
    }
  }

  // Status changes apply to the stay open on their date, preferring the same admission number.
  for (const c of chgs) {
    const k =
      byNumber && c.o.admissionNumber !== null
        ? findByNumber(adms, byNumber, c.o.admissionNumber, c.day)
        : null;
    let t: AdmW | null = null;
    if (k !== null && k.day <= c.day && openAt(adms, k, c.day)) t = k;
    else {
      const i = lastAtOrBefore(adms, c.day);
      t = i >= 0 ? adms[i]! : k; // a change dated before its own admission is kept as evidence only
    }
    if (t) (t.changes ??= []).push(c);
  }

  // Arrivals corroborate the admission within a day of them (docs/rules.md, "Arrival records").
  if (arrs !== null) {
    if (arrs.length > 1) arrs.sort(byDayId);
    for (const r of arrs) {
      const t = corroboratedAdmission(adms, r);
      if (t === null) (unmatchedArrs ??= []).push(r.o);
      else (t.arrivals ??= []).push(r);
    }
  }

  const stays: Stay[] = [];
  for (let i = 0; i < adms.length; i++) {
    const stay = evaluate(adms, i, pack, asOfDay, asOf);
    const arrivals = adms[i]!.arrivals;
    stays.push(arrivals === null ? stay : { ...stay, explanation: withCorroboration(stay, arrivals) });
  }
  if (badAdms !== null) {
    badAdms.sort((x, y) => cmpId(x.id, y.id));
    for (const o of badAdms) stays.push(invalidDateStay(o));
  }
  const unmatchedDepartureIds: string[] = [];
  if (unmatched !== null) {
    if (unmatched.length > 1) unmatched.sort((x, y) => (x.day || 0) - (y.day || 0) || cmpId(x.o.id, y.o.id));
    for (const d of unmatched) unmatchedDepartureIds.push(d.o.id);
  }
  const unmatchedArrivalIds: string[] = [];
  if (unmatchedArrs !== null) {
    unmatchedArrs.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : cmpId(x.id, y.id)));
    for (const o of unmatchedArrs) unmatchedArrivalIds.push(o.id);
  }
  return { stays, unmatchedDepartureIds, unmatchedArrivalIds };
}

/** Days an arrival record may lie from the admission it corroborates (time zones, overnight crossings). */
export const ARRIVAL_CORROBORATION_DAYS = 1;

/**
 * The admission an arrival corroborates: one dated within a day of it, whose admission number (when
 * both carry one) is the arrival's. Preferred: the same admission number, then the same port, then
 * the same day; then the earlier admission. Any port will do: a manifest names the airport, a scan the
 * checkpoint, the admission the inspection port, and these codes need not agree.
 */
function corroboratedAdmission(adms: readonly AdmW[], r: ArrW): AdmW | null {
  const number = r.o.admissionNumber;
  const port = r.o.port.toUpperCase();
  let best: AdmW | null = null;
  let bestRank = Infinity;
  for (
    let i = lastBefore(adms, r.day - ARRIVAL_CORROBORATION_DAYS) + 1;
    i < adms.length && adms[i]!.day <= r.day + ARRIVAL_CORROBORATION_DAYS;
    i++
  ) {
    const a = adms[i]!;
    const n = a.o.admissionNumber;
    if (n !== null && number !== null && n !== number) continue;
    const rank =
      (n !== null && n === number ? 0 : 4) +
      (a.o.port.toUpperCase() === port ? 0 : 2) +
      (a.day === r.day ? 0 : 1);
    if (rank < bestRank) {
      best = a;
      bestRank = rank;
    }
  }
  return best;
}

/** The stay's explanation, saying which arrival records corroborate its admission. */
function withCorroboration(stay: Stay, arrivals: readonly ArrW[]): string {
  const each = arrivals.map(({ o }) => {
    const via = [o.channel, o.flight].filter(Boolean).join(' ');
    return `${o.id} (${via} at ${o.port} on ${o.date})`;
  });
  const records = arrivals.length === 1 ? 'record' : 'records';
  return `${stay.explanation.slice(0, -1)}; the admission is corroborated by the arrival ${records} ${each.join(' and ')}.`;
}

/**
 * A feed that delivers one admission twice (a resend under a new record id) must not make two stays:
 * same day and the same admission number, or, without numbers, the same port and class, is one admission.
 */
function collapseDuplicateAdmissions(adms: AdmW[]): void {
  let w = 0;
  for (let r = 0; r < adms.length; r++) {
    const a = adms[r]!;
    let kept: AdmW | null = null;
    for (let k = w - 1; k >= 0 && adms[k]!.day === a.day; k--) {
      const b = adms[k]!;
      const same =
        a.o.admissionNumber !== null || b.o.admissionNumber !== null
          ? a.o.admissionNumber === b.o.admissionNumber
          : a.o.port === b.o.port && a.o.classOfAdmission === b.o.classOfAdmission;
      if (same) {
        kept = b;
        break;
      }
    }
    if (kept) (kept.dups ??= []).push(a.o.id);
    else adms[w++] = a;
  }
  adms.length = w;
}

type NumberIndex = Map<string, AdmW[]>;
const SCAN: NumberIndex = new Map();

function numberIndex(adms: readonly AdmW[]): NumberIndex {
  const m: NumberIndex = new Map();
  for (const a of adms) {
    const n = a.o.admissionNumber;
    if (n === null) continue;
    const list = m.get(n);
    if (list) list.push(a);
    else m.set(n, [a]);
  }
  return m;
}

/** The admission with this number: the latest on or before `day`, else the earliest after it. */
function findByNumber(adms: readonly AdmW[], index: NumberIndex, number: string, day: number): AdmW | null {
  if (index === SCAN) {
    let first: AdmW | null = null;
    let best: AdmW | null = null;
    for (const a of adms) {
      if (a.o.admissionNumber !== number) continue;
      first ??= a;
      if (a.day <= day) best = a;
    }
    return best ?? first;
  }
  const list = index.get(number);
  if (!list) return null;
  let best: AdmW | null = null;
  for (const a of list) if (a.day <= day) best = a;
  return best ?? list[0]!;
}

/** Index of the last admission dated strictly before `day` (-1 if none). */
function lastBefore(adms: readonly AdmW[], day: number): number {
  let lo = 0;
  let hi = adms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (adms[mid]!.day < day) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

const lastAtOrBefore = (adms: readonly AdmW[], day: number) => lastBefore(adms, day + 1);

/**
 * Whether admission `k` (dated on or before `day`) can still be the open stay on `day`: no other
 * admission lies strictly between them. (A same-day admission does not count: on one day a departure
 * comes before an admission.)
 */
function openAt(adms: readonly AdmW[], k: AdmW, day: number): boolean {
  if (k.day === day) return true;
  const l = lastBefore(adms, day);
  return l >= 0 && adms[l]!.day === k.day;
}

/** No departure closes `a` yet, or only departures on `day` (duplicates of the one being matched). */
function free(a: AdmW, day: number): boolean {
  if (a.deps === null) return true;
  for (const d of a.deps) if (d.day !== day) return false;
  return true;
}

/**
 * The stay a departure on `day` closes, by date. On one day a departure comes before an admission: a
 * same-day departure and re-admission close the earlier stay and open a new one. A same-day admission
 * is closed instead when there is no earlier stay still open (an entry and exit on one day).
 */
function dateTarget(adms: readonly AdmW[], day: number): AdmW | null {
  const l = lastBefore(adms, day);
  const prev = l >= 0 ? adms[l]! : null;
  if (prev && free(prev, day)) return prev;
  let last: AdmW | null = null;
  for (let s = l + 1; s < adms.length && adms[s]!.day === day; s++) {
    last = adms[s]!;
    if (free(last, day)) return last;
  }
  return last ?? prev;
}

function basePeriodUs(pack: UsRulePack, a: StoredAdmission, day: number): Period | null {
  let rule = classRule(pack, a.classOfAdmission);
  if (rule.kind !== 'duration-of-status' && a.admitUntil === null && a.durationOfStatus) {
    rule = pack.durationOfStatusRecord;
  }
  switch (rule.kind) {
    case 'admit-until': {
      if (a.admitUntil === null) return null;
      const until = dayNumber(a.admitUntil);
      if (Number.isNaN(until)) return null;
      return {
        until,
        rule: rule.rule,
        source: rule.source,
        text: `, authorized until ${a.admitUntil}, the date on the record (${rule.source})`,
      };
    }
    case 'fixed-days': {
      const recorded = a.admitUntil === null ? NaN : dayNumber(a.admitUntil);
      if (!Number.isNaN(recorded)) {
        return {
          until: recorded,
          rule: rule.rule,
          source: rule.source,
          text: `, authorized until ${a.admitUntil}, the date on the record (${rule.source})`,
        };
      }
      const until = day + rule.days;
      return {
        until,
        rule: rule.rule,
        source: rule.source,
        text: `, authorized until ${isoDate(until)}, ${rule.days} days after admission (${rule.source})`,
      };
    }
    case 'duration-of-status': {
      const end = a.programEndDate === null ? NaN : dayNumber(a.programEndDate);
      if (!Number.isNaN(end)) {
        const until = end + rule.graceDays;
        return {
          until,
          rule: rule.rule,
          source: rule.source,
          text: `, authorized until ${isoDate(until)}: programme end ${a.programEndDate} plus ${plural(rule.graceDays)} grace (${rule.source})`,
        };
      }
      const recorded = a.admitUntil === null || a.durationOfStatus ? NaN : dayNumber(a.admitUntil);
      if (!Number.isNaN(recorded)) {
        return {
          until: recorded,
          rule: rule.rule,
          source: rule.source,
          text: `, authorized until ${a.admitUntil}, the date on the record (${rule.source})`,
        };
      }
      return {
        until: Infinity,
        rule: rule.rule,
        source: rule.source,
        text: ` for duration of status with no programme end date on record (${rule.source})`,
      };
    }
  }
}

/**
 * Schengen 90/180: the last day d such that the days present in the `windowDays` ending on d (earlier
 * stays plus this one up to d, entry and exit days both counting) are at most `maxDays`. The count
 * never decreases as d advances (each day adds this stay's day and drops at most one), so the last
 * such day is found by binary search.
 */
function basePeriodSchengen(
  pack: Extract<RulePack, { kind: 'schengen' }>,
  adms: readonly AdmW[],
  i: number,
): Period {
  const a = adms[i]!;
  const E = a.day;
  const W = pack.windowDays;
  const M = pack.maxDays;
  const starts: number[] = [];
  const ends: number[] = [];
  let unknownExits = 0;
  for (let j = i - 1; j >= 0; j--) {
    const p = adms[j]!;
    const next = adms[j + 1]!.day;
    let end = Number.isNaN(p.depMin) ? p.day : p.depMin;
    if (end > next - 1) end = next - 1;
    if (end < E - W + 1) break;
    if (end >= p.day) {
      starts.push(p.day);
      ends.push(end);
      if (Number.isNaN(p.depMin)) unknownExits++;
    }
  }
  let until = E + M - 1;
  if (starts.length > 0) {
    let lo = E - 1;
    let hi = until;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (windowCount(mid, E, W, starts, ends) <= M) lo = mid;
      else hi = mid - 1;
    }
    until = lo;
  }
  const before = windowCount(E, E, W, starts, ends) - 1;
  const unknown =
    unknownExits > 0
      ? `; ${unknownExits === 1 ? 'an earlier stay' : `${unknownExits} earlier stays`} with no exit date counted as the entry day only`
      : '';
  const used = `${before === 0 ? 'no earlier stay' : plural(before) + ' of earlier stays'} in the ${W} days ending on entry${unknown}`;
  const limit = `${M} days in any ${W} (${pack.source})`;
  let text =
    until < E
      ? `, but no day of this stay was authorized: ${used} already reached ${limit}`
      : `, authorized until ${isoDate(until)}: ${used}, ${limit}`;
  let rule = pack.rule;
  let source = pack.source;
  const visa = a.o.admitUntil === null ? NaN : dayNumber(a.o.admitUntil);
  if (visa < until) {
    text += `, shortened to ${a.o.admitUntil}, the end of the visa on the record (${pack.visaValidity.source})`;
    until = visa;
    rule = pack.visaValidity.rule;
    source = pack.visaValidity.source;
  }
  return { until, rule, source, text };
}

/** Days present in the `W` days ending on `d`: this stay from `E` to `d`, plus earlier stays. */
function windowCount(
  d: number,
  E: number,
  W: number,
  starts: readonly number[],
  ends: readonly number[],
): number {
  let n = d - E + 1;
  const from = d - W + 1;
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k]! > from ? starts[k]! : from;
    if (ends[k]! >= s) n += ends[k]! - s + 1;
  }
  return n;
}

function evaluate(adms: readonly AdmW[], i: number, pack: RulePack, asOfDay: number, asOf: IsoDate): Stay {
  const a = adms[i]!;
  const o = a.o;
  const next = i + 1 < adms.length ? adms[i + 1]! : null;
  const evidence: string[] = [o.id];
  if (a.dups) for (const id of a.dups) evidence.push(id);
  if (a.arrivals) for (const r of a.arrivals) evidence.push(r.o.id);
  if (a.early) for (const d of a.early) evidence.push(d.o.id);
  if (a.weak) {
    for (const d of a.deps ? [...a.deps, ...a.weak].sort(byDayId) : a.weak) evidence.push(d.o.id);
  } else if (a.deps) for (const d of a.deps) evidence.push(d.o.id);
  if (a.changes) for (const c of a.changes) evidence.push(c.o.id);
  const head = `Admitted ${o.date} as ${o.classOfAdmission}`;
  // An unresolved stay has no departure, so its departure evidence does not cite the next admission
  // (which is not among its evidence): a person reviews the records as they are. (Called where needed,
  // not through a closure: the TypeScript loader names each closure as it is made, once per stay.)
  // With only weak evidence of a departure, say that none is confirmed (rather than none recorded).
  const none = a.weak ? 'no confirmed departure' : 'no departure recorded';

  if (a.early) {
    const d = a.early[0]!;
    return makeStay(
      o,
      null,
      evidence,
      weighEvidence(a, null, pack, asOfDay),
      'unresolved',
      null,
      null,
      UNRESOLVED_RULES.departureBeforeAdmission,
      `${head}, but the departure dated ${d.o.date} is before its admission on ${o.date}, though it carries the same admission number ${o.admissionNumber} (${d.o.id}); a person must check which record is wrong`,
    );
  }
  if (a.deps && a.deps[a.deps.length - 1]!.day - a.depMin > 1) {
    const first = a.deps[0]!;
    const last = a.deps[a.deps.length - 1]!;
    return makeStay(
      o,
      null,
      evidence,
      weighEvidence(a, null, pack, asOfDay),
      'unresolved',
      null,
      null,
      UNRESOLVED_RULES.conflictingDepartures,
      `${head}; departures dated ${first.o.date} (${first.o.id}) and ${last.o.date} (${last.o.id}) both close this stay, more than a day apart with no admission between; a person must check which is right`,
    );
  }

  const period = pack.kind === 'us' ? basePeriodUs(pack, o, a.day) : basePeriodSchengen(pack, adms, i);
  if (period === null) {
    return makeStay(
      o,
      null,
      evidence,
      weighEvidence(a, null, pack, asOfDay),
      'unresolved',
      null,
      null,
      UNRESOLVED_RULES.noAuthorizedPeriod,
      `${head}, but the record carries no admit-until date, so the authorized period is unknown`,
    );
  }

  const weighed = weighEvidence(a, next, pack, asOfDay);

  // Status changes, in date order: filings, grants and denials move the end of the period.
  let until = period.until;
  let rule = period.rule;
  let text = `${head}${period.text}`;
  let endsStay: { rule: string; source: string; date: IsoDate; change: StatusChangeType } | null = null;
  const filings: Filing[] = a.changes ? [] : NO_FILINGS;
  if (a.changes) {
    for (const c of a.changes) {
      const co = c.o;
      const r = pack.statusChanges[co.change];
      const label = CHANGE_LABEL[co.change];
      if (c.day < a.day) {
        text += `; the ${label} ${co.event} ${co.date} predates this admission and is kept as evidence only`;
        continue;
      }
      if (co.event === 'filed') {
        const timely = c.day <= until;
        const stops = r.pendingStopsClock === 'any' || (r.pendingStopsClock === 'timely' && timely);
        filings.push({ change: co.change, day: c.day, date: co.date, timely, stops, decided: false });
        if (r.pendingStopsClock === 'timely' && !timely) {
          rule = r.rules.lateFiling;
          text += `; ${label} filed ${co.date}, after the period ended on ${isoDate(until)}: a late filing stops nothing (${r.source})`;
        } else {
          text += `; ${label} filed ${co.date}${r.pendingStopsClock === 'timely' ? ', on time' : ''}`;
        }
        continue;
      }
      let f: Filing | null = null;
      for (const x of filings) {
        if (!x.decided && x.change === co.change) {
          x.decided = true;
          f = x;
          break;
        }
      }
      if (co.event === 'granted') {
        if (r.onGrant === 'ends-stay') {
          endsStay = { rule: r.rules.granted, source: r.source, date: co.date, change: co.change };
          continue;
        }
        const late = f !== null && !f.timely && r.pendingStopsClock === 'timely';
        const newUntil = co.newAdmitUntil === null ? NaN : dayNumber(co.newAdmitUntil);
        const cls = co.newClassOfAdmission !== null ? `, class now ${co.newClassOfAdmission}` : '';
        const lateNote = late ? ` despite the late filing, so the new date is taken` : '';
        if (!Number.isNaN(newUntil)) {
          until = newUntil;
          rule = r.rules.granted;
          text += `; ${label} granted ${co.date}${lateNote}, authorized until ${co.newAdmitUntil}${cls} (${r.source})`;
        } else if (
          pack.kind === 'us' &&
          co.newClassOfAdmission !== null &&
          classRule(pack, co.newClassOfAdmission).kind === 'duration-of-status'
        ) {
          until = Infinity;
          rule = r.rules.granted;
          text += `; ${label} granted ${co.date}${lateNote}${cls}, for duration of status with no programme end date on record (${r.source})`;
        } else {
          text += `; ${label} granted ${co.date}${cls} with no new date, so the period is unchanged`;
        }
      } else if (f !== null && f.stops) {
        if (c.day > until) until = c.day;
        rule = r.rules.denied;
        text += `; ${label} denied ${co.date} after a filing that stopped the clock, so the period runs to ${isoDate(until)} and any overstay counts from the day after (${r.source})`;
      } else if (f !== null && !f.timely && r.pendingStopsClock === 'timely') {
        rule = r.rules.lateFiling;
        text += `; the late ${label} was denied ${co.date}`;
      } else {
        text += `; ${label} denied ${co.date}${f === null ? ' with no filing on record' : ''}, which does not move the period`;
      }
    }
  }

  if (a.deps) {
    for (const d of a.deps) {
      if (d.numberOf !== null) {
        text += `; the departure record ${d.o.id} carries admission number ${d.o.admissionNumber} of the admission on ${d.numberOf.o.date}, but that stay had ended before, so it closes this one`;
      }
    }
  }

  let departure: StayDeparture | null = null;
  if (a.deps) {
    const d = a.deps[0]!;
    departure = { observationId: d.o.id, date: d.o.date, channel: d.o.channel, inferred: false };
  } else if (next) {
    departure = { observationId: next.o.id, date: null, channel: null, inferred: true };
    evidence.push(next.o.id);
  }
  const untilIso = until === Infinity ? null : isoDate(until);

  if (endsStay) {
    return makeStay(
      o,
      departure,
      evidence,
      weighed,
      'status-changed',
      null,
      null,
      endsStay.rule,
      `${text}; ${CHANGE_LABEL[endsStay.change]} granted ${endsStay.date} (${endsStay.source}): no departure is expected`,
    );
  }

  if (a.deps) {
    const d = a.deps[0]!;
    const dup = a.deps.length > 1 ? ` (${a.deps.length} departure records)` : '';
    const left = `departed ${d.o.date} by ${d.o.channel}${dup}`;
    if (until === Infinity)
      return makeStay(
        o,
        departure,
        evidence,
        weighed,
        'departed-on-time',
        null,
        null,
        rule,
        `${text}; ${left}, while the period was open`,
      );
    if (d.day <= until)
      return makeStay(
        o,
        departure,
        evidence,
        weighed,
        'departed-on-time',
        untilIso,
        null,
        rule,
        `${text}; ${left}, within the period`,
      );
    const p = pendingAt(filings, d.day);
    if (p) {
      const pr = pack.statusChanges[p.change].rules.pending;
      return makeStay(
        o,
        departure,
        evidence,
        weighed,
        'departed-on-time',
        null,
        null,
        pr,
        `${text}; ${left}, while ${pendingText(pack, p)}`,
      );
    }
    const n = d.day - until;
    return makeStay(
      o,
      departure,
      evidence,
      weighed,
      'departed-late',
      untilIso,
      n,
      rule,
      `${text}; ${left}, ${plural(n)} after the period ended`,
    );
  }

  if (next) {
    const inf = pack.inferredDeparture;
    const seen = `${a.weak ? 'no confirmed departure record' : 'no departure record'}, but the admission on ${next.o.date} proves the person left before it (${inf.source})`;
    if (until === Infinity) {
      return makeStay(
        o,
        departure,
        evidence,
        weighed,
        'departed-on-time',
        null,
        null,
        inf.rule,
        `${text}; ${seen}, while the period was open`,
      );
    }
    if (next.day <= until + 1) {
      return makeStay(
        o,
        departure,
        evidence,
        weighed,
        'departed-on-time',
        untilIso,
        null,
        inf.rule,
        `${text}; ${seen}, so within the period`,
      );
    }
    const p = pendingAt(filings, next.day);
    if (p)
      return makeStay(
        o,
        departure,
        evidence,
        weighed,
        'departed-on-time',
        null,
        null,
        inf.rule,
        `${text}; ${seen}, while ${pendingText(pack, p)}`,
      );
    return makeStay(
      o,
      departure,
      evidence,
      weighed,
      'departed-date-unknown',
      untilIso,
      null,
      inf.rule,
      `${text}; ${seen}, more than a day after the period ended, so the departure date is unknown and no overstay is counted`,
    );
  }

  if (until === Infinity) {
    return makeStay(
      o,
      departure,
      evidence,
      weighed,
      'duration-of-status-open',
      null,
      null,
      rule,
      `${text}; ${none} as of ${asOf}`,
    );
  }
  if (asOfDay <= until) {
    return makeStay(
      o,
      departure,
      evidence,
      weighed,
      'within-period',
      untilIso,
      null,
      rule,
      `${text}; ${none}, and the period runs past ${asOf}`,
    );
  }
  const p = pendingAt(filings, asOfDay);
  if (p) {
    const pr = pack.statusChanges[p.change].rules.pending;
    return makeStay(
      o,
      departure,
      evidence,
      weighed,
      'extension-pending',
      null,
      null,
      pr,
      `${text}; as of ${asOf} ${pendingText(pack, p)}`,
    );
  }
  const n = asOfDay - until;
  return makeStay(
    o,
    departure,
    evidence,
    weighed,
    'suspected-in-country-overstay',
    untilIso,
    n,
    rule,
    `${text}; ${none} as of ${asOf}, ${plural(n)} after the period ended`,
  );
}

/** A filing that stops the clock, made on or before `day` and still undecided. */
function pendingAt(filings: readonly Filing[], day: number): Filing | null {
  for (const f of filings) if (f.stops && !f.decided && f.day <= day) return f;
  return null;
}

function pendingText(pack: RulePack, f: Filing): string {
  return `the ${CHANGE_LABEL[f.change]} filed ${f.date} is pending, which stops the clock (${pack.statusChanges[f.change].source})`;
}

/**
 * The departure evidence of stay `a` (docs/rules.md, "Departure evidence"). Confirming departures
 * end the stay; self-reports and fuzzy matches are weighed against them, the later admission and the
 * stay's filings (the person's own acts in the country).
 */
function weighEvidence(a: AdmW, next: AdmW | null, pack: RulePack, asOfDay: number): Weighed {
  if (a.deps === null && a.weak === null && next === null) return NO_EVIDENCE;
  let fuzzy: readonly DepW[] = NO_DEPS;
  let reports: readonly DepW[] = NO_DEPS;
  if (a.weak) {
    fuzzy = a.weak.filter((d) => departureStrength(d.o) === 'fuzzy');
    reports = a.weak.filter((d) => departureStrength(d.o) === 'report');
  }
  const inCountry: InCountry[] = [];
  if (reports.length > 0 && a.changes) {
    for (const c of a.changes) {
      if (c.o.event === 'filed' && c.day >= a.day) {
        inCountry.push({ o: c.o, day: c.day, what: `the ${CHANGE_LABEL[c.o.change]} filed` });
      }
    }
  }
  return weighDepartureEvidence({
    confirming: a.deps ?? NO_DEPS,
    fuzzy,
    reports,
    inCountry,
    laterAdmission: next,
    inferredRule: pack.inferredDeparture.rule,
    asOfDay,
  });
}

const NO_EVIDENCE: Weighed = { evidence: null, note: '' };
const NO_DEPS: readonly DepW[] = [];

/**
 * Every Stay is built here, so all share one shape. The explanation gets the departure-evidence note
 * and its full stop here.
 */
function makeStay(
  o: StoredAdmission,
  departure: StayDeparture | null,
  evidence: readonly string[],
  weighed: Weighed,
  outcome: StayOutcome,
  authorizedUntil: IsoDate | null,
  daysOverstay: number | null,
  rule: string,
  explanation: string,
): Stay {
  return {
    admissionId: o.id,
    admittedOn: o.date,
    classOfAdmission: o.classOfAdmission,
    port: o.port,
    nationality: o.person.nationality,
    authorizedUntil,
    departure,
    departureEvidence: weighed.evidence,
    outcome,
    daysOverstay,
    rule,
    explanation: weighed.note === '' ? `${explanation}.` : `${explanation}; ${weighed.note}.`,
    evidence,
  };
}

function invalidDateStay(o: StoredAdmission): Stay {
  return makeStay(
    o,
    null,
    [o.id],
    NO_EVIDENCE,
    'unresolved',
    null,
    null,
    UNRESOLVED_RULES.invalidDate,
    `The admission date "${o.date}" is not a calendar date, so this stay cannot be placed in time`,
  );
}

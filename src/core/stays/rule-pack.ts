import { STATUS_CHANGE_TYPES, type StatusChangeType } from '../observation/observation.js';

/**
 * Stay rules are data, not code paths (PRODUCT.md, "Rule packs"). A rule pack is a JSON document in
 * `rules/` that `parseRulePack` validates; `computeStays` interprets it. Every rule carries a stable
 * `rule` id (what a Stay's `rule` field shows) and the `source` in law it comes from.
 */

export const RULE_PACK_KINDS = ['us', 'schengen'] as const;
export type RulePackKind = (typeof RULE_PACK_KINDS)[number];

/** How a US class of admission fixes the authorized period. */
export const US_PERIOD_KINDS = ['admit-until', 'fixed-days', 'duration-of-status'] as const;
export type UsPeriodKind = (typeof US_PERIOD_KINDS)[number];

/**
 * The period of admission for a US class:
 * - `admit-until`: the admit-until date on the record (Form I-94);
 * - `fixed-days`: admission date + `days` (the record's admit-until date wins if present);
 * - `duration-of-status`: programme end date + `graceDays`; open while the programme end is unknown.
 */
export type UsPeriodRule =
  | { readonly kind: 'admit-until'; readonly rule: string; readonly source: string }
  | { readonly kind: 'fixed-days'; readonly days: number; readonly rule: string; readonly source: string }
  | {
      readonly kind: 'duration-of-status';
      readonly graceDays: number;
      readonly rule: string;
      readonly source: string;
    };

/** A rule id with its legal source. */
export interface RuleRef {
  readonly rule: string;
  readonly source: string;
}

/** What a granted application does to the stay. */
export const GRANT_EFFECTS = ['new-period', 'ends-stay'] as const;
export type GrantEffect = (typeof GRANT_EFFECTS)[number];

/** Which pending filings stop the clock: those filed on or before the last authorized day, any, none. */
export const CLOCK_STOPS = ['timely', 'any', 'none'] as const;
export type ClockStop = (typeof CLOCK_STOPS)[number];

/** How one kind of status change (extension, change of status, adjustment, naturalization) acts on a stay. */
export interface StatusChangeRule {
  /** `new-period`: a grant sets the authorized period to its new admit-until date; `ends-stay`: permanent status. */
  readonly onGrant: GrantEffect;
  /** Whether a pending filing stops the clock (no overstay accrues while it is pending). */
  readonly pendingStopsClock: ClockStop;
  readonly source: string;
  /** Rule ids shown on a stay decided by this change. */
  readonly rules: {
    /** A filing still pending that stops the clock. */
    readonly pending: string;
    readonly granted: string;
    /** Denied after a filing that stopped the clock: the overstay counts from the day after the denial. */
    readonly denied: string;
    /** Filed after the period ended (stops nothing), then still pending or denied. */
    readonly lateFiling: string;
  };
}

interface RulePackBase {
  readonly id: string;
  readonly version: string;
  readonly name: string;
  /** One rule per status change type. */
  readonly statusChanges: Readonly<Record<StatusChangeType, StatusChangeRule>>;
  /** A later admission proves an earlier stay ended: the rule id and source shown for such stays. */
  readonly inferredDeparture: RuleRef;
}

/** United States: period of admission per class of admission (Form I-94). */
export interface UsRulePack extends RulePackBase {
  readonly kind: 'us';
  /** Class of admission (e.g. `B2`, `WT`, `F1`; matched case- and punctuation-insensitively) to its rule. */
  readonly classes: Readonly<Record<string, UsPeriodRule>>;
  /** For classes not listed. */
  readonly default: UsPeriodRule;
  /**
   * For a record marked D/S (duration of status) whose class rule is not duration-of-status and that
   * carries no admit-until date (e.g. A-1, G-1, F-2 dependants).
   */
  readonly durationOfStatusRecord: Extract<UsPeriodRule, { kind: 'duration-of-status' }>;
}

/** Schengen area: short stays of at most `maxDays` in any rolling `windowDays`. */
export interface SchengenRulePack extends RulePackBase {
  readonly kind: 'schengen';
  readonly maxDays: number;
  readonly windowDays: number;
  /** Entry and exit days both count as days of stay. Only `true` is supported (it is the law). */
  readonly entryAndExitDaysCount: true;
  readonly rule: string;
  readonly source: string;
  /** When the visa on the record (its admit-until date) ends before the 90/180 limit. */
  readonly visaValidity: RuleRef;
}

export type RulePack = UsRulePack | SchengenRulePack;

export type RulePackParse =
  { readonly ok: true; readonly pack: RulePack } | { readonly ok: false; readonly errors: readonly string[] };

const RULE_ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

/** Class codes are compared without case or punctuation: `H-1B`, `h1b` and `H1B` are one class. */
export function normalizeClass(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly errors: string[] = [];

  err(path: string, reason: string): void {
    this.errors.push(`${path}: ${reason}`);
  }

  object(v: unknown, path: string): Json | null {
    if (isObject(v)) return v;
    this.err(path, 'must be an object');
    return null;
  }

  /** Unknown keys are refused: a typo such as `graceDay` must not silently mean "no rule". `$`-keys are comments. */
  keys(o: Json, path: string, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) {
      if (!k.startsWith('$') && !allowed.includes(k)) this.err(`${path}.${k}`, 'is not a known field');
    }
  }

  text(o: Json, key: string, path: string): string {
    const v = o[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
    this.err(`${path}.${key}`, 'must be a non-empty string');
    return '';
  }

  ruleId(o: Json, key: string, path: string): string {
    const v = this.text(o, key, path);
    if (v !== '' && !RULE_ID.test(v))
      this.err(`${path}.${key}`, `"${v}" is not a rule id (e.g. us.admit-until)`);
    return v;
  }

  int(o: Json, key: string, path: string, min: number, max: number): number {
    const v = o[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    this.err(`${path}.${key}`, `must be an integer from ${min} to ${max}`);
    return min;
  }

  oneOf<T extends string>(o: Json, key: string, path: string, list: readonly T[]): T {
    const v = o[key];
    if (typeof v === 'string' && (list as readonly string[]).includes(v)) return v as T;
    this.err(`${path}.${key}`, `must be one of ${list.join(', ')}`);
    return list[0]!;
  }

  ruleRef(v: unknown, path: string): RuleRef {
    const o = this.object(v, path);
    if (!o) return { rule: '', source: '' };
    this.keys(o, path, ['rule', 'source']);
    return { rule: this.ruleId(o, 'rule', path), source: this.text(o, 'source', path) };
  }

  periodRule(v: unknown, path: string): UsPeriodRule {
    const o = this.object(v, path);
    if (!o) return { kind: 'admit-until', rule: '', source: '' };
    const kind = this.oneOf(o, 'kind', path, US_PERIOD_KINDS);
    const rule = this.ruleId(o, 'rule', path);
    const source = this.text(o, 'source', path);
    switch (kind) {
      case 'admit-until':
        this.keys(o, path, ['kind', 'rule', 'source']);
        return { kind, rule, source };
      case 'fixed-days':
        this.keys(o, path, ['kind', 'rule', 'source', 'days']);
        return { kind, days: this.int(o, 'days', path, 1, 3660), rule, source };
      case 'duration-of-status':
        this.keys(o, path, ['kind', 'rule', 'source', 'graceDays']);
        return { kind, graceDays: this.int(o, 'graceDays', path, 0, 366), rule, source };
    }
  }

  statusChanges(v: unknown, path: string): Record<StatusChangeType, StatusChangeRule> {
    const o = this.object(v, path) ?? {};
    this.keys(o, path, STATUS_CHANGE_TYPES);
    const out = {} as Record<StatusChangeType, StatusChangeRule>;
    for (const type of STATUS_CHANGE_TYPES) {
      const p = `${path}.${type}`;
      const r = this.object(o[type], p) ?? {};
      this.keys(r, p, ['onGrant', 'pendingStopsClock', 'source', 'rules']);
      const rules = this.object(r['rules'], `${p}.rules`) ?? {};
      this.keys(rules, `${p}.rules`, ['pending', 'granted', 'denied', 'lateFiling']);
      out[type] = {
        onGrant: this.oneOf(r, 'onGrant', p, GRANT_EFFECTS),
        pendingStopsClock: this.oneOf(r, 'pendingStopsClock', p, CLOCK_STOPS),
        source: this.text(r, 'source', p),
        rules: {
          pending: this.ruleId(rules, 'pending', `${p}.rules`),
          granted: this.ruleId(rules, 'granted', `${p}.rules`),
          denied: this.ruleId(rules, 'denied', `${p}.rules`),
          lateFiling: this.ruleId(rules, 'lateFiling', `${p}.rules`),
        },
      };
    }
    return out;
  }
}

const BASE_KEYS = ['id', 'version', 'kind', 'name', 'description', 'statusChanges', 'inferredDeparture'];

/**
 * Validates a rule pack read from JSON. Pure: the caller reads the file.
 * @example
 * import us from '../../../rules/us.json' with { type: 'json' };
 * const parsed = parseRulePack(us);
 * if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
 * computeStays(observations, parsed.pack, '2025-09-30');
 */
export function parseRulePack(json: unknown): RulePackParse {
  const c = new Checker();
  const o = c.object(json, '$');
  if (!o) return { ok: false, errors: c.errors };
  const kind = c.oneOf(o, 'kind', '$', RULE_PACK_KINDS);
  const base = {
    id: c.ruleId(o, 'id', '$'),
    version: c.text(o, 'version', '$'),
    name: c.text(o, 'name', '$'),
    statusChanges: c.statusChanges(o['statusChanges'], '$.statusChanges'),
    inferredDeparture: c.ruleRef(o['inferredDeparture'], '$.inferredDeparture'),
  };
  if (o['description'] !== undefined && typeof o['description'] !== 'string') {
    c.err('$.description', 'must be a string');
  }
  let pack: RulePack;
  if (kind === 'us') {
    c.keys(o, '$', [...BASE_KEYS, 'classes', 'default', 'durationOfStatusRecord']);
    const classes: Record<string, UsPeriodRule> = {};
    const raw = c.object(o['classes'], '$.classes') ?? {};
    const seen = new Map<string, string>();
    for (const [code, rule] of Object.entries(raw)) {
      if (code.startsWith('$')) continue;
      const norm = normalizeClass(code);
      if (norm === '') c.err(`$.classes.${code}`, 'is not a class of admission code');
      const dup = seen.get(norm);
      if (dup !== undefined) c.err(`$.classes.${code}`, `is the same class as "${dup}"`);
      seen.set(norm, code);
      classes[norm] = c.periodRule(rule, `$.classes.${code}`);
    }
    if (seen.size === 0) c.err('$.classes', 'must list at least one class of admission');
    const dsPath = '$.durationOfStatusRecord';
    const ds = c.periodRule(o['durationOfStatusRecord'], dsPath);
    if (isObject(o['durationOfStatusRecord']) && ds.kind !== 'duration-of-status') {
      c.err(`${dsPath}.kind`, 'must be duration-of-status');
    }
    pack = {
      ...base,
      kind,
      classes,
      default: c.periodRule(o['default'], '$.default'),
      durationOfStatusRecord:
        ds.kind === 'duration-of-status'
          ? ds
          : { kind: 'duration-of-status', graceDays: 0, rule: '', source: '' },
    };
  } else {
    c.keys(o, '$', [
      ...BASE_KEYS,
      'maxDays',
      'windowDays',
      'entryAndExitDaysCount',
      'rule',
      'source',
      'visaValidity',
    ]);
    const maxDays = c.int(o, 'maxDays', '$', 1, 3660);
    const windowDays = c.int(o, 'windowDays', '$', 1, 3660);
    if (maxDays > windowDays) c.err('$.maxDays', 'must not exceed windowDays');
    if (o['entryAndExitDaysCount'] !== true) {
      c.err('$.entryAndExitDaysCount', 'must be true (entry and exit days both count as days of stay)');
    }
    pack = {
      ...base,
      kind,
      maxDays,
      windowDays,
      entryAndExitDaysCount: true,
      rule: c.ruleId(o, 'rule', '$'),
      source: c.text(o, 'source', '$'),
      visaValidity: c.ruleRef(o['visaValidity'], '$.visaValidity'),
    };
  }
  return c.errors.length > 0 ? { ok: false, errors: c.errors } : { ok: true, pack };
}

/** Every rule id a pack can put on a stay, with its legal source (for documentation and drill-down). */
export function ruleCatalog(pack: RulePack): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const add = (rule: string, source: string) => {
    const prev = out.get(rule);
    if (prev === undefined) out.set(rule, source);
    else if (!prev.split(' | ').includes(source)) out.set(rule, `${prev} | ${source}`);
  };
  if (pack.kind === 'us') {
    for (const r of Object.values(pack.classes)) add(r.rule, r.source);
    add(pack.default.rule, pack.default.source);
    add(pack.durationOfStatusRecord.rule, pack.durationOfStatusRecord.source);
  } else {
    add(pack.rule, pack.source);
    add(pack.visaValidity.rule, pack.visaValidity.source);
  }
  for (const type of STATUS_CHANGE_TYPES) {
    const r = pack.statusChanges[type];
    add(r.rules.granted, r.source);
    if (r.pendingStopsClock !== 'none') {
      add(r.rules.pending, r.source);
      add(r.rules.denied, r.source);
    }
    if (r.pendingStopsClock === 'timely') add(r.rules.lateFiling, r.source);
  }
  add(pack.inferredDeparture.rule, pack.inferredDeparture.source);
  return out;
}

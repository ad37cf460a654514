/**
 * Retention rules as data (config/retention.json, docs/retention.md): how long each category of records
 * is kept, from which event the clock runs, and why. Parsed and checked here, evaluated by
 * evaluate-retention.ts; nothing in this file does I/O.
 */

/** The situations a person's facts can be in when the retention clock starts. */
export const PERSON_RULE_EVENTS = ['departed', 'no-departure-recorded', 'no-stay'] as const;
export type PersonRuleEvent = (typeof PERSON_RULE_EVENTS)[number];

/** Categories a rule can erase. Everything else is kept by this job (the rules file's `kept` says why). */
export const ERASABLE_CATEGORIES = ['person-facts', 'quarantine'] as const;
export type ErasableCategory = (typeof ERASABLE_CATEGORIES)[number];

interface RuleBase {
  /** Stable id, recorded on every tombstone the rule leaves, e.g. `person-facts.departed`. */
  readonly id: string;
  /** Whole years after the event; the record may be erased from the anniversary on. */
  readonly years: number;
  /** Why this period: the mission need it serves and its basis. Shown with every preview. */
  readonly why: string;
}

/**
 * A person's raw records (every version), observations, stays and identity keys, erased together: the
 * person is erased as a whole, or not at all (see docs/adr/0007-retention-and-erasure.md).
 */
export interface PersonFactsRule extends RuleBase {
  readonly category: 'person-facts';
  readonly event: PersonRuleEvent;
}

/** A quarantine entry (a bad record as received), once it was resolved (resubmitted or discarded). */
export interface QuarantineRule extends RuleBase {
  readonly category: 'quarantine';
  readonly event: 'resolved';
}

export type RetentionRule = PersonFactsRule | QuarantineRule;

/** A category this job never erases, and why. */
export interface KeptCategory {
  readonly category: string;
  readonly why: string;
}

export interface RetentionRules {
  /** The version of the rules file, e.g. its adoption date; shown in previews and the docs. */
  readonly version: string;
  readonly rules: readonly RetentionRule[];
  readonly kept: readonly KeptCategory[];
}

export class RetentionRulesError extends Error {}

const ID = /^[a-z][a-z0-9.-]{2,63}$/;

/**
 * Checks a parsed rules file and returns it typed. Every problem is listed at once. Each situation has
 * at most one rule, so which rule decides is never a matter of order.
 */
export function parseRetentionRules(value: unknown, origin = 'retention rules'): RetentionRules {
  const problems: string[] = [];
  const o = (value ?? {}) as Record<string, unknown>;
  if (typeof o['version'] !== 'string' || o['version'] === '')
    problems.push('"version" must be a non-empty string');
  const rules: RetentionRule[] = [];
  if (!Array.isArray(o['rules'])) problems.push('"rules" must be a list');
  else
    o['rules'].forEach((raw: unknown, i) => {
      const r = (raw ?? {}) as Record<string, unknown>;
      const at = `rules[${i}]`;
      const before = problems.length;
      if (typeof r['id'] !== 'string' || !ID.test(r['id']))
        problems.push(`${at}.id must be a lower-case id (letters, digits, dots, dashes)`);
      const years = r['years'];
      if (typeof years !== 'number' || !Number.isInteger(years) || years < 1 || years > 100)
        problems.push(`${at}.years must be a whole number of years from 1 to 100`);
      if (typeof r['why'] !== 'string' || r['why'].trim().length < 10)
        problems.push(`${at}.why must say why the period is what it is`);
      const category = r['category'];
      const event = r['event'];
      if (category === 'person-facts') {
        if (!(PERSON_RULE_EVENTS as readonly unknown[]).includes(event))
          problems.push(`${at}.event must be one of ${PERSON_RULE_EVENTS.join(', ')} for person-facts`);
      } else if (category === 'quarantine') {
        if (event !== 'resolved') problems.push(`${at}.event must be "resolved" for quarantine`);
      } else problems.push(`${at}.category must be one of ${ERASABLE_CATEGORIES.join(', ')}`);
      if (problems.length === before) rules.push(r as unknown as RetentionRule);
    });
  const ids = new Set<string>();
  const situations = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) problems.push(`rule id ${r.id} appears twice`);
    ids.add(r.id);
    const situation = `${r.category}/${r.event}`;
    if (situations.has(situation)) problems.push(`two rules for ${situation}: keep one`);
    situations.add(situation);
  }
  const kept: KeptCategory[] = [];
  if (!Array.isArray(o['kept'])) problems.push('"kept" must be a list (what is never erased, and why)');
  else
    o['kept'].forEach((raw: unknown, i) => {
      const k = (raw ?? {}) as Record<string, unknown>;
      if (typeof k['category'] !== 'string' || typeof k['why'] !== 'string' || k['why'].trim() === '')
        problems.push(`kept[${i}] needs a category and why`);
      else kept.push({ category: k['category'], why: k['why'] });
    });
  if (problems.length > 0)
    throw new RetentionRulesError(`${origin} is invalid:\n  - ${problems.join('\n  - ')}`);
  return { version: o['version'] as string, rules, kept };
}

/** The rule for a situation, if the rules have one. */
export function ruleFor(
  rules: RetentionRules,
  category: 'person-facts',
  event: PersonRuleEvent,
): PersonFactsRule | null;
export function ruleFor(
  rules: RetentionRules,
  category: 'quarantine',
  event: 'resolved',
): QuarantineRule | null;
export function ruleFor(
  rules: RetentionRules,
  category: ErasableCategory,
  event: string,
): RetentionRule | null {
  return rules.rules.find((r) => r.category === category && r.event === event) ?? null;
}

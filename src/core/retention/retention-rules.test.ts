import { describe, expect, it } from 'vitest';
import { parseRetentionRules, ruleFor } from './retention-rules.js';

const rule = (over: Record<string, unknown> = {}) => ({
  id: 'person-facts.departed',
  category: 'person-facts',
  event: 'departed',
  years: 3,
  why: 'a reason of some length',
  ...over,
});

describe('retention rules as data', () => {
  it('a well-formed file parses, and the rule for a situation is found', () => {
    const rules = parseRetentionRules({
      version: 'v1',
      rules: [rule()],
      kept: [{ category: 'audit', why: 'ids' }],
    });
    expect(ruleFor(rules, 'person-facts', 'departed')?.years).toBe(3);
    expect(ruleFor(rules, 'person-facts', 'no-stay')).toBeNull();
  });

  it('lists every problem at once: no reason, bad period, unknown event or category, missing lists', () => {
    const attempt = () =>
      parseRetentionRules({
        version: '',
        rules: [
          rule({ why: '' }),
          rule({ id: 'b', years: 0 }),
          rule({ id: 'person-facts.x', event: 'someday' }),
          rule({ id: 'audit.all', category: 'audit' }),
        ],
      });
    expect(attempt).toThrow(/"version"/);
    expect(attempt).toThrow(/rules\[0\]\.why must say why/);
    expect(attempt).toThrow(/rules\[1\]\.id .*\n.*rules\[1\]\.years/);
    expect(attempt).toThrow(/rules\[2\]\.event must be one of departed, no-departure-recorded, no-stay/);
    expect(attempt).toThrow(/rules\[3\]\.category must be one of person-facts, quarantine/);
    expect(attempt).toThrow(/"kept" must be a list/);
  });

  it('one rule per situation, so which rule decides never depends on order', () => {
    expect(() =>
      parseRetentionRules({ version: 'v', rules: [rule(), rule({ id: 'person-facts.other' })], kept: [] }),
    ).toThrow(/two rules for person-facts\/departed/);
  });
});

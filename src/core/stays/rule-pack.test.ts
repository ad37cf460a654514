import { describe, expect, it } from 'vitest';
import { normalizeClass, parseRulePack, ruleCatalog } from './rule-pack.js';
import { SCHENGEN, schengenJson, US, usJson } from './test-fixtures.js';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('parseRulePack', () => {
  it('accepts the shipped US pack with the classes the product needs', () => {
    expect(US.kind).toBe('us');
    expect(US.id).toBe('us-period-of-admission');
    for (const c of ['B1', 'B2', 'WT', 'WB', 'F1', 'J1', 'M1', 'H1B', 'L1', 'E2', 'O1', 'TN']) {
      expect(US.classes[c], c).toBeDefined();
    }
    expect(US.classes['WT']).toMatchObject({ kind: 'fixed-days', days: 90, rule: 'us.visa-waiver-90' });
    expect(US.classes['F1']).toMatchObject({ kind: 'duration-of-status', graceDays: 60 });
    expect(US.classes['J1']).toMatchObject({ kind: 'duration-of-status', graceDays: 30 });
    expect(US.classes['M1']).toMatchObject({ kind: 'duration-of-status', graceDays: 30 });
    expect(US.default.kind).toBe('admit-until');
    expect(US.statusChanges.extension.source).toContain('8 CFR 214.1(c)(4)');
  });

  it('accepts the shipped Schengen pack', () => {
    expect(SCHENGEN).toMatchObject({
      kind: 'schengen',
      maxDays: 90,
      windowDays: 180,
      rule: 'schengen.90-in-180',
    });
    expect(SCHENGEN.source).toBe(
      'Regulation (EU) 2016/399 Art. 6(1) as amended by Regulation (EU) No 610/2013',
    );
  });

  it('gives every rule a legal source', () => {
    for (const pack of [US, SCHENGEN]) {
      for (const [rule, source] of ruleCatalog(pack)) {
        expect(rule).toMatch(/^(us|schengen)\./);
        expect(source.length, rule).toBeGreaterThan(10);
      }
    }
    expect([...ruleCatalog(US).keys()]).toEqual(
      expect.arrayContaining([
        'us.admit-until',
        'us.visa-waiver-90',
        'us.duration-of-status',
        'us.extension-granted',
        'us.extension-denied',
        'us.extension-pending',
        'us.late-filing',
        'us.adjustment',
        'us.inferred-departure',
      ]),
    );
  });

  it('names every fault with its path', () => {
    const bad = clone(usJson) as Record<string, unknown> & {
      classes: Record<string, Record<string, unknown>>;
    };
    bad.classes['WT']!['days'] = -1;
    bad.classes['F1']!['graceDay'] = 60;
    bad.classes['B2']!['source'] = '';
    bad.classes['b-2'] = { kind: 'admit-until', rule: 'us.admit-until', source: 'x' };
    delete bad['default'];
    const r = parseRulePack(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        '$.classes.WT.days: must be an integer from 1 to 3660',
        '$.classes.F1.graceDay: is not a known field',
        '$.classes.B2.source: must be a non-empty string',
        '$.classes.b-2: is the same class as "B2"',
        '$.default: must be an object',
      ]),
    );
  });

  it('refuses a Schengen pack that does not count entry and exit days, or an unknown kind', () => {
    const s = { ...clone(schengenJson), entryAndExitDaysCount: false, maxDays: 200 };
    const r = parseRulePack(s);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.join('\n')).toContain('$.entryAndExitDaysCount');
      expect(r.errors.join('\n')).toContain('$.maxDays: must not exceed windowDays');
    }
    const k = parseRulePack({ ...clone(schengenJson), kind: 'mars' });
    expect(k.ok).toBe(false);
    expect(parseRulePack(null)).toEqual({ ok: false, errors: ['$: must be an object'] });
    expect(parseRulePack([]).ok).toBe(false);
  });

  it('refuses a status-change table missing a type', () => {
    const bad = clone(usJson) as { statusChanges: Record<string, unknown> };
    delete bad.statusChanges['naturalization'];
    const r = parseRulePack(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContain('$.statusChanges.naturalization: must be an object');
  });

  it('compares class codes without case or punctuation', () => {
    expect(normalizeClass('h-1b')).toBe('H1B');
    expect(normalizeClass(' B 2 ')).toBe('B2');
  });
});

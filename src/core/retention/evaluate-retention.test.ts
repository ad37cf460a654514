import { describe, expect, it } from 'vitest';
import {
  addYears,
  evaluatePerson,
  evaluateQuarantine,
  type PersonRetentionFacts,
  type QuarantineRetentionFacts,
} from './evaluate-retention.js';
import { parseRetentionRules } from './retention-rules.js';

const RULES = parseRetentionRules({
  version: 'test',
  rules: [
    { id: 'p.departed', category: 'person-facts', event: 'departed', years: 3, why: 'left three years ago' },
    {
      id: 'p.no-departure',
      category: 'person-facts',
      event: 'no-departure-recorded',
      years: 5,
      why: 'no departure after the stay ended',
    },
    { id: 'p.no-stay', category: 'person-facts', event: 'no-stay', years: 3, why: 'facts that open no stay' },
    { id: 'q.resolved', category: 'quarantine', event: 'resolved', years: 1, why: 'a resolved bad record' },
  ],
  kept: [{ category: 'audit', why: 'ids only, hash-chained' }],
});

const person = (p: Partial<PersonRetentionFacts>): PersonRetentionFacts => ({
  personId: '1',
  latestFact: '2020-03-10',
  lastStay: { authorizedUntil: '2020-07-09', departedOn: '2020-03-10' },
  held: false,
  ...p,
});

describe('addYears', () => {
  it('keeps month and day; 29 February in a common year becomes 1 March, never earlier', () => {
    expect(addYears('2020-03-10', 3)).toBe('2023-03-10');
    expect(addYears('2024-02-29', 3)).toBe('2027-03-01');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2023-12-31', 1)).toBe('2024-12-31');
  });
});

describe('person facts: 3 years after the departure that closed the last stay', () => {
  it('kept the day before the third anniversary, erased on it', () => {
    expect(evaluatePerson(person({}), RULES, '2023-03-09')).toEqual({
      erase: false,
      reason: 'not-yet-due',
      rule: 'p.departed',
      dueOn: '2023-03-10',
    });
    expect(evaluatePerson(person({}), RULES, '2023-03-10')).toEqual({
      erase: true,
      rule: 'p.departed',
      anchor: '2020-03-10',
      dueOn: '2023-03-10',
    });
  });

  it('a departure on 29 February is due on 1 March three years on', () => {
    const p = person({
      latestFact: '2024-02-29',
      lastStay: { authorizedUntil: null, departedOn: '2024-02-29' },
    });
    expect(evaluatePerson(p, RULES, '2027-02-28')).toMatchObject({ erase: false, dueOn: '2027-03-01' });
    expect(evaluatePerson(p, RULES, '2027-03-01')).toMatchObject({ erase: true });
  });

  it('a newer fact restarts the clock (e.g. a status change recorded after the departure)', () => {
    const p = person({ latestFact: '2021-01-05' });
    expect(evaluatePerson(p, RULES, '2023-03-10')).toMatchObject({ erase: false, dueOn: '2024-01-05' });
    expect(evaluatePerson(p, RULES, '2024-01-05')).toMatchObject({ erase: true, anchor: '2021-01-05' });
  });
});

describe('person facts: 5 years after the authorized stay where no departure was recorded', () => {
  const stayed = person({
    latestFact: '2020-01-01',
    lastStay: { authorizedUntil: '2020-06-30', departedOn: null },
  });

  it('kept the day before the fifth anniversary of the end of the authorized stay, erased on it', () => {
    expect(evaluatePerson(stayed, RULES, '2025-06-29')).toMatchObject({
      erase: false,
      reason: 'not-yet-due',
      rule: 'p.no-departure',
      dueOn: '2025-06-30',
    });
    expect(evaluatePerson(stayed, RULES, '2025-06-30')).toMatchObject({
      erase: true,
      rule: 'p.no-departure',
    });
  });

  it('a stay with no end (open duration of status, pending filing) never starts the clock', () => {
    const open = person({ lastStay: { authorizedUntil: null, departedOn: null } });
    expect(evaluatePerson(open, RULES, '2099-01-01')).toEqual({
      erase: false,
      reason: 'clock-not-started',
      rule: null,
      dueOn: null,
    });
  });
});

describe('person facts that open no stay', () => {
  it('go 3 years after the newest of them', () => {
    const p = person({ lastStay: null, latestFact: '2021-08-01' });
    expect(evaluatePerson(p, RULES, '2024-07-31')).toMatchObject({ erase: false, rule: 'p.no-stay' });
    expect(evaluatePerson(p, RULES, '2024-08-01')).toMatchObject({ erase: true, rule: 'p.no-stay' });
  });

  it('a situation without a rule keeps everything', () => {
    const only = parseRetentionRules({ version: 'x', rules: [], kept: [] });
    expect(evaluatePerson(person({}), only, '2099-01-01')).toMatchObject({ erase: false, reason: 'no-rule' });
  });
});

describe('legal holds', () => {
  it('keep a person who is due, and say so; a hold on someone not yet due changes nothing', () => {
    expect(evaluatePerson(person({ held: true }), RULES, '2030-01-01')).toEqual({
      erase: false,
      reason: 'held',
      rule: 'p.departed',
      dueOn: '2023-03-10',
    });
    expect(evaluatePerson(person({ held: true }), RULES, '2021-01-01')).toMatchObject({
      reason: 'not-yet-due',
    });
  });
});

describe('quarantine entries: 1 year after resolution', () => {
  const q = (x: Partial<QuarantineRetentionFacts>): QuarantineRetentionFacts => ({
    id: '1',
    status: 'discarded',
    resolvedOn: '2025-05-05',
    held: false,
    ...x,
  });

  it('kept the day before the anniversary of the resolution, erased on it', () => {
    expect(evaluateQuarantine(q({}), RULES, '2026-05-04')).toMatchObject({
      erase: false,
      dueOn: '2026-05-05',
    });
    expect(evaluateQuarantine(q({}), RULES, '2026-05-05')).toMatchObject({ erase: true, rule: 'q.resolved' });
    expect(evaluateQuarantine(q({ status: 'resubmitted' }), RULES, '2026-05-05')).toMatchObject({
      erase: true,
    });
  });

  it('open entries wait for their fix; held ones stay', () => {
    expect(evaluateQuarantine(q({ status: 'open', resolvedOn: null }), RULES, '2099-01-01')).toMatchObject({
      erase: false,
      reason: 'clock-not-started',
    });
    expect(evaluateQuarantine(q({ held: true }), RULES, '2099-01-01')).toMatchObject({
      erase: false,
      reason: 'held',
    });
  });
});

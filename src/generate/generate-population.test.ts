import { beforeAll, describe, expect, it } from 'vitest';
import { FLAT_COLUMNS, type FlatRecord } from '../core/observation/flat-columns.js';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import { STAY_OUTCOMES } from '../core/stays/stay.js';
import { dayOfIso } from './calendar.js';
import { generatePopulation, type Feed, type GeneratedItem, type TruthStay } from './generate-population.js';
import { NATIONALITIES } from './nationalities.js';
import { DATE_COLUMNS } from './noise.js';
import { NOISE_KINDS, NOISE_RATES, type NoiseKind } from './noise-rates.js';
import { transliterationVariants } from './transliteration.js';

interface Population {
  records: { feed: Feed; record: FlatRecord }[];
  truthRecords: Map<string, string>;
  stays: TruthStay[];
  noise: { recordId: string; personId: string; noise: NoiseKind; detail: string }[];
  persons: { personId: string; nationality: string; twinOf: string | null }[];
}

function collect(items: Iterable<GeneratedItem>): Population {
  const p: Population = { records: [], truthRecords: new Map(), stays: [], noise: [], persons: [] };
  for (const item of items) {
    if (item.kind === 'record') p.records.push({ feed: item.feed, record: item.record });
    else if (item.kind === 'truth-record') p.truthRecords.set(item.recordId, item.personId);
    else if (item.kind === 'truth-stay') p.stays.push(item);
    else if (item.kind === 'noise') p.noise.push(item);
    else p.persons.push(item);
  }
  return p;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const AS_OF = '2026-11-01';
const PEOPLE = 20_000;
const SEED = 20260501;
let clean: Population;
let noisy: Population;

beforeAll(() => {
  clean = collect(generatePopulation({ people: PEOPLE, seed: SEED, noise: 0 }));
  noisy = collect(generatePopulation({ people: PEOPLE, seed: SEED, noise: 1 }));
});

describe('generatePopulation: determinism', () => {
  it('gives the same items for the same options, and different ones for another seed', () => {
    const a = JSON.stringify([...generatePopulation({ people: 300, seed: 7, noise: 1 })]);
    const b = JSON.stringify([...generatePopulation({ people: 300, seed: 7, noise: 1 })]);
    const c = JSON.stringify([...generatePopulation({ people: 300, seed: 8, noise: 1 })]);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('is lazy and can be iterated twice with the same result', () => {
    const population = generatePopulation({ people: 50, seed: 1, noise: 2 });
    expect(JSON.stringify([...population])).toBe(JSON.stringify([...population]));
  });

  it('keeps the population and the truth whatever the noise level: noise only perturbs cells and adds rows', () => {
    expect(noisy.stays).toEqual(clean.stays);
    for (const [id, person] of clean.truthRecords) expect(noisy.truthRecords.get(id)).toBe(person);
    expect(noisy.persons).toEqual(clean.persons);
  });

  it('refuses impossible options at once', () => {
    expect(() => generatePopulation({ people: -1, seed: 1, noise: 0 })).toThrow(RangeError);
    expect(() => generatePopulation({ people: 10, seed: 1.5, noise: 0 })).toThrow(RangeError);
    expect(() => generatePopulation({ people: 10, seed: 1, noise: -1 })).toThrow(RangeError);
    expect(() =>
      generatePopulation({ people: 10, seed: 1, noise: 0, from: '2026-01-01', to: '2025-01-01' }),
    ).toThrow(RangeError);
    expect(() => generatePopulation({ people: 10, seed: 1, noise: 0, asOf: '2026-13-01' })).toThrow(
      RangeError,
    );
  });
});

describe('generatePopulation at noise 0', () => {
  it('writes no noise and only ISO dates', () => {
    expect(clean.noise).toEqual([]);
    const bad: string[] = [];
    for (const { record } of clean.records) {
      for (const column of DATE_COLUMNS) {
        const v = record[column];
        if (v !== undefined && (!ISO.test(v) || dayOfIso(v) === null))
          bad.push(`${record.record_id} ${column}=${v}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('writes records that follow the column layout and that the feed parser accepts', () => {
    const kinds: Record<Feed, string> = {
      admissions: 'Admission',
      departures: 'Departure',
      'status-changes': 'StatusChange',
    };
    const columns = new Set<string>(FLAT_COLUMNS);
    const bad: string[] = [];
    for (const { feed, record } of clean.records) {
      const id = record.record_id;
      for (const key of Object.keys(record)) if (!columns.has(key)) bad.push(`${id}: unknown column ${key}`);
      if (record.kind !== kinds[feed]) bad.push(`${id}: kind ${record.kind} in ${feed}`);
      if (!/^X[0-9A-Z]{8}$/.test(record.doc_number ?? '')) bad.push(`${id}: doc_number ${record.doc_number}`);
      if (record.doc_country !== record.nationality) bad.push(`${id}: doc_country differs from nationality`);
      if (record.admission_number !== undefined && !/^\d{11}$/.test(record.admission_number))
        bad.push(`${id}: admission_number`);
      if (feed !== 'departures' && record.admission_number === undefined)
        bad.push(`${id}: no admission_number`);
      if (record.channel === 'land' && record.admission_number !== undefined)
        bad.push(`${id}: land departure with a number`);
      const parsed = parseFlatRecord(record);
      if (!parsed.ok) bad.push(`${id}: ${JSON.stringify(parsed.errors)}`);
    }
    expect(bad).toEqual([]);
  });

  it('gives unique record ids and one truth row per record', () => {
    const ids = clean.records.map((r) => r.record.record_id!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(clean.truthRecords.size).toBe(ids.length);
  });

  it('writes one truth-stay row per admission record, with unique admission numbers', () => {
    const admissions = clean.records.filter((r) => r.feed === 'admissions');
    expect(clean.stays.map((s) => s.admissionRecordId)).toEqual(admissions.map((a) => a.record.record_id));
    expect(new Set(clean.stays.map((s) => s.admissionNumber)).size).toBe(clean.stays.length);
  });

  it('links every record of a person to the others by document + birth date or admission number, and never two persons', () => {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r)!;
      parent.set(x, r);
      return r;
    };
    const union = (a: string, b: string) => {
      if (!parent.has(a)) parent.set(a, a);
      if (!parent.has(b)) parent.set(b, b);
      parent.set(find(a), find(b));
    };
    for (const { record } of clean.records) {
      const id = `r:${record.record_id}`;
      union(id, `d:${record.doc_country}:${record.doc_number}:${record.birth_date}`);
      if (record.admission_number) union(id, `a:${record.admission_number}`);
    }
    const componentOf = new Map<string, string>();
    const personOf = new Map<string, string>();
    const bad: string[] = [];
    for (const { record } of clean.records) {
      const person = clean.truthRecords.get(record.record_id!)!;
      const root = find(`r:${record.record_id}`);
      const seen = componentOf.get(person);
      if (seen === undefined) componentOf.set(person, root);
      else if (root !== seen) bad.push(`${person} is split`);
      const other = personOf.get(root);
      if (other === undefined) personOf.set(root, person);
      else if (other !== person) bad.push(`${person} and ${other} share a component`);
    }
    expect(bad).toEqual([]);
  });

  it('renews some passports during a stay, on the status-change records, and keeps them linked', () => {
    const docs = new Map<string, Set<string>>();
    for (const { record } of clean.records) {
      const person = clean.truthRecords.get(record.record_id!)!;
      docs.set(person, (docs.get(person) ?? new Set()).add(record.doc_number!));
    }
    expect([...docs.values()].filter((s) => s.size === 2).length).toBeGreaterThan(0);
    expect([...docs.values()].every((s) => s.size <= 2)).toBe(true);
  });

  it('makes twins: same family name, birth date and nationality, different given names and passports', () => {
    const twins = clean.persons.filter((p) => p.twinOf !== null);
    expect(twins.length).toBeGreaterThan(PEOPLE * 0.001);
    expect(twins.length).toBeLessThan(PEOPLE * 0.004);
    const firstRecord = new Map<string, FlatRecord>();
    for (const { record } of clean.records) {
      const person = clean.truthRecords.get(record.record_id!)!;
      if (!firstRecord.has(person)) firstRecord.set(person, record);
    }
    for (const t of twins) {
      const a = firstRecord.get(t.personId)!;
      const b = firstRecord.get(t.twinOf!)!;
      expect([a.family_names, a.birth_date, a.nationality]).toEqual([
        b.family_names,
        b.birth_date,
        b.nationality,
      ]);
      expect(a.given_names).not.toBe(b.given_names);
      expect(a.doc_number).not.toBe(b.doc_number);
    }
  });
});

describe('truth-stays', () => {
  const asOf = dayOfIso(AS_OF)!;

  it('states outcomes that agree with their own dates', () => {
    const bad: string[] = [];
    const check = (ok: boolean, s: TruthStay, what: string) => {
      if (!ok) bad.push(`${s.admissionRecordId} ${s.outcome}: ${what}`);
    };
    for (const s of clean.stays) {
      check((STAY_OUTCOMES as readonly string[]).includes(s.outcome), s, 'unknown outcome');
      const until = s.authorizedUntil === null ? null : dayOfIso(s.authorizedUntil)!;
      const left = s.departedOn === null ? null : dayOfIso(s.departedOn)!;
      if (s.departureInferred) check(s.departedOn === null, s, 'inferred departure with a date');
      switch (s.outcome) {
        case 'departed-late':
          check(
            s.daysOverstay !== null && s.daysOverstay > 0 && left! - until! === s.daysOverstay,
            s,
            'days',
          );
          break;
        case 'departed-on-time':
          check(s.daysOverstay === null, s, 'days');
          if (left !== null && until !== null) check(left <= until, s, 'left after the period');
          break;
        case 'suspected-in-country-overstay':
          check(s.daysOverstay === asOf - until! && s.departedOn === null, s, 'days');
          break;
        case 'within-period':
          check(until !== null && until >= asOf, s, 'period ended');
          break;
        case 'departed-date-unknown':
          check(s.departureInferred, s, 'not inferred');
          break;
        case 'duration-of-status-open':
          check(['F1', 'J1'].includes(s.classOfAdmission), s, 'not D/S');
          break;
        default:
          check(s.authorizedUntil === null, s, 'has a period');
      }
    }
    expect(bad).toEqual([]);
  });

  it('has the stated shares of outcomes', () => {
    const share = (o: string) => clean.stays.filter((s) => s.outcome === o).length / clean.stays.length;
    expect(share('departed-on-time')).toBeGreaterThan(0.86);
    expect(share('departed-on-time')).toBeLessThan(0.93);
    expect(share('departed-late')).toBeGreaterThan(0.014);
    expect(share('departed-late')).toBeLessThan(0.026);
    expect(share('suspected-in-country-overstay')).toBeGreaterThan(0.01);
    expect(share('suspected-in-country-overstay')).toBeLessThan(0.022);
    for (const o of [
      'within-period',
      'extension-pending',
      'status-changed',
      'duration-of-status-open',
      'departed-date-unknown',
    ]) {
      expect(share(o), o).toBeGreaterThan(0);
    }
    expect(share('unresolved')).toBe(0);
  });
});

describe('generatePopulation at noise 1', () => {
  const romanisation = new Map(NATIONALITIES.map((n) => [n.code, n.romanisation]));

  /** Binomial tolerance: four standard deviations plus a little slack for tiny counts. */
  function expectRate(kind: NoiseKind, observed: number, eligible: number) {
    const p = NOISE_RATES[kind].rate;
    const expected = eligible * p;
    const tolerance = 4 * Math.sqrt(eligible * p * (1 - p)) + 3;
    expect(
      Math.abs(observed - expected),
      `${kind}: ${observed} of ${eligible} (expected ${expected.toFixed(1)})`,
    ).toBeLessThan(tolerance);
  }

  it('applies each kind of noise at its stated rate', () => {
    const counts = Object.fromEntries(NOISE_KINDS.map((k) => [k, 0])) as Record<NoiseKind, number>;
    for (const n of noisy.noise) counts[n.noise]++;
    const records = clean.records.map((r) => r.record);
    const n = records.length;
    for (const kind of [
      'name-typo',
      'name-swap',
      'name-placeholder',
      'birth-date-day-00',
      'doc-number-missing',
      'field-missing',
      'duplicate-new-id',
      'duplicate-same-id',
    ] as const) {
      expectRate(kind, counts[kind], n);
    }
    const dateCells = records.reduce(
      (sum, r) => sum + DATE_COLUMNS.filter((c) => r[c] !== undefined).length,
      0,
    );
    expectRate('date-format', counts['date-format'], dateCells);
    const twoSurnames = records.filter(
      (r) => ['MEX', 'BRA', 'ESP', 'PRT'].includes(r.nationality!) && r.family_names!.includes(' '),
    ).length;
    expectRate('family-name-order', counts['family-name-order'], twoSurnames);
    const transliterable = records.filter(
      (r) =>
        transliterationVariants(r.given_names!, romanisation.get(r.nationality!)!).length > 0 ||
        transliterationVariants(r.family_names!, romanisation.get(r.nationality!)!).length > 0,
    ).length;
    expect(Math.abs(counts.transliteration - transliterable * 0.03)).toBeLessThan(transliterable * 0.01 + 10);
    const confusable = records.filter((r) => /[OI5S8B01]/.test(r.doc_number!.slice(1))).length;
    expectRate('doc-number-ocr', counts['doc-number-ocr'], confusable);
    const multiVisit = new Map<string, number>();
    for (const s of clean.stays) multiVisit.set(s.personId, (multiVisit.get(s.personId) ?? 0) + 1);
    const renewedPersons = new Set(
      noisy.noise.filter((x) => x.noise === 'passport-renewed-between-visits').map((x) => x.personId),
    );
    expectRate(
      'passport-renewed-between-visits',
      renewedPersons.size,
      [...multiVisit.values()].filter((v) => v >= 2).length,
    );
  });

  it('keeps each linkage-breaking noise at or below 0.1 % of records', () => {
    const n = clean.records.length;
    for (const kind of NOISE_KINDS.filter((k) => NOISE_RATES[k].breaksExactLinkage)) {
      expect(NOISE_RATES[kind].rate).toBeLessThanOrEqual(
        kind === 'passport-renewed-between-visits' ? 0.005 : 0.001,
      );
      const affected = new Set(noisy.noise.filter((x) => x.noise === kind).map((x) => x.recordId)).size;
      expect(affected / n, kind).toBeLessThan(0.0015);
    }
  });

  it('records every noise event against a delivered record of the right person', () => {
    const delivered = new Set(noisy.records.map((r) => r.record.record_id));
    for (const x of noisy.noise) {
      expect(delivered.has(x.recordId)).toBe(true);
      expect(noisy.truthRecords.get(x.recordId)).toBe(x.personId);
    }
  });

  it('delivers duplicates: new ids map to the same person, same-id rows repeat exactly', () => {
    const byId = new Map<string, FlatRecord[]>();
    for (const { record } of noisy.records)
      byId.set(record.record_id!, [...(byId.get(record.record_id!) ?? []), record]);
    for (const x of noisy.noise.filter((n) => n.noise === 'duplicate-same-id')) {
      const rows = byId.get(x.recordId)!;
      expect(rows.length).toBe(2);
      expect(rows[1]).toEqual(rows[0]);
    }
    for (const x of noisy.noise.filter((n) => n.noise === 'duplicate-new-id')) {
      const original = x.detail.replace('duplicate of ', '');
      const [copy] = byId.get(x.recordId)!;
      const [first] = byId.get(original)!;
      expect({ ...copy, record_id: original }).toEqual(first);
    }
  });

  it('still writes records the feed parser accepts, except a record left with no identifier at all', () => {
    const noiseOf = new Map<string, Set<NoiseKind>>();
    const copyOf = new Map<string, string>();
    for (const x of noisy.noise) {
      noiseOf.set(x.recordId, (noiseOf.get(x.recordId) ?? new Set()).add(x.noise));
      if (x.noise === 'duplicate-new-id') copyOf.set(x.recordId, x.detail.replace('duplicate of ', ''));
    }
    for (const { record } of noisy.records) {
      const parsed = parseFlatRecord(record);
      if (parsed.ok) continue;
      const id = copyOf.get(record.record_id!) ?? record.record_id!;
      expect(noiseOf.get(id)?.has('doc-number-missing')).toBe(true);
      expect(record.admission_number).toBeUndefined();
    }
  });
});

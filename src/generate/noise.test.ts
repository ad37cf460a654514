import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../core/observation/parse-date.js';
import { applyRecordNoise, reformatDate, typo, type MutableRecord } from './noise.js';
import { Rng } from './prng.js';
import {
  germanFolding,
  latinFromCyrillic,
  transliterationVariants,
  withoutDiacritics,
} from './transliteration.js';

describe('noise primitives', () => {
  it('a typo always changes the name and keeps its first letter', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom('Müller', 'Ana', 'Oluwaseun', "D'Amore", 'Li', 'Nguyễn Văn'),
        (seed, name) => {
          const t = typo(new Rng(seed), name);
          expect(t).not.toBe(name);
          expect(t[0]).toBe(name[0]);
        },
      ),
    );
  });

  it('a reformatted date is still read as the same date by the feed parser', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.date({ min: new Date('1930-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }),
        (seed, date) => {
          const iso = date.toISOString().slice(0, 10);
          const slipped = reformatDate(new Rng(seed), iso);
          expect(slipped).not.toBe(iso);
          expect(parseDate(slipped)).toEqual({ kind: 'date', value: iso });
        },
      ),
    );
  });

  it('writes the usual transliteration variants', () => {
    expect(germanFolding('Müller')).toBe('Mueller');
    expect(germanFolding('Strauß')).toBe('Strauss');
    expect(withoutDiacritics('José Núñez')).toBe('Jose Nunez');
    expect(withoutDiacritics('Łukasz Wałęsa')).toBe('Lukasz Walesa');
    expect(transliterationVariants('Müller', 'latin').sort()).toEqual(['Mueller', 'Muller']);
    expect(transliterationVariants('Smith', 'latin')).toEqual([]);
    expect(latinFromCyrillic('Юлия', 'ru')).toBe('Iuliia');
    expect(latinFromCyrillic('Григорій', 'uk')).toBe('Hryhorii');
    expect(transliterationVariants('Iuliia', 'cyrillic')).toContain('Yuliia');
    expect(transliterationVariants('Mohammed', 'arabic')).toEqual(
      expect.arrayContaining(['Muhammad', 'Mohamed']),
    );
    expect(transliterationVariants('Sato', 'japanese')).toEqual(expect.arrayContaining(['Satoh', 'Satou']));
  });

  it('applies nothing at level 0', () => {
    const record: MutableRecord = {
      kind: 'Admission',
      given_names: 'Ana',
      family_names: 'Reyes Soto',
      birth_date: '1990-01-02',
    };
    const before = { ...record };
    const rng = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      expect(
        applyRecordNoise(rng, record, { level: 0, romanisation: 'latin', familyParts: ['Reyes', 'Soto'] }),
      ).toEqual([]);
    }
    expect(record).toEqual(before);
  });

  it('never changes the synthetic prefix of a document number', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 2000; i++) {
      const record: MutableRecord = {
        kind: 'Departure',
        doc_number: 'XOIS8B015',
        given_names: 'A',
        family_names: 'B',
      };
      applyRecordNoise(rng, record, { level: 500, romanisation: 'latin', familyParts: null });
      if (record.doc_number !== undefined) expect(record.doc_number[0]).toBe('X');
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMrz } from './parse-mrz.js';
import { TD1_SPECIMEN, TD2_SPECIMEN, TD3_SPECIMEN, td3, withChar } from './test-fixtures.js';

const REF = { referenceDate: '2025-07-01' };
const MRZ_ALPHABET = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<<<'];

/** Strings of MRZ characters of exactly `n` characters: they get past the shape check into the library. */
const mrzLine = (n: number) =>
  fc.array(fc.constantFrom(...MRZ_ALPHABET), { minLength: n, maxLength: n }).map((cs) => cs.join(''));

function neverThrows(input: unknown): void {
  const r = parseMrz(input as string, REF);
  if (!r.ok) {
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) expect(typeof e.field === 'string' && typeof e.reason === 'string').toBe(true);
  }
}

describe('parseMrz properties', () => {
  it('random strings never throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), neverThrows), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), neverThrows), { numRuns: 300 });
  });

  it('random arrays of strings and random values never throw', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 50 }), { maxLength: 5 }), neverThrows), {
      numRuns: 500,
    });
    fc.assert(fc.property(fc.anything(), neverThrows), { numRuns: 300 });
  });

  it('random zones of the right shapes never throw', () => {
    const zones = fc.oneof(
      fc.tuple(mrzLine(30), mrzLine(30), mrzLine(30)),
      fc.tuple(mrzLine(36), mrzLine(36)),
      fc.tuple(mrzLine(44), mrzLine(44)),
      // Specimen-like starts, so the library's field parsers are reached with random content.
      fc.tuple(mrzLine(39), mrzLine(44)).map(([a, b]) => [`P<UTO${a}`, b]),
      fc.tuple(mrzLine(25), mrzLine(30), mrzLine(30)).map(([a, b, c]) => [`I<UTO${a}`, b, c]),
      fc.tuple(mrzLine(31), mrzLine(36)).map(([a, b]) => [`I<UTO${a}`, b]),
    );
    fc.assert(fc.property(zones, neverThrows), { numRuns: 2000 });
  });

  it('any one digit of a specimen changed to another digit is rejected', () => {
    const specimens = [TD3_SPECIMEN, TD1_SPECIMEN, TD2_SPECIMEN];
    const digitPositions = specimens.flatMap((zone) =>
      zone.flatMap((line, l) =>
        [...line].flatMap((c, col) => (/[0-9]/.test(c) ? [{ zone, l, col, c: Number(c) }] : [])),
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...digitPositions), fc.integer({ min: 1, max: 9 }), (p, delta) => {
        const changed = withChar(p.zone, p.l, p.col, String((p.c + delta) % 10));
        expect(parseMrz(changed, REF).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('generated valid passports read back their fields', () => {
    const letters = (min: number, max: number) =>
      fc
        .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), { minLength: min, maxLength: max })
        .map((cs) => cs.join(''));
    const day = fc
      .date({
        min: new Date('1930-01-01T00:00:00Z'),
        max: new Date('2025-07-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
    fc.assert(
      fc.property(
        letters(1, 15),
        letters(1, 15),
        fc
          .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), { minLength: 1, maxLength: 9 })
          .map((cs) => cs.join('')),
        day,
        fc.constantFrom('F', 'M', 'X'),
        fc.constantFrom('USA', 'MEX', 'IND', 'DEU', 'XXA'),
        (family, given, number, birth, sex, nationality) => {
          const zone = td3({
            name: `${family}<<${given}`,
            number,
            birth: yymmdd(birth),
            sex,
            nationality,
            expiry: '300101',
          });
          const r = parseMrz(zone, REF);
          expect(r).toMatchObject({
            ok: true,
            value: {
              familyNames: family,
              givenNames: given,
              documentNumber: number,
              birthDate: birth,
              sex,
              nationality,
              expiry: '2030-01-01',
            },
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

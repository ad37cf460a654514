import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash53Position, inIndexOrder, int64Position } from './index-order.js';

describe('inIndexOrder', () => {
  it('returns every line once, with the keys of a lower bucket before those of a higher one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 53 - 1 }), { maxLength: 500 }), (keys) => {
        const lines = keys.map((k, i) => `${k}\t${i}`);
        const out = inIndexOrder(lines, (i) => hash53Position(keys[i]!));
        expect([...out].sort()).toEqual([...lines].sort());
        const bucket = (line: string) => Math.floor(hash53Position(Number(line.split('\t')[0])) * 4096);
        for (let i = 1; i < out.length; i++)
          expect(bucket(out[i]!)).toBeGreaterThanOrEqual(bucket(out[i - 1]!));
      }),
    );
  });

  it('places signed 64-bit keys from the most negative to the most positive', () => {
    const keys = [
      '9223372036854775807',
      '-9223372036854775808',
      '0',
      '-4611686018427387904',
      '4611686018427387904',
    ];
    const out = inIndexOrder(keys, (i) => int64Position(keys[i]!));
    expect(out).toEqual([
      '-9223372036854775808',
      '-4611686018427387904',
      '0',
      '4611686018427387904',
      '9223372036854775807',
    ]);
  });
});

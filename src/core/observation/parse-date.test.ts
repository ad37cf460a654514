import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDate } from './parse-date.js';

describe('parseDate', () => {
  it.each([
    ['2025-03-04', '2025-03-04'],
    ['20250304', '2025-03-04'],
    ['2025/03/04', '2025-03-04'],
    ['04 MAR 2025', '2025-03-04'],
    ['4-mar-2025', '2025-03-04'],
    [' 2024-02-29 ', '2024-02-29'],
  ])('reads %s as %s', (raw, iso) => {
    expect(parseDate(raw)).toEqual({ kind: 'date', value: iso });
  });

  it('treats day or month 00 as an unknown-date placeholder, never as a date', () => {
    expect(parseDate('1980-03-00')).toEqual({ kind: 'placeholder' });
    expect(parseDate('1980-00-00')).toEqual({ kind: 'placeholder' });
  });

  it.each([
    ['03/04/2025', /not a date in a recognised unambiguous form/],
    ['2025-02-29', /day 29 out of range for 2025-02/],
    ['2025-13-01', /month 13 out of range/],
    ['04 XYZ 2025', /unknown month "XYZ"/],
    ['', /not a date/],
  ])('refuses %s with a reason', (raw, reason) => {
    const r = parseDate(raw);
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.reason).toMatch(reason);
  });

  it('round-trips every calendar date in every accepted form', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2100-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [y, m, day] = iso.split('-');
          const mon = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'][
            Number(m) - 1
          ]!;
          for (const form of [iso, `${y}${m}${day}`, `${y}/${m}/${day}`, `${day} ${mon} ${y}`]) {
            expect(parseDate(form)).toEqual({ kind: 'date', value: iso });
          }
        },
      ),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => ['date', 'placeholder', 'invalid'].includes(parseDate(s).kind)),
    );
  });
});

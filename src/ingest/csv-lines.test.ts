import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRecords, type CsvRecord } from './csv-lines.js';

async function all(text: string, chunkSize = 3): Promise<CsvRecord[]> {
  async function* chunks() {
    for (let i = 0; i < text.length; i += chunkSize)
      yield await Promise.resolve(text.slice(i, i + chunkSize));
  }
  const out: CsvRecord[] = [];
  for await (const r of csvRecords(chunks())) out.push(r);
  return out;
}

describe('csvRecords', () => {
  it('splits records with quotes, commas, doubled quotes and line breaks, keeping raw text and line numbers', async () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\n\n2,"two\nlines",\n3,,z';
    const recs = await all(text);
    expect(recs.map((r) => [r.line, r.cells, r.raw])).toEqual([
      [1, ['a', 'b', 'c'], 'a,b,c'],
      [2, ['1', 'x, y', 'say "hi"'], '1,"x, y","say ""hi"""'],
      [4, ['2', 'two\nlines', ''], '2,"two\nlines",'],
      [6, ['3', '', 'z'], '3,,z'],
    ]);
    expect(recs.at(-1)!.bytes).toBe(Buffer.byteLength(text) - 3);
  });

  it('reports a malformed record and resynchronises at the next line', async () => {
    const recs = await all('a,b\n"x"y,1\nok,2\n"never closed,3\n');
    expect(recs.map((r) => [r.line, r.error ?? null])).toEqual([
      [1, null],
      [2, 'unexpected text after a closing quote in field 1'],
      [3, null],
      [4, 'a quoted field is never closed'],
    ]);
  });

  it('gives the same records whatever the chunk size', async () => {
    const cell = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', 'é', ' ') }),
      fc.constant(''),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 20 }),
        async (rows, size) => {
          const quote = (c: string) => (/[",\n]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c);
          const text = rows.map((r) => r.map(quote).join(',')).join('\n') + '\n';
          const recs = await all(text, size);
          expect(recs.map((r) => r.cells)).toEqual(rows);
          expect(recs.every((r) => r.error === undefined)).toBe(true);
        },
      ),
    );
  });
});

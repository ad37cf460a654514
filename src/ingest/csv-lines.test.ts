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
    expect(recs.at(-1)!.bytes).toBe(Buffer.byteLength(text)); // the byte-order mark is part of the file
  });

  it('counts the bytes of the file consumed after each record, in ASCII and multi-byte text alike', async () => {
    const text = 'n,x\nMüller,1\nplain,2\nŁódź,"3\n3"\nend,4\n';
    for (const size of [1, 4, 7, 64]) {
      const bytes = Buffer.from(text);
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += size) yield await Promise.resolve(bytes.subarray(i, i + size));
      }
      const recs: CsvRecord[] = [];
      for await (const r of csvRecords(chunks())) recs.push(r);
      const ends = ['n,x', 'Müller,1', 'plain,2', 'Łódź,"3\n3"', 'end,4'];
      let at = 0;
      expect(recs.map((r) => r.bytes)).toEqual(ends.map((l) => (at += Buffer.byteLength(l) + 1)));
    }
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

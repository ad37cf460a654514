import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePaxlstBytesSync, paxlstCharset } from './decode-paxlst.js';
import type { PaxlstResult } from './manifest.js';
import { parsePaxlstSync } from './parse-paxlst.js';
import { errorLines, FLIGHT_OUT, interchange, message } from './test-fixtures.js';

/** A passenger on the fixture flight, with the name as given. */
const passenger = (family: string, given: string, doc: string) => [
  `NAD+FL+++${family}:${given}`,
  'ATT+2++M',
  'DTM+329:800101',
  'NAT+2+TUR',
  `DOC+P+${doc}`,
  'DTM+36:300101',
  'LOC+91+TUR',
];

const list = (ref: string, persons: readonly (readonly string[])[]) =>
  message(ref, ['BGM+745', 'RFF+TN:XY100TX1', ...FLIGHT_OUT, ...persons.flat(), `CNT+42:${persons.length}`]);

const names = (results: readonly PaxlstResult[]) =>
  results.flatMap((r) => (r.ok ? r.message.persons.map((p) => `${p.familyNames}, ${p.givenNames}`) : []));

const bytes = (text: string, encoding: BufferEncoding) => new Uint8Array(Buffer.from(text, encoding));
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** The bytes cut at the given offsets (sorted, in range), as a stream would hand them over. */
function cut(data: Uint8Array, at: readonly number[]): Uint8Array[] {
  const points = [...new Set(at)].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(data.subarray(from, p));
    from = p;
  }
  chunks.push(data.subarray(from));
  return chunks;
}

const UTF8_LIST = interchange(
  [list('M1', [passenger('ÇELİK', 'AYŞE', 'U1000001'), passenger('MÜLLER', 'JÜRGEN', 'U1000002')])],
  {
    syntax: 'UNOY:4',
    controlRef: 'ICUTF8',
  },
);

describe('decoding PAXLST bytes by the syntax identifier', () => {
  it('reads a UNOY interchange as UTF-8, however the bytes are cut, a character across two chunks included', () => {
    const data = bytes(UTF8_LIST, 'utf8');
    const whole = [...parsePaxlstSync(data)];
    expect(errorLines(whole)).toEqual([]);
    expect(names(whole)).toEqual(['ÇELİK, AYŞE', 'MÜLLER, JÜRGEN']);
    // Every cut inside a two-byte character: the decoder must carry its first byte to the next chunk.
    const inside = [...UTF8_LIST.matchAll(/[ÇİŞÜ]/gu)].map(
      (m) => Buffer.byteLength(UTF8_LIST.slice(0, m.index)) + 1,
    );
    expect(inside.length).toBeGreaterThan(4);
    expect(names([...parsePaxlstSync(cut(data, inside))])).toEqual(names(whole));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: data.length }), { maxLength: 40 }), (at) => {
        expect([...decodePaxlstBytesSync(cut(data, at))].join('')).toBe(UTF8_LIST);
      }),
      { numRuns: 200 },
    );
  });

  it('reads each interchange of a file in its own set: Latin-1, then UTF-8 behind a UNA, then ISO 8859-2 and -5', () => {
    // Under UNOC, a released terminator followed by what looks like a UNB: the decoder must not switch there.
    const latin = interchange(
      [
        list('M1', [
          passenger('TRAP', "X?'UNB+UNOY:4", 'L1000001'),
          passenger('MÜLLER', 'JÜRGEN', 'L1000002'),
        ]),
      ],
      {
        syntax: 'UNOC:4',
        controlRef: 'ICLATIN',
      },
    );
    // A UNA with another terminator (!) and release (#): the next UNB is still found.
    const utf8 = interchange([list('M2', [passenger('ÇELİK', 'AYŞE', 'U1000001')])], {
      syntax: 'UNOY:4',
      controlRef: 'ICUTF8',
    })
      .replaceAll("'\n", '!\n')
      .replace(/^/, 'UNA:+.# !\n');
    const polish = interchange([list('M3', [passenger('WAŁĘSA', 'LECH', 'P1000001')])], {
      syntax: 'UNOD:4',
      controlRef: 'ICPL',
    });
    const cyrillic = interchange([list('M4', [passenger('ИВАНОВ', 'ИВАН', 'R1000001')])], {
      syntax: 'UNOE:4',
      controlRef: 'ICRU',
    });
    const data = concat(
      bytes(latin, 'latin1'),
      bytes(utf8, 'utf8'),
      Buffer.from(new TextEncoderIso('iso-8859-2').encode(polish)),
      Buffer.from(new TextEncoderIso('iso-8859-5').encode(cyrillic)),
    );
    const expected = ["TRAP, X'UNB", 'MÜLLER, JÜRGEN', 'ÇELİK, AYŞE', 'WAŁĘSA, LECH', 'ИВАНОВ, ИВАН'];
    const results = [...parsePaxlstSync(data)];
    expect(errorLines(results)).toEqual([]);
    expect(names(results)).toEqual(expected);
    expect(results.map((r) => (r.ok ? r.message.interchange.syntax.identifier : null))).toEqual([
      'UNOC',
      'UNOY',
      'UNOD',
      'UNOE',
    ]);
    // Cut between the release character and the terminator it releases.
    const trap = latin.indexOf("?'UNB") + 1;
    expect(names([...parsePaxlstSync(cut(data, [trap]))])).toEqual(expected);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: data.length }), { maxLength: 60 }), (at) => {
        expect(names([...parsePaxlstSync(cut(data, at))])).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('rejects the message whose bytes are not UTF-8 under UNOY, naming the segment; the others go through', () => {
    const good = bytes(UTF8_LIST, 'utf8');
    // MÜLLER written in Latin-1 inside a UTF-8 interchange: Ü is the lone byte 0xDC.
    const broken = bytes(
      interchange([list('M9', [passenger('MÜLLER', 'JÜRGEN', 'U1000009')])], {
        syntax: 'UNOY:4',
        controlRef: 'ICBAD',
      }),
      'latin1',
    );
    const results = [...parsePaxlstSync(concat(good, broken))];
    expect(names(results)).toEqual(['ÇELİK, AYŞE', 'MÜLLER, JÜRGEN']);
    const rejected = results.filter((r) => !r.ok);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ scope: 'message', messageRef: 'M9' });
    expect(errorLines(results)[0]).toMatch(
      /^NAD: U\+FFFD: bytes that are not a character of the interchange's character set/,
    );
  });

  it('reads a file that starts with a UTF-8 byte order mark', () => {
    const data = concat(new Uint8Array([0xef, 0xbb, 0xbf]), bytes(`UNA:+.? '\n${UTF8_LIST}`, 'utf8'));
    for (const chunks of [[data], cut(data, [1, 2, 5])])
      expect(names([...parsePaxlstSync(chunks)])).toEqual(['ÇELİK, AYŞE', 'MÜLLER, JÜRGEN']);
  });

  it('names the character set of each syntax identifier', () => {
    expect(
      ['UNOA', 'UNOB', 'UNOC', 'UNOD', 'UNOE', 'UNOF', 'UNOK', 'UNOL', 'UNOW', 'UNOX', 'UNOY'].map(
        paxlstCharset,
      ),
    ).toEqual([
      'ascii',
      'ascii',
      'iso-8859-1',
      'iso-8859-2',
      'iso-8859-5',
      'iso-8859-7',
      'iso-8859-9',
      'iso-8859-15',
      'utf-8',
      'iso-8859-1',
      'utf-8',
    ]);
  });
});

/** Encodes text in an ISO 8859 part (TextEncoder knows only UTF-8): the inverse of its decoding table. */
class TextEncoderIso {
  private readonly codes = new Map<string, number>();
  constructor(label: string) {
    const all = new TextDecoder(label).decode(Uint8Array.from({ length: 256 }, (_, i) => i));
    for (let i = 0xff; i >= 0; i--) this.codes.set(all[i]!, i);
  }
  encode(text: string): Uint8Array {
    return Uint8Array.from([...text], (ch) => {
      const code = this.codes.get(ch);
      if (code === undefined) throw new Error(`${ch} is not in the set`);
      return code;
    });
  }
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paxlstSegments, paxlstSegmentsSync, type PaxlstSegment } from './tokenizer.js';

const segs = (text: string | string[], maxSegmentLength?: number) => [
  ...paxlstSegmentsSync(text, maxSegmentLength === undefined ? {} : { maxSegmentLength }),
];
const shape = (s: PaxlstSegment) => ({ tag: s.tag, elements: s.elements, problem: s.problem });

describe('paxlstSegments', () => {
  it('splits segments, elements and components with the default separators', () => {
    const out = segs("UNB+UNOA:4+AIR:ZZ+GOV+250701:0930+1'ATT+2++M'DTM+36:'");
    expect(out.map(shape)).toEqual([
      {
        tag: 'UNB',
        elements: [['UNOA', '4'], ['AIR', 'ZZ'], ['GOV'], ['250701', '0930'], ['1']],
        problem: null,
      },
      { tag: 'ATT', elements: [['2'], [''], ['M']], problem: null },
      { tag: 'DTM', elements: [['36', '']], problem: null },
    ]);
    expect(out[1]!.value(2)).toBe('M');
    expect(out[1]!.value(9, 9)).toBe('');
    expect(out[0]!.components(3)).toEqual(['250701', '0930']);
  });

  it('reads a UNA with custom separators, and the release character escapes each of them and itself', () => {
    const out = segs("UNA*|,! ~UNB|UNOA*4|A|B|250701*0930|1~NAD|FL|||O'NEIL!|SONS*ANN!*MARIE!!*!~X~");
    expect(out[0]).toMatchObject({ tag: 'UNA', elements: [['*', '|', ',', '!', ' ', '~']], problem: null });
    expect(out[0]!.position.segment).toBe(0);
    expect(out[1]!.elements[0]).toEqual(['UNOA', '4']);
    expect(out[2]!.elements[3]).toEqual(["O'NEIL|SONS", 'ANN*MARIE!', '~X']);
  });

  it('reads the release character with the default separators', () => {
    const [s] = segs("NAD+FL+++O?'NEIL?+SONS:ANN?:MARIE??'");
    expect(s!.elements[3]).toEqual(["O'NEIL+SONS", 'ANN:MARIE?']);
    expect(s!.raw).toBe("NAD+FL+++O?'NEIL?+SONS:ANN?:MARIE??'");
  });

  it('a UNA with a space as release character has none: ? is data', () => {
    const [, s] = segs("UNA:+.  'FTX+AAI+++WHY?'");
    expect(s!.elements[3]).toEqual(['WHY?']);
  });

  it('gives each segment its number in the interchange, its offset and its line', () => {
    const text =
      "UNA:+.? '\r\nUNB+UNOA:4+A+B+250701:0930+1'\n  UNH+1+PAXLST:D:05B:UN'\nUNZ+1+1'\nUNB+UNOA:4+A+B+250701:0930+2'";
    const out = segs(text);
    expect(out.map((s) => [s.tag, s.position.segment, s.position.line, s.position.offset])).toEqual([
      ['UNA', 0, 1, 0],
      ['UNB', 1, 2, 11],
      ['UNH', 2, 3, text.indexOf('UNH')],
      ['UNZ', 3, 4, text.indexOf('UNZ')],
      ['UNB', 1, 5, text.lastIndexOf('UNB')],
    ]);
    expect(out[2]!.end).toBe(text.indexOf("'\nUNZ") + 1);
  });

  it('a UNA holds for its own interchange only', () => {
    const out = segs("UNA:+.? ~UNB+UNOA:4+A+B+250701:0930+1~UNZ+0+1~UNB+UNOA:4+A+B+250701:0930+2'UNZ+0+2'");
    expect(out.map((s) => [s.tag, s.problem])).toEqual([
      ['UNA', null],
      ['UNB', null],
      ['UNZ', null],
      ['UNB', null],
      ['UNZ', null],
    ]);
  });

  it('refuses a UNA whose service characters clash, are letters or are not printable ASCII', () => {
    expect(segs("UNA::.? 'X'")[0]!.problem).toMatch(/one character for two separators/);
    expect(segs("UNAA+.? 'X'")[0]!.problem).toMatch(/letter, digit or space/);
    expect(segs("UNA:+.?\u00a0'X'")[0]!.problem).toMatch(/printable ASCII/);
    expect(segs('UNA:+.')[0]!.problem).toMatch(/input ends inside the UNA/);
  });

  it('marks line breaks and control characters inside a segment', () => {
    const out = segs("NAD+FL+++DOE\nATT+2++M'DTM+329:\u0001'NAT+2+USA'");
    expect(out[0]!.problem).toBe('line break (U+000A) inside the segment (missing segment terminator?)');
    expect(out[1]!.problem).toBe('control character U+0001 inside the segment');
    expect(out[2]).toMatchObject({ tag: 'NAT', problem: null });
    expect(out[2]!.position.line).toBe(2);
  });

  it('under UNOA/UNOB refuses characters outside printable ASCII; UNOC and UNOW take them', () => {
    const ascii = segs("UNB+UNOA:4+A+B+250701:0930+1'NAD+FL+++MÜLLER'UNZ+0+1'");
    expect(ascii[1]!.problem).toMatch(/"Ü" \(U\+00DC\) is not allowed by syntax identifier UNOA/);
    const latin = segs("UNB+UNOC:4+A+B+250701:0930+1'NAD+FL+++MÜLLER'");
    expect(latin[1]).toMatchObject({ problem: null, elements: [['FL'], [''], [''], ['MÜLLER']] });
    const utf = segs("UNB+UNOW:4+A+B+250701:0930+1'NAD+FL+++李:小龙 🐉'");
    expect(utf[1]).toMatchObject({ problem: null, elements: [['FL'], [''], [''], ['李', '小龙 🐉']] });
    expect(segs("UNB+UNOW:4+A+B+250701:0930+1'NAD+FL+++A\u0085B'")[1]!.problem).toMatch(
      /control character U\+0085/,
    );
  });

  it('reports a final segment without terminator, a bad tag and an empty segment', () => {
    expect(segs("UNZ+1+1'UNZ+1")[1]).toMatchObject({
      tag: 'UNZ',
      problem: `input ends inside a segment (no segment terminator "'")`,
    });
    expect(segs("nad+FL'")[0]!.problem).toBe('"nad" is not a segment tag');
    expect(segs("''")[0]!.problem).toBe('empty segment (no tag)');
  });

  it('cuts an over-long segment and picks up again after the next terminator', () => {
    const out = segs(['FTX+', 'X'.repeat(100), 'Y'.repeat(100), "'NAT+2+USA'"], 50);
    expect(out[0]!.problem).toBe(`no segment terminator "'" within 50 characters`);
    expect(out.at(-1)).toMatchObject({ tag: 'NAT', problem: null });
  });

  it('reads the same segments however the text is cut into chunks', () => {
    const text =
      "UNA:+.? '\nUNB+UNOA:4+A+B+250701:0930+1'\nNAD+FL+++O?'NEIL??:ANN?:MARIE'\nDTM+329:900401'\r\nUNZ+0+1'";
    const whole = segs(text).map((s) => [shape(s), s.position, s.raw]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), text.length];
        const chunks = points.slice(1).map((p, i) => text.slice(points[i], p));
        expect(segs(chunks).map((s) => [shape(s), s.position, s.raw])).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('reads from an async iterable', async () => {
    async function* chunks() {
      yield "UNB+UNOA:4+A+B+250701:0930+1'UN";
      await Promise.resolve();
      yield "Z+0+1'";
    }
    const out: string[] = [];
    for await (const s of paxlstSegments(chunks())) out.push(s.tag);
    expect(out).toEqual(['UNB', 'UNZ']);
  });

  it('never throws and always ends on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (text, size) => {
        const chunks: string[] = [];
        for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
        const out = segs(chunks, 64);
        for (const s of out) {
          expect(typeof s.tag).toBe('string');
          expect(s.position.offset).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

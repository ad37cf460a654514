import { describe, expect, it } from 'vitest';
import { generatePaxlstChunks, generatePaxlstFile } from './generate.js';
import { parsePaxlstText } from './parse-paxlst.js';
import { interchange, onlyManifest, passengerList } from './test-fixtures.js';
import { writePaxlst } from './write-paxlst.js';

const parsed = onlyManifest(
  parsePaxlstText(interchange([passengerList('M1', 'BGM+266+CLOB')], { group: 'G1' })),
);

describe('writePaxlst', () => {
  it('writes a well-formed interchange: envelope, counts and references', () => {
    const text = writePaxlst(parsed, { lineBreaks: true });
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 5)).toEqual([
      "UNB+UNOA:4+XYZAIR:ZZ+USCBP:ZZ+250701:0930+IC0001++APIS'",
      "UNG+PAXLST+XYZAIR+USCBP+250701:0930+G1+UN+D:05B'",
      "UNH+M1+PAXLST:D:05B:UN:IATA'",
      "BGM+266+CLOB'",
      "RFF+TN:XY100TX1'",
    ]);
    expect(lines).toContain("NAD+FL+++O?'NEIL:SEAN'");
    expect(lines).toContain("DTM+189:2507011015:201'");
    expect(lines).toContain("DTM+329:900401'");
    expect(lines.slice(-5)).toEqual(["LOC+91+IRL'", "CNT+42:2'", "UNT+40+M1'", "UNE+1+G1'", "UNZ+1+IC0001'"]);
    expect(onlyManifest(parsePaxlstText(text))).toMatchObject({
      status: 'closeout',
      persons: parsed.persons.map((p) => ({ familyNames: p.familyNames })),
    });
  });

  it('writes a UNA with the separators asked for, and escapes data with the release character', () => {
    const text = writePaxlst(parsed, {
      una: { element: '|', component: '*', release: '!', terminator: '~' },
    });
    expect(text.startsWith('UNA*|.! ~UNB|UNOA*4|')).toBe(true);
    expect(text).toContain("NAD|FL|||O'NEIL*SEAN~");
    const again = onlyManifest(parsePaxlstText(text));
    expect(again.interchange.separators).toEqual({
      component: '*',
      element: '|',
      decimal: '.',
      release: '!',
      reserved: ' ',
      terminator: '~',
    });
    expect(again.persons[1]!.familyNames).toBe("O'NEIL");
    const escaped = writePaxlst(
      { ...parsed, transactionRef: 'A|B*C~D!E' },
      { una: { element: '|', component: '*', release: '!', terminator: '~' } },
    );
    expect(escaped).toContain('RFF|TN*A!|B!*C!~D!!E~');
    expect(onlyManifest(parsePaxlstText(escaped)).transactionRef).toBe('A|B*C~D!E');
  });

  it('writes dates with four-digit years when asked', () => {
    const text = writePaxlst(parsed, { fourDigitYears: true });
    expect(text).toContain("DTM+329:19900401:102'");
    expect(text).toContain("DTM+189:202507011015:203'");
    expect(onlyManifest(parsePaxlstText(text)).persons[0]!.birthDate).toBe('1990-04-01');
  });

  it('refuses what it cannot write', () => {
    expect(() => writePaxlst([])).toThrow(/at least one manifest/);
    expect(() => writePaxlst(parsed, { una: { release: null } })).toThrow(/no release character/);
    expect(() => writePaxlst([parsed, { ...parsed, group: null }])).toThrow(
      /cannot mix grouped and ungrouped/,
    );
  });
});

describe('generatePaxlstFile', () => {
  it('is deterministic, and every message of it parses', () => {
    const a = generatePaxlstFile(1500, 11, { maxPersonsPerMessage: 30 });
    expect(generatePaxlstFile(1500, 11, { maxPersonsPerMessage: 30 })).toBe(a);
    expect(generatePaxlstFile(1500, 12, { maxPersonsPerMessage: 30 })).not.toBe(a);
    const results = parsePaxlstText(a);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const persons = results.reduce((n, r) => n + (r.ok ? r.message.persons.length : 0), 0);
    expect(persons).toBe(1500);
    const kinds = new Set(results.map((r) => (r.ok ? `${r.message.listType}/${r.message.status}` : '')));
    expect(kinds).toEqual(
      new Set(['passenger/booked', 'passenger/closeout', 'crew/booked', 'crew/closeout']),
    );
    expect(a).toContain('UNA:(.! ~');
    expect(a).toContain('UNG+PAXLST');
    expect(a).toMatch(/O\?'NEIL|O'NEIL/);
  });

  it('yields one interchange at a time', () => {
    const chunks = [...generatePaxlstChunks(400, 5)];
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(generatePaxlstFile(400, 5));
    expect(generatePaxlstFile(0, 1)).toBe('');
  });
});

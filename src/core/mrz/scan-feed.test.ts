import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlatRecord } from '../observation/parse-flat-record.js';
import { describeScanFeedErrors, readScanFeed, type ScanFeedLine } from './scan-feed.js';
import { TD1_SPECIMEN, TD3_SPECIMEN, withChar } from './test-fixtures.js';

const docs = readFileSync(new URL('../../../docs/mrz.md', import.meta.url), 'utf8');
const docFeed = /```ndjson scan-feed\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
const docResult = /```text scan-feed-result\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';

/** One summary line per result (errors: one line each), the form docs/mrz.md shows. */
function summary(results: Iterable<ScanFeedLine>): string[] {
  const out: string[] = [];
  for (const r of results) {
    if (!r.ok) out.push(...describeScanFeedErrors(r));
    else if (r.outcome.kind === 'departure')
      out.push(`line ${r.line}: departure ${r.outcome.record.record_id} on ${r.outcome.record.date}`);
    else
      out.push(
        `line ${r.line}: arrival evidence ${r.outcome.evidence.recordId} on ${r.outcome.evidence.date} (no flat record)`,
      );
  }
  return out;
}

const line = (o: object) => JSON.stringify(o);
const exit = {
  mrz: [...TD3_SPECIMEN],
  readAt: '2025-07-01T14:05:09Z',
  location: 'JFK',
  direction: 'exit',
  mode: 'air',
};

describe('readScanFeed', () => {
  it('reads the example feed of docs/mrz.md into the results the page shows', () => {
    expect(docFeed).not.toBe('');
    const results = [...readScanFeed(docFeed.replace(/\n$/, '').split('\n'))];
    expect(summary(results)).toEqual(docResult.trim().split('\n'));
  });

  it('lets good lines through and gives bad lines their line number and fields', () => {
    const results = [
      ...readScanFeed([
        line(exit),
        line({ ...exit, location: '' }),
        '',
        line({ ...exit, mrz: withChar(TD3_SPECIMEN, 1, 27, '8') }),
        line({ ...exit, direction: 'entry' }),
      ]),
    ];
    expect(results.map((r) => [r.line, r.ok])).toEqual([
      [1, true],
      [2, false],
      [4, false],
      [5, true],
    ]);
    expect(results[1]).toEqual({
      ok: false,
      line: 2,
      raw: line({ ...exit, location: '' }),
      errors: [{ field: 'location', reason: 'is required: the port code or checkpoint id' }],
    });
    expect(results[2]?.ok === false && results[2].errors[0]).toEqual({
      field: 'doc_expiry',
      reason: 'check digit 8 does not match 9',
    });
  });

  it('gives exit lines a Departure record parseFlatRecord accepts', () => {
    const [r] = [...readScanFeed([line(exit)])];
    expect(r?.ok && r.outcome.kind === 'departure' && parseFlatRecord(r.outcome.record).ok).toBe(true);
  });

  it('names the misspelt or extra key, the mrz key in the feed', () => {
    const { mrz: _m, ...noMrz } = exit;
    const [a, b] = [...readScanFeed([line({ ...exit, readat: 'x' }), line(noMrz)])];
    expect(a?.ok === false && a.errors).toEqual([
      {
        field: 'readat',
        reason: 'is not a scan record field (mrz, readAt, location, direction, mode, device)',
      },
    ]);
    expect(b?.ok === false && b.errors).toEqual([
      { field: 'mrz', reason: 'is required: the lines of the machine-readable zone' },
    ]);
  });

  it('accepts the zone as one string, CRLF line ends and a BOM; refuses non-objects and huge lines', () => {
    const results = [
      ...readScanFeed([
        `\uFEFF${line({ ...exit, mrz: TD1_SPECIMEN.join('\n') })}\r`,
        '[1,2]',
        'null',
        `{"mrz":"${'A'.repeat(20_000)}"}`,
      ]),
    ];
    expect(results[0]?.ok).toBe(true);
    expect(results[1]?.ok === false && results[1].errors).toEqual([
      { field: '*', reason: 'a scan record must be an object' },
    ]);
    expect(results[2]?.ok).toBe(false);
    expect(results[3]?.ok === false && results[3].errors).toEqual([
      { field: '*', reason: 'line is longer than 16384 characters' },
    ]);
  });

  it('reads lazily from any iterable', () => {
    function* lines() {
      yield line(exit);
      throw new Error('not reached when only the first result is taken');
    }
    const it = readScanFeed(lines());
    expect(it.next().value?.ok).toBe(true);
  });

  it('never throws on random lines', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.json(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
        ),
        (ls) => {
          const results = [...readScanFeed(ls)];
          for (const r of results) if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

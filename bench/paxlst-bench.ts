/**
 * PAXLST parsing speed on one core, on the path an import takes (src/ingest/read-paxlst.ts): a generated
 * file of manifests (about 100 MB) read from disk as bytes in 64 KiB chunks, each interchange decoded in
 * the character set its UNB syntax identifier names (decode-paxlst.ts), then parsed. Each figure is
 * printed beside merely reading the same bytes in the same run. The generated manifests are UNOA
 * (ASCII); the same manifests are also written as UNOC (ISO 8859-1) and UNOY (UTF-8) with accented names,
 * so the Latin-1 and UTF-8 decoders are measured too. Last, the import's whole reader (parse, departures
 * of every message, one record each) on the UNOA file.
 */
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  rmSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePaxlstBytes } from '../src/core/paxlst/decode-paxlst.js';
import { generatePaxlstChunks, generatorPortCountry } from '../src/core/paxlst/generate.js';
import { parsePaxlst } from '../src/core/paxlst/parse-paxlst.js';
import { readPaxlst } from '../src/ingest/read-paxlst.js';

/** Bytes, no encoding: as readPaxlst opens a file. */
const read = (file: string) =>
  createReadStream(file, { highWaterMark: 1 << 16 }) as AsyncIterable<Uint8Array>;

/** Names as carriers write them in each character set (the generator's are ASCII transliterations). */
const LATIN1_NAMES: readonly (readonly [string, string])[] = [
  ['MUELLER', 'MÜLLER'],
  ['GARCIA', 'GARCÍA'],
  ['HERNANDEZ LOPEZ', 'HERNÁNDEZ LÓPEZ'],
  ['JOSE', 'JOSÉ'],
  ['SOFIA', 'SOFÍA'],
];
const UTF8_NAMES: readonly (readonly [string, string])[] = [...LATIN1_NAMES, ['NGUYEN', 'NGUYỄN']];

interface Variant {
  readonly label: string;
  readonly file: string;
  readonly encoding: BufferEncoding;
  readonly rewrite: (interchange: string) => string;
}

const withSyntax = (syntax: string, names: readonly (readonly [string, string])[]) => (text: string) => {
  // Some generated interchanges have a UNA with other separators: UNB(UNOA:4 ...
  let out = text.replace(/UNB(.)UNOA:/g, `UNB$1${syntax}:`);
  for (const [ascii, written] of names) out = out.replaceAll(ascii, written);
  return out;
};

async function write(out: WriteStream, chunk: string, encoding: BufferEncoding): Promise<void> {
  if (!out.write(chunk, encoding)) await once(out, 'drain');
}

/** The fastest of two runs, in seconds. */
async function best(f: () => Promise<void>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    await f();
    fastest = Math.min(fastest, performance.now() - t);
  }
  return fastest / 1000;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export async function paxlstParsingFigure(persons = 500_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'imos-bench-paxlst-'));
  const variants: Variant[] = [
    { label: 'UNOA (ASCII)', file: join(dir, 'unoa.edi'), encoding: 'latin1', rewrite: (x) => x },
    {
      label: 'UNOC (ISO 8859-1)',
      file: join(dir, 'unoc.edi'),
      encoding: 'latin1',
      rewrite: withSyntax('UNOC', LATIN1_NAMES),
    },
    {
      label: 'UNOY (UTF-8)',
      file: join(dir, 'unoy.edi'),
      encoding: 'utf8',
      rewrite: withSyntax('UNOY', UTF8_NAMES),
    },
  ];
  try {
    const outs = variants.map((v) => createWriteStream(v.file));
    for (const chunk of generatePaxlstChunks(persons, 42))
      for (const [i, v] of variants.entries()) await write(outs[i]!, v.rewrite(chunk), v.encoding);
    for (const out of outs) {
      out.end();
      await once(out, 'finish');
    }
    console.log(
      '\nPAXLST from disk as bytes in 64 KiB chunks, decoded by each UNB syntax identifier and parsed (one core):',
    );
    for (const v of variants) {
      const mb = statSync(v.file).size / 1e6;
      let bytes = 0;
      const baseline = await best(async () => {
        bytes = 0;
        for await (const c of read(v.file)) bytes += c.byteLength;
      });
      let chars = 0;
      const decoding = await best(async () => {
        chars = 0;
        for await (const text of decodePaxlstBytes(read(v.file))) chars += text.length;
      });
      let messages = 0;
      let rejected = 0;
      let passengers = 0;
      let accented = 0;
      const ours = await best(async () => {
        messages = rejected = passengers = accented = 0;
        for await (const r of parsePaxlst(read(v.file))) {
          if (!r.ok) {
            rejected++;
            continue;
          }
          messages++;
          passengers += r.message.persons.length;
          for (const p of r.message.persons) if (/[^\x20-\x7e]/.test(p.familyNames ?? '')) accented++;
        }
      });
      console.log(
        `${`parse PAXLST ${v.label}, ${mb.toFixed(0)} MB`.padEnd(44)} ${(mb / ours).toFixed(1).padStart(9)} MB/s  ` +
          `baseline: read the bytes ${(mb / baseline).toFixed(0)} MB/s   ratio ${(ours / baseline).toFixed(1)}x   ` +
          `(decoding alone ${(mb / decoding).toFixed(0)} MB/s; ${fmt(messages)} messages, ${fmt(rejected)} rejected, ` +
          `${fmt(passengers)} persons, ${fmt(accented)} with a non-ASCII family name; ${fmt(bytes)} bytes, ${fmt(chars)} characters)`,
      );
    }

    // The import's reader: the departures of every message as records (what importFeedFiles consumes).
    const unoa = variants[0]!;
    const mb = statSync(unoa.file).size / 1e6;
    let bytes = 0;
    const baseline = await best(async () => {
      bytes = 0;
      for await (const c of read(unoa.file)) bytes += c.byteLength;
    });
    let records = 0;
    let unreadable = 0;
    let notes = 0;
    const reading = {
      country: 'USA',
      portCountry: generatorPortCountry,
      onNote: () => {
        notes++;
      },
    };
    const ours = await best(async () => {
      records = unreadable = notes = 0;
      for await (const record of readPaxlst(unoa.file, reading))
        if (record.readError === undefined) records++;
        else unreadable++;
    });
    console.log(
      `${`read PAXLST records (+departures) UNOA, ${mb.toFixed(0)} MB`.padEnd(44)} ${(mb / ours).toFixed(1).padStart(9)} MB/s  ` +
        `baseline: read the bytes ${(mb / baseline).toFixed(0)} MB/s   ratio ${(ours / baseline).toFixed(1)}x   ` +
        `(${fmt(records)} departure records, ${fmt(unreadable)} unreadable, ${fmt(notes)} lists not evidence; ${fmt(bytes)} bytes)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

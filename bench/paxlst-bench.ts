/**
 * PAXLST parsing speed on one core: a generated file of manifests (about 100 MB) parsed from disk in
 * 64 KiB chunks, beside merely reading the same bytes in the same run.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePaxlstChunks } from '../src/core/paxlst/generate.js';
import { parsePaxlst } from '../src/core/paxlst/parse-paxlst.js';

const read = (file: string) => createReadStream(file, { encoding: 'latin1', highWaterMark: 1 << 16 });

export async function paxlstParsingFigure(persons = 500_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'imos-bench-paxlst-'));
  const file = join(dir, 'manifests.edi');
  try {
    const out = createWriteStream(file, { encoding: 'latin1' });
    for (const chunk of generatePaxlstChunks(persons, 42)) if (!out.write(chunk)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const mb = statSync(file).size / 1e6;
    const best = async (f: () => Promise<void>) => {
      let fastest = Infinity;
      for (let i = 0; i < 2; i++) {
        const t = performance.now();
        await f();
        fastest = Math.min(fastest, performance.now() - t);
      }
      return fastest / 1000;
    };
    let chars = 0;
    const baseline = await best(async () => {
      chars = 0;
      for await (const c of read(file)) chars += (c as string).length;
    });
    let messages = 0;
    let passengers = 0;
    const ours = await best(async () => {
      messages = 0;
      passengers = 0;
      for await (const r of parsePaxlst(read(file) as AsyncIterable<string>))
        if (r.ok) {
          messages++;
          passengers += r.message.persons.length;
        }
    });
    console.log(
      `${`parse PAXLST, ${mb.toFixed(0)} MB (${passengers.toLocaleString('en-US')} persons)`.padEnd(44)} ${(mb / ours).toFixed(1).padStart(9)} MB/s  ` +
        `baseline: read the bytes ${(mb / baseline).toFixed(0)} MB/s   ratio ${(ours / baseline).toFixed(1)}x   (${messages.toLocaleString('en-US')} messages, ${chars.toLocaleString('en-US')} characters)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

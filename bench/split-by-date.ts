import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { parse } from 'csv-parse';

/**
 * Splits a feed into the records dated before a day and the rest, keeping each raw line: the second
 * part then holds departures and status changes of persons the first part already stored (the daily case).
 */
export async function splitByDate(
  file: string,
  before: string,
  outA: string,
  outB: string,
): Promise<[number, number]> {
  const a = createWriteStream(outA);
  const b = createWriteStream(outB);
  const write = async (w: WriteStream, s: string) => {
    if (!w.write(s)) await once(w, 'drain');
  };
  let dateIndex = -1;
  const counts: [number, number] = [0, 0];
  const parser = createReadStream(file).pipe(parse({ raw: true }));
  for await (const rec of parser as AsyncIterable<{ record: string[]; raw: string }>) {
    const line = rec.raw.endsWith('\n') ? rec.raw : rec.raw + '\n';
    if (dateIndex < 0) {
      dateIndex = rec.record.indexOf('date');
      await write(a, line);
      await write(b, line);
      continue;
    }
    const first = (rec.record[dateIndex] ?? '') < before;
    counts[first ? 0 : 1]++;
    await write(first ? a : b, line);
  }
  a.end();
  b.end();
  await Promise.all([once(a, 'finish'), once(b, 'finish')]);
  return counts;
}

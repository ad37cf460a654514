/**
 * `npm run bench`: the spine's figures on real PostgreSQL (production schema and indexes, synchronous
 * commit), each beside a baseline measured in the same run, then the linkage engine on generated person
 * records and new records streamed against a million stored persons. Nothing here is asserted: timings
 * never go in tests. Settings: BENCH_OBSERVATIONS (default 2,000,000 in two halves), BENCH_LINK_RECORDS
 * (default 1,000,000), BENCH_STREAM_PERSONS (default 1,000,000), BENCH_PIPELINE_SECONDS (default 60:
 * manifest passengers at 2,000/s through NATS_URL), BENCH_DATABASE_URL. Then PAXLST parsing speed.
 * BENCH_SECTIONS runs some of them only: a comma-separated list of spine, linkage, stream, pipeline, paxlst.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AppContext } from '../src/app/app-context.js';
import { importFeedFiles } from '../src/app/import-feed.js';
import { FLAT_COLUMNS } from '../src/core/observation/flat-columns.js';
import { writeFeeds } from '../src/generate/write-feeds.js';
import { linkageResolver } from '../src/identity/linkage-resolver.js';
import { loadRulePack } from '../src/stays/load-rule-pack.js';
import { recomputeAllStays } from '../src/stays/recompute-all-stays.js';
import { createScratchDatabase } from '../test/integration/scratch-database.js';
import { auditCostOfPersonRead, auditVerifyFigure } from './audit-bench.js';
import { linkageFigures } from './linkage-bench.js';
import { streamingLinkageFigure } from './linkage-store-bench.js';
import { paxlstParsingFigure } from './paxlst-bench.js';
import { streamingPipelineFigure } from './stream-bench.js';
import { splitByDate } from './split-by-date.js';

const ADMIN_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET = Number(process.env['BENCH_OBSERVATIONS'] ?? 2_000_000);
const LINK_RECORDS = Number(process.env['BENCH_LINK_RECORDS'] ?? 1_000_000);
const STREAM_PERSONS = Number(process.env['BENCH_STREAM_PERSONS'] ?? 1_000_000);
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const PIPELINE_SECONDS = Number(process.env['BENCH_PIPELINE_SECONDS'] ?? 60);
const FEEDS = ['admissions.csv', 'departures.csv', 'status-changes.csv'];
const SECTIONS = ['spine', 'linkage', 'stream', 'pipeline', 'paxlst'] as const;
const chosen = (process.env['BENCH_SECTIONS'] ?? SECTIONS.join(',')).split(',').map((x) => x.trim());
for (const c of chosen)
  if (!(SECTIONS as readonly string[]).includes(c))
    throw new Error(`BENCH_SECTIONS: unknown section "${c}"; choose from ${SECTIONS.join(', ')}`);
const runs = (section: (typeof SECTIONS)[number]) => chosen.includes(section);

const fmt = (n: number) => n.toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

/** The baseline: a bare COPY of the same CSV bytes into an unindexed all-text table. */
async function bareCopy(url: string, files: string[]): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `drop table if exists bare_copy; create unlogged table bare_copy (${FLAT_COLUMNS.map((col) => `${col} text`).join(', ')})`,
    );
    await c.query('alter table bare_copy set logged');
    const [, ms] = await time(async () => {
      for (const f of files) {
        const header = (await firstLine(f)).trim();
        await pipeline(
          createReadStream(f),
          c.query(copyFrom(`copy bare_copy (${header}) from stdin with (format csv, header true)`)),
        );
      }
    });
    await c.query('drop table bare_copy');
    return ms;
  } finally {
    await c.end();
  }
}

async function firstLine(file: string): Promise<string> {
  for await (const chunk of createReadStream(file, { end: 4096, encoding: 'utf8' }))
    return (chunk as string).split('\n')[0]!;
  return '';
}

function row(label: string, ours: number, rows: number, baseline: number) {
  console.log(
    `${label.padEnd(44)} ${secs(ours).padStart(9)}  ${fmt(Math.round(rows / (ours / 1000))).padStart(10)} rows/s   ` +
      `bare COPY ${secs(baseline).padStart(8)}   ratio ${(ours / baseline).toFixed(1)}x`,
  );
}

/** CPU time of the machine's cores so far (Linux /proc/stat): busy and all, in clock ticks; null elsewhere. */
function machineCpu(): { busy: number; all: number } | null {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const t = ticks.map(Number);
    const all = t.reduce((a, b) => a + b, 0);
    return { busy: all - t[3]! - t[4]!, all }; // idle and iowait are not busy
  } catch {
    return null;
  }
}

/**
 * Runs fn and says where the CPU went meanwhile: this process's CPU time (all its threads) and how busy
 * the machine's cores were (PostgreSQL's backends are the rest). A run near 100 % busy gains nothing from
 * overlapping its steps; only less work makes it faster.
 */
async function withCpu<T>(fn: () => Promise<T>): Promise<[T, number, string]> {
  const node = process.cpuUsage();
  const machine = machineCpu();
  const [r, ms] = await time(fn);
  const used = process.cpuUsage(node);
  const after = machineCpu();
  const busy =
    machine && after
      ? `, cores ${((100 * (after.busy - machine.busy)) / (after.all - machine.all)).toFixed(0)} % busy`
      : '';
  return [r, ms, `Node.js CPU ${secs((used.user + used.system) / 1000)}${busy}`];
}

async function startupTime(): Promise<[number, number]> {
  const dir = mkdtempSync(join(tmpdir(), 'imos-bench-start-'));
  const port = 30000 + Math.floor(Math.random() * 20000);
  const [, nodeMs] = await time(
    () => new Promise<void>((resolve) => spawn(process.execPath, ['-e', '0']).on('exit', () => resolve())),
  );
  const t = performance.now();
  const child = spawn(process.execPath, ['bin/start.js', '--port', String(port)], {
    env: { ...process.env, IMOS_DATA_DIR: dir, IMOS_DEMO_PASSWORD: 'bench-password-1', DATABASE_URL: '' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      try {
        const page = await fetch(`http://127.0.0.1:${port}/`);
        const ready = await fetch(`http://127.0.0.1:${port}/ready`);
        if (page.ok && ready.ok && (await page.text()).includes('<div id="root">')) break;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return [performance.now() - t, nodeMs];
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`ImmigrationOS bench — PostgreSQL ${ADMIN_URL}, Node ${process.version}`);
  try {
    if (runs('spine')) await spineFigures();
    if (runs('linkage')) {
      console.log('');
      await linkageFigures(LINK_RECORDS);
    }
    if (runs('stream')) {
      const streamScratch = createScratchDatabase('imos_bench_stream', ADMIN_URL);
      const streamDb = await streamScratch.open();
      try {
        await streamingLinkageFigure(streamDb, STREAM_PERSONS);
      } finally {
        await streamDb.close();
        await streamScratch.drop();
      }
    }
    if (runs('pipeline')) {
      console.log('');
      const pipelineScratch = createScratchDatabase('imos_bench_pipeline', ADMIN_URL);
      const pipelineDb = await pipelineScratch.open();
      try {
        await streamingPipelineFigure(pipelineDb, NATS_URL, PIPELINE_SECONDS, 2_000);
      } finally {
        await pipelineDb.close();
        await pipelineScratch.drop();
      }
    }
    if (runs('paxlst')) await paxlstParsingFigure();
  } finally {
    clearInterval(sampler);
  }
}

/** The spine: two imports, the recompute, memory, the audit's cost, and `npm start`. */
async function spineFigures() {
  const work = mkdtempSync(join(tmpdir(), 'imos-bench-'));
  const scratch = createScratchDatabase('imos_bench', ADMIN_URL);
  try {
    // About 2.7 observations per person; generate, then split at the median day.
    const people = Math.round(TARGET / 2.7);
    const [summary, genMs] = await time(() => writeFeeds(work, { people, seed: 42, noise: 1 }));
    const files = FEEDS.map((f) => join(work, f));
    const total = summary.observations;
    console.log(
      `generated ${fmt(total)} observations for ${fmt(people)} synthetic persons in ${secs(genMs)}`,
    );
    const split = { a: [] as string[], b: [] as string[], rows: [0, 0] };
    for (const f of files) {
      const a = f.replace('.csv', '.part1.csv');
      const b = f.replace('.csv', '.part2.csv');
      const [na, nb] = await splitByDate(f, '2025-03-15', a, b);
      split.a.push(a);
      split.b.push(b);
      split.rows = [split.rows[0]! + na, split.rows[1]! + nb];
    }
    console.log(
      `split by date: first import ${fmt(split.rows[0]!)} rows (${mib(split.a.reduce((n, f) => n + statSync(f).size, 0))}), second ${fmt(split.rows[1]!)} rows`,
    );

    const db = await scratch.open();
    const url = scratch.url;
    const ctx: AppContext = {
      db,
      resolver: linkageResolver(),
      pack: loadRulePack('us'),
      asOf: () => '2026-11-01',
    };
    try {
      console.log('');
      const base1 = await bareCopy(url, split.a);
      peakRss = process.memoryUsage().rss;
      const [, first, cpu1] = await withCpu(() => importFeedFiles(ctx, split.a, 'bench'));
      const peak1 = peakRss;
      row('first import, end to end (empty store)', first, split.rows[0]!, base1);
      console.log(`${''.padEnd(44)} ${cpu1}`);

      const base2 = await bareCopy(url, split.b);
      peakRss = process.memoryUsage().rss;
      const [, second, cpu2] = await withCpu(() => importFeedFiles(ctx, split.b, 'bench'));
      const peak2 = peakRss;
      row('second import, on top (resolve vs stored)', second, split.rows[1]!, base2);
      console.log(`${''.padEnd(44)} ${cpu2}`);

      const [all, recompute, cpu3] = await withCpu(() =>
        recomputeAllStays(db, { pack: ctx.pack, asOf: '2026-11-01' }),
      );
      console.log(
        `${'recompute all stays'.padEnd(44)} ${secs(recompute).padStart(9)}  ${fmt(Math.round(all.persons / (recompute / 1000))).padStart(10)} persons/s  ` +
          `(${fmt(all.persons)} persons, ${fmt(all.stays)} stays; 1,000,000 persons at this rate: ${secs((1_000_000 / all.persons) * recompute)})`,
      );
      console.log(`${''.padEnd(44)} ${cpu3}`);
      console.log(
        `peak memory (RSS): first import ${mib(peak1)}, second import ${mib(peak2)}, max ${mib(process.resourceUsage().maxRSS * 1024)}`,
      );
      console.log('');
      await auditCostOfPersonRead(ctx);
      await auditVerifyFigure(db, 1_000_000);
      const [timing, nodeStart] = await startupTime();
      console.log(
        `${'npm start to a usable page (fresh data folder)'.padEnd(44)} ${secs(timing).padStart(9)}  baseline: bare node process start ${secs(nodeStart)}`,
      );
    } finally {
      await db.close();
      await scratch.drop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

/**
 * The spine bench's steps one at a time, on kept database snapshots, for working on one of them: an
 * import takes minutes, and `npm run bench` repeats them all. Each step prints its wall time, this
 * process's CPU time (all threads) and its peak memory. Timings vary by ±10 % from run to run on a
 * shared machine; compare CPU times, and run each side more than once.
 *
 *   npm run bench:phase -- STEP
 *
 * STEP: generate (the bench's observations, BENCH_OBSERVATIONS or 2 M, split by date, into BENCH_PHASE_DIR, default
 * /tmp/imos-spine-phases); first (import the first half into a new store, keep it as imos_phase_1);
 * second (import the second half on a copy of imos_phase_1, keep it as imos_phase_2); recompute (all
 * stays of a copy of imos_phase_2); clean (drop the databases and the files).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { importFeedFiles } from '../src/app/import-feed.js';
import { writeFeeds } from '../src/generate/write-feeds.js';
import { linkageResolver } from '../src/identity/linkage-resolver.js';
import { loadRulePack } from '../src/stays/load-rule-pack.js';
import { recomputeAllStays } from '../src/stays/recompute-all-stays.js';
import type { AppContext } from '../src/app/app-context.js';
import { openDatabase } from '../src/store/open-database.js';
import { splitByDate } from './split-by-date.js';

const ADMIN_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET = Number(process.env['BENCH_OBSERVATIONS'] ?? 2_000_000);
const DIR = process.env['BENCH_PHASE_DIR'] ?? '/tmp/imos-spine-phases';
const FEEDS = ['admissions', 'departures', 'status-changes'];
const STEPS = ['generate', 'first', 'second', 'recompute', 'clean'];
const step = process.argv[2] ?? '';
if (!STEPS.includes(step)) {
  console.error(`usage: bench/spine-phases.ts ${STEPS.join('|')}`);
  process.exit(2);
}

const urlOf = (name: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
async function admin(...statements: string[]) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    for (const sql of statements) await c.query(sql);
  } finally {
    await c.end();
  }
}
/** A new database `work`, empty or a copy of `from`. */
const fresh = (work: string, from?: string) =>
  admin(
    `drop database if exists ${work} with (force)`,
    `create database ${work}${from ? ` template ${from}` : ''}`,
  );
const half = (n: 1 | 2) => FEEDS.map((f) => join(DIR, `${f}.part${n}.csv`));

let peak = 0;
setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100).unref();

async function measured(database: string, work: (ctx: AppContext) => Promise<unknown>) {
  const db = await openDatabase({ databaseUrl: urlOf(database) });
  const ctx: AppContext = {
    db,
    resolver: linkageResolver(),
    pack: loadRulePack('us'),
    asOf: () => '2026-11-01',
  };
  const cpu = process.cpuUsage();
  const t = performance.now();
  try {
    await work(ctx);
  } finally {
    await db.close();
  }
  const used = process.cpuUsage(cpu);
  console.log(
    `${step}: ${((performance.now() - t) / 1000).toFixed(1)} s, Node.js CPU ${((used.user + used.system) / 1e6).toFixed(1)} s, peak ${(peak / 2 ** 20).toFixed(0)} MiB`,
  );
}

switch (step) {
  case 'generate': {
    mkdirSync(DIR, { recursive: true });
    const { observations } = await writeFeeds(DIR, {
      people: Math.round(TARGET / 2.7),
      seed: 42,
      noise: 1,
    });
    for (const f of FEEDS)
      await splitByDate(
        join(DIR, `${f}.csv`),
        '2025-03-15',
        join(DIR, `${f}.part1.csv`),
        join(DIR, `${f}.part2.csv`),
      );
    console.log(`${observations} observations in ${DIR}`);
    break;
  }
  case 'first':
    await fresh('imos_phase_work');
    await measured('imos_phase_work', (ctx) => importFeedFiles(ctx, half(1), 'bench'));
    await fresh('imos_phase_1', 'imos_phase_work');
    break;
  case 'second':
    await fresh('imos_phase_work', 'imos_phase_1');
    await measured('imos_phase_work', (ctx) => importFeedFiles(ctx, half(2), 'bench'));
    await fresh('imos_phase_2', 'imos_phase_work');
    break;
  case 'recompute':
    await fresh('imos_phase_work', 'imos_phase_2');
    await measured('imos_phase_work', (ctx) =>
      recomputeAllStays(ctx.db, { pack: ctx.pack, asOf: '2026-11-01' }),
    );
    break;
  case 'clean':
    for (const name of ['imos_phase_work', 'imos_phase_1', 'imos_phase_2'])
      await admin(`drop database if exists ${name} with (force)`);
    rmSync(DIR, { recursive: true, force: true });
    break;
}

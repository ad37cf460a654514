import { Command, Option } from 'commander';
import { createUser } from '../access/accounts.js';
import { isRole, ROLES } from '../access/roles.js';
import { readConfig, type Config } from '../app/config.js';
import { IMPORT_FORMATS, importFeedFiles, type ImportFormat } from '../app/import-feed.js';
import { openContext, type OpenedContext } from '../app/open-context.js';
import { drillDown, runOverstayReport } from '../app/overstay-report-query.js';
import {
  discardQuarantined,
  getQuarantineEntry,
  listQuarantine,
  resubmitQuarantined,
} from '../app/quarantine-service.js';
import { reportToCsv } from '../app/report-csv.js';
import { reportWindow } from '../api/routes/report-routes.js';
import {
  REPORT_CELLS,
  REPORT_GROUPINGS,
  type ReportCell,
  type ReportGrouping,
} from '../core/reports/overstay-report.js';
import type { FlatRecord } from '../core/observation/flat-columns.js';
import { FEED_FILES, writeFeeds } from '../generate/write-feeds.js';
import { serve } from '../server/serve.js';
import { recomputeAllStays } from '../stays/recompute-all-stays.js';
import { auditCommands } from './audit-commands.js';
import { departureEvidence, departureReport } from '../app/departure-stats.js';
import { linkageCommands } from './linkage-commands.js';
import { streamCommands } from './stream-commands.js';
import { linkCommands } from './link-commands.js';
import { retentionCommands } from './retention-commands.js';
import { fileProgress, stepProgress } from './progress.js';
import { printTable } from './print-table.js';

const FEED_FILE_NAMES = Object.values(FEED_FILES);

interface GlobalOptions {
  databaseUrl?: string;
  data?: string;
  ephemeral?: boolean;
  asOf?: string;
}

const program = new Command();
program
  .name('imos')
  .description(
    'ImmigrationOS: stays, departures and overstays with provenance.\nStore: embedded PGlite in ./data unless DATABASE_URL (or --database-url) names a PostgreSQL server.',
  )
  .option('--database-url <url>', 'PostgreSQL server (default: $DATABASE_URL, else embedded PGlite)')
  .option('--data <dir>', 'PGlite data folder (default: $IMOS_DATA_DIR or ./data)')
  .option('--ephemeral', 'PGlite in memory: nothing is kept after the command')
  .option('--as-of <date>', 'judge stay outcomes as of this day (default: $IMOS_AS_OF or today)')
  .showHelpAfterError();

function config(): Config {
  const g = program.opts<GlobalOptions>();
  const env = { ...process.env };
  if (g.databaseUrl) env['DATABASE_URL'] = g.databaseUrl;
  if (g.data) env['IMOS_DATA_DIR'] = g.data;
  if (g.asOf) env['IMOS_AS_OF'] = g.asOf;
  return readConfig(env, { ephemeral: g.ephemeral ?? false });
}

async function withContext<T>(fn: (ctx: OpenedContext) => Promise<T>): Promise<T> {
  const ctx = await openContext(config(), 'cli');
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

program
  .command('serve')
  .description('run the API and web app (npm start does this)')
  .option('-p, --port <port>', 'port (default: $PORT or 3000)')
  .option('--host <host>', 'interface to listen on (default: $HOST or 127.0.0.1)')
  .option('--demo-people <n>', 'synthetic persons loaded into an empty store (default 10000; 0 for none)')
  .action(async (o: { port?: string; host?: string; demoPeople?: string }) => {
    const c = config();
    const server = await serve({
      ...c,
      ...(o.port ? { port: Number(o.port) } : {}),
      ...(o.host ? { host: o.host } : {}),
      ...(o.demoPeople ? { demoPeople: Number(o.demoPeople) } : {}),
    });
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('import')
  .description(
    "import feed files (canonical CSV or NDJSON: see docs/formats.md; PAXLST; a partner country's entry records; document scans); idempotent; bad rows quarantined",
  )
  .argument('<files...>', 'files to import; several files share one stay recompute')
  .requiredOption('-s, --source <name>', 'the feed these records come from, e.g. i94, apis, partner-can')
  .addOption(
    new Option(
      '-f, --format <format>',
      'how the files are read (default: PAXLST by .edi/.paxlst/.edifact, else canonical); partner-entries: docs/departures.md, mrz-scans: docs/mrz.md',
    ).choices(IMPORT_FORMATS),
  )
  .option('--json', 'print the summary as JSON')
  .action(async (files: string[], o: { source: string; format?: ImportFormat; json?: boolean }) => {
    await withContext(async (ctx) => {
      const progress = fileProgress(files);
      const stays = stepProgress('stays of the persons imported');
      const started = Date.now();
      const results = await importFeedFiles(
        ctx,
        files,
        o.source,
        (p) => progress.update(p.file, p.rows, p.bytesRead),
        (done, total) => {
          progress.stop(); // the files are read: the stays bar takes its line
          stays.update(done, total);
        },
        o.format ? { format: o.format } : {},
      );
      progress.stop();
      stays.stop();
      const seconds = (Date.now() - started) / 1000;
      if (o.json) return console.log(JSON.stringify(results, null, 2));
      for (const r of results) {
        const nothing = r.rowsNew === 0 && r.rowsSuperseded === 0 && r.rowsQuarantined === 0;
        console.log(
          `${r.file}: ${r.rowsRead} rows read, ${r.rowsNew} new, ${r.rowsSuperseded} superseded, ${r.rowsUnchanged} already imported, ${r.rowsQuarantined} quarantined` +
            (nothing ? ' — nothing changed (already imported)' : ''),
        );
        for (const note of r.notes) console.log(`    ${note}`);
      }
      const rows = results.reduce((n, r) => n + r.rowsRead, 0);
      const quarantined = results.reduce((n, r) => n + r.rowsQuarantined, 0);
      console.log(
        `${results.reduce((n, r) => n + r.staysRecomputed, 0)} stays recomputed; ${rows} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s)`,
      );
      if (quarantined > 0)
        console.log(`${quarantined} rows quarantined: see them with \`imos quarantine list\``);
    });
  });

program
  .command('generate')
  .description(
    'write a deterministic synthetic population (feeds + ground truth); every name and number is fake',
  )
  .requiredOption('--people <n>', 'number of persons')
  .option('--seed <s>', 'random seed', '1')
  .option('--noise <level>', 'noise level: 0 none, 1 the documented default rates, 2 double', '1')
  .requiredOption('-o, --out <dir>', 'folder to write into')
  .action(async (o: { people: string; seed: string; noise: string; out: string }) => {
    const people = Number(o.people);
    const seed = Number(o.seed);
    const noise = Number(o.noise);
    if (!Number.isInteger(people) || people < 1)
      throw new Error(`--people "${o.people}" must be a positive whole number`);
    if (!Number.isInteger(seed)) throw new Error(`--seed "${o.seed}" must be a whole number`);
    if (!(noise >= 0 && noise <= 5)) throw new Error(`--noise "${o.noise}" must be between 0 and 5`);
    const progress = stepProgress('generate');
    const summary = await writeFeeds(o.out, { people, seed, noise }, (n) => progress.update(n, people));
    progress.stop();
    console.log(
      `${summary.observations} observations for ${summary.counts.people} synthetic persons written to ${o.out}`,
    );
    console.log(
      `feeds: ${FEED_FILE_NAMES.join(', ')}; ground truth: truth-records.csv, truth-stays.csv; noise log: noise.csv; manifest.json`,
    );
  });

const report = program.command('report').description('reports');
report
  .command('departures')
  .description('self-departures (no removals) that ended a stay in a period, by channel and citizenship')
  .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
  .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
  .option('--channel <channel>', 'list the stays (and their evidence) of this channel instead')
  .option('--nationality <code>', 'with --channel: only this country of citizenship')
  .addOption(new Option('--format <format>', 'output').choices(['table', 'json']).default('table'))
  .action(async (o: { from: string; to: string; channel?: string; nationality?: string; format: string }) => {
    for (const d of [o.from, o.to])
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`"${d}" is not a day (YYYY-MM-DD)`);
    await withContext(async (ctx) => {
      if (o.channel) {
        const stays = await departureEvidence(ctx.db, {
          from: o.from,
          to: o.to,
          channel: o.channel,
          ...(o.nationality ? { nationality: o.nationality } : {}),
          limit: 10_000,
        });
        if (o.format === 'json') return console.log(JSON.stringify(stays, null, 2));
        return printTable(stays.map((s) => ({ ...s, evidence: s.evidence.join(' ') })));
      }
      const r = await departureReport(ctx.db, { from: o.from, to: o.to });
      if (o.format === 'json') return console.log(JSON.stringify(r, null, 2));
      printTable(r.rows.map((row) => ({ ...row })));
      console.log(`${r.total} self-departures from ${o.from} to ${o.to}`);
    });
  });
report
  .command('overstay')
  .description(
    'the Entry/Exit overstay report: expected departures, out-of-country and suspected in-country overstays',
  )
  .option(
    '--from <date>',
    'first day of the period whose authorized stays ended (default: start of the last full fiscal year)',
  )
  .option('--to <date>', 'last day of the period (default: end of the last full fiscal year)')
  .addOption(new Option('--by <grouping>', 'rows by').choices(REPORT_GROUPINGS).default('nationality'))
  .addOption(new Option('--format <format>', 'output').choices(['table', 'csv', 'json']).default('table'))
  .option('--drill <cell>', `list the stays behind a figure: one of ${REPORT_CELLS.join(', ')}`)
  .option('--group <group>', 'with --drill: only this row (a country code or class)')
  .action(
    async (o: {
      from?: string;
      to?: string;
      by: ReportGrouping;
      format: string;
      drill?: string;
      group?: string;
    }) => {
      await withContext(async (ctx) => {
        const window = reportWindow(
          { ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}), by: o.by },
          ctx.asOf(),
        );
        if (o.drill) {
          if (!(REPORT_CELLS as readonly string[]).includes(o.drill))
            throw new Error(`--drill must be one of ${REPORT_CELLS.join(', ')}`);
          const d = await drillDown(ctx.db, {
            ...window,
            cell: o.drill as ReportCell,
            group: o.group,
            limit: 10_000,
          });
          if (o.format === 'json') return console.log(JSON.stringify(d, null, 2));
          printTable(
            d.stays.map((s) => ({
              person: s.personId,
              group: s.group,
              class: s.classOfAdmission,
              until: s.authorizedUntil,
              departed: s.departedOn,
              days: s.daysOverstay,
              rule: s.rule,
            })),
          );
          return console.log(`${d.total} stays`);
        }
        const r = await runOverstayReport(ctx.db, window);
        if (o.format === 'json') return console.log(JSON.stringify(r, null, 2));
        if (o.format === 'csv') return process.stdout.write(reportToCsv(r));
        console.log(
          `Overstay report: authorized stays ending ${window.from} to ${window.to}, as of ${window.asOf}, by ${window.by}`,
        );
        printTable(
          [...r.rows, r.total].map((x) => ({
            [window.by]: x.group,
            'expected departures': x.expectedDepartures,
            'out-of-country overstays': x.outOfCountryOverstays,
            'suspected in-country overstays': x.suspectedInCountryOverstays,
            'total overstays': x.totalOverstays,
            'total overstay rate %': x.totalOverstayRate.toFixed(2),
            'in-country rate %': x.suspectedInCountryOverstayRate.toFixed(2),
            unresolved: x.unresolved,
          })),
        );
        console.log(r.coverageNote);
      });
    },
  );

const quarantine = program
  .command('quarantine')
  .description('records that failed validation: list, show, fix and resubmit, discard');
quarantine
  .command('list')
  .option('--status <status>', 'open, resubmitted or discarded', 'open')
  .option('--limit <n>', 'how many', '50')
  .action(async (o: { status: string; limit: string }) => {
    await withContext(async (ctx) => {
      const { total, entries } = await listQuarantine(ctx, o.status, Number(o.limit));
      for (const e of entries) {
        console.log(
          `#${e.id} ${e.source} ${e.file ?? '(api)'}:${e.line ?? '-'} record ${e.sourceRecordId ?? '-'}`,
        );
        for (const err of e.errors) console.log(`    ${err.field}: ${err.reason}`);
      }
      console.log(`${total} ${o.status} entries`);
    });
  });
quarantine
  .command('show')
  .argument('<id>')
  .action(async (id: string) => {
    await withContext(async (ctx) => {
      const e = await getQuarantineEntry(ctx, id);
      if (!e) throw new Error(`no quarantine entry ${id}`);
      console.log(JSON.stringify(e, null, 2));
    });
  });
quarantine
  .command('resubmit')
  .description('fix fields of a quarantined record and resubmit it, e.g. --set birth_date=1990-04-01')
  .argument('<id>')
  .option('--set <field=value...>', 'fields to change')
  .requiredOption('--by <name>', 'who made the fix (recorded)')
  .action(async (id: string, o: { set?: string[]; by: string }) => {
    await withContext(async (ctx) => {
      const e = await getQuarantineEntry(ctx, id);
      if (!e) throw new Error(`no quarantine entry ${id}`);
      const fields: FlatRecord = { ...e.fields };
      for (const kv of o.set ?? []) {
        const eq = kv.indexOf('=');
        if (eq < 1) throw new Error(`--set "${kv}" must look like field=value`);
        (fields as Record<string, string>)[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      const r = await resubmitQuarantined(ctx, id, fields, o.by);
      if (r.ok) return console.log(`#${id} resubmitted: now raw record ${r.rawRecordId}`);
      if (r.code === 'STILL_INVALID') {
        console.error(`#${id} is still invalid:`);
        for (const err of r.errors ?? []) console.error(`    ${err.field}: ${err.reason}`);
      } else console.error(`#${id}: ${r.code}`);
      process.exitCode = 1;
    });
  });
quarantine
  .command('discard')
  .argument('<id>')
  .requiredOption('--reason <text>', 'why (recorded)')
  .requiredOption('--by <name>', 'who (recorded)')
  .action(async (id: string, o: { reason: string; by: string }) => {
    await withContext(async (ctx) => {
      if (!(await discardQuarantined(ctx, id, o.reason, o.by)))
        throw new Error(`quarantine entry ${id} is not open`);
      console.log(`#${id} discarded`);
    });
  });

program
  .command('recompute')
  .description(
    'recompute every stay from the stored facts (after a rule-pack change); run it while no import runs',
  )
  .action(async () => {
    await withContext(async (ctx) => {
      const started = Date.now();
      const progress = stepProgress('recompute stays');
      const r = await recomputeAllStays(ctx.db, {
        pack: ctx.pack,
        asOf: ctx.asOf(),
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.stop();
      console.log(
        `${r.stays} stays of ${r.persons} persons recomputed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    });
  });

program
  .command('users-add')
  .description('create an account; the password is read from $IMOS_NEW_PASSWORD')
  .argument('<username>')
  .addOption(new Option('--role <role>', 'role').choices(ROLES).makeOptionMandatory())
  .action(async (username: string, o: { role: string }) => {
    const password = process.env['IMOS_NEW_PASSWORD'];
    if (!password)
      throw new Error(
        'set IMOS_NEW_PASSWORD to the new password (kept out of the shell history and process list)',
      );
    if (!isRole(o.role)) throw new Error(`unknown role ${o.role}`);
    const role = o.role;
    await withContext(async (ctx) => {
      const u = await createUser(ctx.db, username, password, role);
      console.log(`created ${u.username} (${u.role})`);
      // Shown once, for the user's authenticator app; the role cannot sign in without it.
      if (u.totpSecret) console.log(`TOTP secret ${u.totpSecret}\n${u.otpauthUri}`);
    });
  });

auditCommands(program, withContext);
retentionCommands(program, withContext);
linkCommands(program);
linkageCommands(program, withContext);
streamCommands(program, withContext, config);

// Output piped into a reader that stops early (| head): stop quietly, as other commands do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

program.parseAsync(process.argv).catch((err: unknown) => {
  const e = err as Error & { code?: string };
  console.error(`imos: ${e.message}`);
  if (process.env['IMOS_DEBUG']) console.error(e.stack);
  process.exit(1);
});

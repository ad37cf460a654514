import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { todayUtc } from '../app/app-context.js';
import type { OpenedContext } from '../app/open-context.js';
import { dayNumber } from '../core/stays/dates.js';
import {
  createHold,
  listHolds,
  releaseHold,
  type HoldOutcome,
  type HoldTarget,
} from '../retention/legal-holds.js';
import { loadRetentionRules } from '../retention/load-retention-rules.js';
import {
  previewRetention,
  runRetention,
  type RetentionProgress,
  type RetentionReport,
} from '../retention/run-retention.js';
import { printTable } from './print-table.js';

type WithContext = <T>(fn: (ctx: OpenedContext) => Promise<T>) => Promise<T>;

/** Who ran a command, for the audit entry: the name given, and the account on this machine. */
const operator = (by: string) => `${by} (os user ${userInfo().username})`;

/** A progress bar per phase on a terminal; a line every two seconds otherwise. */
function retentionProgress() {
  const tty = process.stderr.isTTY;
  const bar = new cliProgress.SingleBar(
    {
      format: 'retention {phase} |{bar}| {percentage}% | {due} due',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let phase: string | null = null;
  let lastLine = 0;
  return {
    update(p: RetentionProgress) {
      if (tty) {
        if (phase !== p.phase) {
          if (phase !== null) bar.stop();
          bar.start(p.total, 0, { phase: p.phase, due: 0 });
          phase = p.phase;
        }
        bar.setTotal(p.total);
        bar.update(p.done, { phase: p.phase, due: p.due });
      } else if (Date.now() - lastLine > 2000) {
        lastLine = Date.now();
        process.stderr.write(`retention: ${p.phase} ${p.done}/${p.total}, ${p.due} due\n`);
      }
    },
    stop() {
      if (tty && phase !== null) bar.stop();
    },
  };
}

function printReport(r: RetentionReport, list: number): void {
  const verb = r.dryRun ? 'would erase' : 'erased';
  console.log(
    `Retention ${r.dryRun ? 'dry run (nothing changed)' : 'run'} as of ${r.asOf}, rules of ${r.rulesVersion}`,
  );
  printTable([
    {
      category: 'person facts',
      [verb]: r.personFacts.persons,
      unit: 'persons',
      detail: `${r.personFacts.rawRecords} raw records (all versions), ${r.personFacts.observations} observations, ${r.personFacts.stays} stays`,
      'held back': r.heldBack.personIds.length,
    },
    {
      category: 'quarantine',
      [verb]: r.quarantine.entries,
      unit: 'entries',
      detail: 'resolved entries, as received',
      'held back': r.heldBack.quarantineEntries,
    },
    { category: 'audit', [verb]: 0, unit: 'entries', detail: 'never erased (ids only)', 'held back': 0 },
  ]);
  const byRule = { ...r.personFacts.byRule, ...r.quarantine.byRule };
  if (Object.keys(byRule).length > 0) {
    console.log('\nby rule:');
    printTable(Object.entries(byRule).map(([rule, n]) => ({ rule, count: n })));
  }
  if (!r.dryRun) console.log(`\n${r.tombstones} tombstones left; stays of erased persons recomputed`);
  if (r.persons.length > 0) {
    console.log(r.dryRun ? '\npersons due (would be erased):' : '\npersons erased:');
    printTable(
      r.persons.slice(0, list).map((p) => ({ person: p.personId, rule: p.rule, 'due on': p.dueOn })),
    );
    if (r.persons.length > list)
      console.log(`… and ${r.persons.length - list} more (--list <n> or --json to see them all)`);
  }
  if (r.heldBack.personIds.length > 0)
    console.log(`\nheld back by legal holds: persons ${r.heldBack.personIds.join(', ')}`);
}

function printHoldOutcome(r: HoldOutcome, verb: string): void {
  if (!r.ok) {
    console.error(`${r.code}: ${r.message}`);
    process.exitCode = 1;
    return;
  }
  const h = r.hold;
  const target = h.personId !== null ? `person ${h.personId}` : `record ${h.sourceRecordId} of ${h.source}`;
  console.log(`legal hold #${h.id} on ${target} ${verb}`);
}

/** `imos retention rules | run [--dry-run] | holds | hold | release`. */
export function retentionCommands(program: Command, withContext: WithContext): void {
  const retention = program
    .command('retention')
    .description('retention rules (config/retention.json), erasure with tombstones, legal holds');

  retention
    .command('rules')
    .description('the retention rules, each with why, and what is never erased')
    .action(() => {
      const rules = loadRetentionRules();
      console.log(`Retention rules of ${rules.version} (config/retention.json)\n`);
      for (const r of rules.rules)
        console.log(`${r.id}: ${r.category}, ${r.years} years after ${r.event}\n  ${r.why}\n`);
      console.log('Never erased by this job:');
      for (const k of rules.kept) console.log(`${k.category}: ${k.why}`);
    });

  retention
    .command('run')
    .description(
      'erase what the rules make due as of today (or --as-of) and no legal hold covers; --dry-run only reports',
    )
    .option('--dry-run', 'report what would be erased (counts per category, and the persons); change nothing')
    .option('--by <name>', 'who runs the erasure (recorded in the audit entry); required without --dry-run')
    .option('--list <n>', 'persons to list', '20')
    .option('--json', 'print the whole report as JSON')
    .option('--allow-future-as-of', 'let --as-of be after today for a run (erases before the rules allow)')
    .action(
      async (o: {
        dryRun?: boolean;
        by?: string;
        list: string;
        json?: boolean;
        allowFutureAsOf?: boolean;
      }) => {
        const rules = loadRetentionRules();
        const list = Number(o.list);
        if (!Number.isInteger(list) || list < 0) throw new Error('--list must be a whole number');
        if (!o.dryRun && !o.by?.trim())
          throw new Error('a run names who runs it: --by <name> (or use --dry-run)');
        await withContext(async (ctx) => {
          const asOf = ctx.asOf();
          if (Number.isNaN(dayNumber(asOf))) throw new Error(`--as-of ${asOf} is not a date`);
          if (!o.dryRun && asOf > todayUtc() && !o.allowFutureAsOf)
            throw new Error(
              `as of ${asOf} is after today (${todayUtc()}): a run would erase records before the rules allow. ` +
                'Use --dry-run to look ahead, or --allow-future-as-of on a test store.',
            );
          const progress = retentionProgress();
          const options = {
            rules,
            asOf,
            pack: ctx.pack,
            onProgress: (p: RetentionProgress) => progress.update(p),
          };
          let report: RetentionReport;
          try {
            report = o.dryRun
              ? await previewRetention(ctx.db, options)
              : await runRetention(ctx.db, {
                  ...options,
                  audit: ctx.audit,
                  actor: {
                    userId: null,
                    username: operator(o.by!.trim()),
                    role: null,
                    route: 'CLI imos retention run',
                    purpose: null,
                    purposeReference: null,
                    requestId: `cli-${randomUUID()}`,
                  },
                });
          } finally {
            progress.stop();
          }
          if (o.json) return console.log(JSON.stringify(report, null, 2));
          printReport(report, list);
          if (!report.dryRun) console.log('one audit entry written (action retention.run)');
        });
      },
    );

  retention
    .command('holds')
    .description('legal holds, newest first')
    .option('--status <status>', 'active, released or all', 'active')
    .option('--person <id>', 'only the holds on this person')
    .action(async (o: { status: string; person?: string }) => {
      if (!['active', 'released', 'all'].includes(o.status))
        throw new Error('--status must be active, released or all');
      await withContext(async (ctx) => {
        const holds = await listHolds(ctx.db, {
          status: o.status as 'active',
          ...(o.person ? { personId: o.person } : {}),
        });
        printTable(
          holds.map((h) => ({
            hold: h.id,
            target: h.personId !== null ? `person ${h.personId}` : `${h.source} ${h.sourceRecordId}`,
            reason: h.reason,
            by: h.createdBy,
            since: h.createdAt.slice(0, 10),
            released: h.releasedAt
              ? `${h.releasedAt.slice(0, 10)} by ${h.releasedBy}: ${h.releaseReason}`
              : '',
          })),
        );
      });
    });

  retention
    .command('hold')
    .description('place a legal hold on a person (--person) or a source record (--source and --record)')
    .option('--person <id>', 'person id')
    .option('--source <name>', 'the feed of the record')
    .option('--record <id>', 'the source record id')
    .requiredOption('--reason <text>', 'why (recorded; at least 10 characters)')
    .requiredOption('--by <name>', 'who places it (recorded)')
    .action(async (o: { person?: string; source?: string; record?: string; reason: string; by: string }) => {
      const byRecord = o.source !== undefined && o.record !== undefined;
      if ((o.person !== undefined) === byRecord || (!byRecord && (o.source ?? o.record) !== undefined))
        throw new Error('name either --person, or --source and --record together');
      const target: HoldTarget = byRecord
        ? { source: o.source!, sourceRecordId: o.record! }
        : { personId: o.person! };
      await withContext(async (ctx) => {
        const by = operator(o.by.trim());
        const r = await createHold(ctx.db, target, o.reason, by);
        if (r.ok) await ctx.audit.record(holdAudit('retention.holdCreate', 'CLI imos retention hold', by, r));
        printHoldOutcome(r, 'placed');
      });
    });

  retention
    .command('release')
    .description('release a legal hold (it is kept, marked released)')
    .argument('<hold>', 'hold id')
    .requiredOption('--reason <text>', 'why (recorded)')
    .requiredOption('--by <name>', 'who releases it (recorded)')
    .action(async (id: string, o: { reason: string; by: string }) => {
      await withContext(async (ctx) => {
        const by = operator(o.by.trim());
        const r = await releaseHold(ctx.db, id, o.reason, by);
        if (r.ok)
          await ctx.audit.record(holdAudit('retention.holdRelease', 'CLI imos retention release', by, r));
        printHoldOutcome(r, 'released');
      });
    });
}

/** The audit entry of a hold placed or released from the command line: ids only, like the API's. */
function holdAudit(action: string, route: string, by: string, r: HoldOutcome & { ok: true }) {
  return {
    at: new Date(),
    userId: null,
    username: by,
    role: null,
    action,
    route,
    personIds: r.personIds,
    recordRefs: [`legal-hold:${r.hold.id}`],
    purpose: null,
    purposeReference: null,
    breakGlassReason: null,
    outcome: 'allowed' as const,
    status: 200,
    requestId: `cli-${randomUUID()}`,
  };
}

/**
 * The accountability figures: the cost of auditing a person read (against the same read with a no-op
 * audit sink, in the same run) and `imos audit verify` over a million entries (against a bare read of
 * the same rows).
 */
import type { FastifyInstance } from 'fastify';
import { openSession } from '../src/access/accounts.js';
import type { AppContext } from '../src/app/app-context.js';
import { buildApp } from '../src/api/build-app.js';
import { AuditLog, NO_AUDIT, AUDIT_COLUMNS, type AuditSink } from '../src/audit/audit-log.js';
import { auditEntries } from '../src/audit/audit-reader.js';
import { ephemeralSigner } from '../src/audit/audit-signer.js';
import { verifyAuditStore } from '../src/audit/verify-audit.js';
import { chain, GENESIS_HASH, type AuditRecord } from '../src/core/audit/audit-chain.js';
import type { Database } from '../src/store/database.js';

const ms = (x: number) => `${x.toFixed(2)} ms`;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

type Variant = 'audited' | 'unaudited';

/**
 * Person reads through two apps over the same store, one auditing and one with the no-op sink, each
 * request sent to one of them at random: both see the same caches, the same background writes of the
 * server, the same load, so the ratio measures the audit and nothing else.
 */
async function personReads(
  apps: Record<Variant, FastifyInstance>,
  token: string,
  ids: readonly string[],
  concurrency: number,
  requests: number,
): Promise<Record<Variant, number[]>> {
  const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'data-quality-review' };
  const latencies: Record<Variant, number[]> = { audited: [], unaudited: [] };
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const id = ids[next++ % ids.length]!;
        const variant: Variant = Math.random() < 0.5 ? 'audited' : 'unaudited';
        const t = performance.now();
        const res = await apps[variant].inject({ method: 'GET', url: `/api/persons/${id}`, headers });
        latencies[variant].push(performance.now() - t);
        if (res.statusCode !== 200) throw new Error(`person ${id}: ${res.statusCode} ${res.body}`);
      }
    }),
  );
  for (const v of Object.values(latencies)) v.sort((x, y) => x - y);
  return latencies;
}

export async function auditCostOfPersonRead(ctx: AppContext): Promise<void> {
  const db = ctx.db;
  // Measured in steady state: after two million rows the server still has to vacuum them (autovacuum
  // would run during the measurement, on one of two cores) and write their pages out.
  await db.session((s) => s.exec('vacuum analyze'));
  await db.session((s) => s.exec('checkpoint'));
  const [user] = await db.session((s) =>
    s.query<{ id: string }>(
      "insert into app_user (username, password_hash, role) values ('bench.supervisor', 'none', 'supervisor') returning id::text as id",
    ),
  );
  const token = await openSession(db, { id: user!.id, username: 'bench.supervisor', role: 'supervisor' });
  const ids = (
    await db.session((s) =>
      s.query<{ id: string }>(
        'select id::text as id from person where merged_into is null order by random() limit 2000',
      ),
    )
  ).map((r) => r.id);
  const build = async (audit: AuditSink) => {
    const app = await buildApp(ctx, { serveWeb: false, access: { audit } });
    await app.ready();
    return app;
  };
  const apps = {
    audited: await build(new AuditLog(db, ephemeralSigner())),
    unaudited: await build(NO_AUDIT),
  };
  try {
    await personReads(apps, token, ids, 8, ids.length); // every person read once: caches warm for both
    const serial = await personReads(apps, token, ids, 1, 3000);
    const parallel = await personReads(apps, token, ids, 32, 8000);
    const m = [quantile(serial.audited, 0.5), quantile(serial.unaudited, 0.5)] as const;
    const p = [quantile(parallel.audited, 0.99), quantile(parallel.unaudited, 0.99)] as const;
    console.log(
      `${'person read, audited: median (one client)'.padEnd(44)} ${ms(m[0]).padStart(9)}  no-op audit sink ${ms(m[1])}   ratio ${(m[0] / m[1]).toFixed(2)}x`,
    );
    console.log(
      `${'person read, audited: p99 (32 clients)'.padEnd(44)} ${ms(p[0]).padStart(9)}  no-op audit sink ${ms(p[1])}   ratio ${(p[0] / p[1]).toFixed(2)}x`,
    );
  } finally {
    await Promise.all([apps.audited.close(), apps.unaudited.close()]);
  }
}

/** Writes n chained entries straight into the log (as the writer would, without the requests). */
async function fillAuditLog(db: Database, n: number): Promise<void> {
  const batch = 20_000;
  let head = { seq: '0', hash: GENESIS_HASH };
  for (let done = 0; done < n; done += batch) {
    const records: AuditRecord[] = Array.from({ length: Math.min(batch, n - done) }, (_, i) => ({
      at: new Date(Date.UTC(2026, 0, 1) + (done + i) * 1000),
      userId: String(1 + ((done + i) % 50)),
      username: `user${(done + i) % 50}`,
      role: 'officer',
      action: 'person.read',
      route: 'GET /api/persons/:id',
      personIds: [String(1 + ((done + i) % 700_000))],
      recordRefs: [],
      purpose: 'case-work',
      purposeReference: `CASE-${(done + i) % 9000}`,
      breakGlassReason: null,
      outcome: 'allowed',
      status: 200,
      requestId: `req-${done + i}`,
    }));
    const chained = chain(head, records);
    await db.transaction((s) =>
      s.copyFrom(
        'audit_entry',
        AUDIT_COLUMNS,
        chained.map((r) => [
          r.seq,
          r.at.toISOString(),
          r.userId,
          r.username,
          r.role,
          r.action,
          r.route,
          r.personIds,
          r.recordRefs,
          r.purpose,
          r.purposeReference,
          r.breakGlassReason,
          r.outcome,
          r.status,
          r.requestId,
          r.prevHash,
          r.hash,
        ]),
      ),
    );
    const last = chained[chained.length - 1]!;
    head = { seq: last.seq, hash: last.hash };
  }
}

export async function auditVerifyFigure(db: Database, entries: number): Promise<void> {
  await db.session((s) => s.exec('truncate audit_checkpoint'));
  await db.session((s) =>
    s.exec(`alter table audit_entry disable trigger audit_entry_no_truncate; truncate audit_entry;
            alter table audit_entry enable trigger audit_entry_no_truncate;`),
  );
  await fillAuditLog(db, entries);
  let t = performance.now();
  let read = 0;
  for await (const _ of auditEntries(db)) read++;
  const bare = performance.now() - t;
  t = performance.now();
  const r = await verifyAuditStore(db);
  const verify = performance.now() - t;
  if (!r.ok || r.entries !== entries || read !== entries) throw new Error(`verify: ${JSON.stringify(r)}`);
  console.log(
    `${`audit verify, ${entries.toLocaleString('en-US')} entries`.padEnd(44)} ${`${(verify / 1000).toFixed(2)} s`.padStart(9)}  ` +
      `bare read of the same rows ${(bare / 1000).toFixed(2)} s   ratio ${(verify / bare).toFixed(2)}x`,
  );
}

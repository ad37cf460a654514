import { ensureDemoAccounts } from '../access/accounts.js';
import type { Config } from '../app/config.js';
import { openContext } from '../app/open-context.js';
import { judgeStaysEachDay } from '../app/stays-each-day.js';
import { buildApp } from '../api/build-app.js';
import { forwardChanges } from '../stream/forward-changes.js';
import { openJetStream } from '../stream/jetstream.js';
import { setStayClock } from '../stays/roll-stays-forward.js';
import { loadDemoData } from './demo-data.js';

/**
 * Runs the platform: API and web app on one port. On a fresh store it creates one demo account per role
 * (printed once) and, once listening, loads the synthetic demo population, so the page is usable at once.
 */
export async function serve(
  config: Config,
  log: (msg: string) => void = console.log,
): Promise<{ url: string; close(): Promise<void> }> {
  const ctx = await openContext(config, 'server');
  const accounts = await ensureDemoAccounts(ctx.db, config.demoPassword);
  let demo: 'loading' | 'loaded' | 'none' | 'failed' = config.demoPeople > 0 ? 'loading' : 'none';
  const app = await buildApp(ctx, {
    logger: process.env['IMOS_LOG'] === '1',
    readiness: () => ({ demo }),
    oidc: config.oidc,
    // The dead-letter routes' stream, from this server's configuration (the app reads no environment).
    stream: config.natsUrl ? { natsUrl: config.natsUrl, prefix: config.streamPrefix } : null,
  });
  // With NATS, what a separate consumer applies reaches this server's live pages too.
  const bus = config.natsUrl ? await openJetStream(config.natsUrl, config.streamPrefix) : null;
  const stopForwarding = bus && ctx.changes ? forwardChanges(bus, ctx.changes) : null;
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  ctx.announce(url);
  log(
    `ImmigrationOS is running at ${url}  (API docs: ${url}/docs; store: ${ctx.db.engine === 'pglite' ? (config.ephemeral ? 'PGlite in memory' : `PGlite in ${config.dataDir}/`) : 'PostgreSQL'})`,
  );
  if (accounts.length > 0) {
    log('Demo accounts (shown once; every record in the demo is synthetic):');
    for (const a of accounts) {
      log(`  ${a.role.padEnd(10)} ${a.username.padEnd(16)} ${a.password}`);
      // Supervisor and admin sign in with a second factor: add the secret (or the URI) to an authenticator app.
      if (a.totpSecret) log(`  ${''.padEnd(10)} TOTP secret ${a.totpSecret}  ${a.otpauthUri}`);
      if (a.office) log(`  ${''.padEnd(10)} office ${a.office} (others' persons open with a written reason)`);
    }
  }
  let closed = false;
  let daily: { stop(): Promise<void> } | null = null;
  const demoLoad = loadDemoData(ctx, config.demoPeople, log)
    .then(
      async (loaded) => {
        demo = loaded ? 'loaded' : 'none';
        // An empty store's demo stays were all just judged on today: nothing to roll forward.
        if (loaded) await setStayClock(ctx.db, ctx.asOf());
      },
      (err: unknown) => {
        demo = 'failed';
        log(`Demo data could not be loaded: ${(err as Error).message}`);
      },
    )
    // Then, and each day after, the stays time can change are judged on the new day.
    .then(() => void (closed || (daily = judgeStaysEachDay(ctx, log))));
  return {
    url,
    async close() {
      if (closed) return;
      closed = true;
      await demoLoad;
      await daily?.stop();
      stopForwarding?.();
      await bus?.close();
      await app.close();
      await ctx.close();
    },
  };
}

/**
 * Browser suite: the dead-letters page. On a server without NATS a supervisor reads plainly that the
 * server keeps no dead letters (501 NO_DEAD_LETTER_STREAM), not an empty list. On a server with NATS (the
 * machine's, streams named by a prefix of this run and deleted afterwards) a real dead letter, an
 * observation that failed its five deliveries while the consumer's store was down, is listed with its
 * error and source record; Retry puts it back on the stream, and the consumer then applies it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/app-context.js';
import type { FlatRecord } from '../../src/core/observation/flat-columns.js';
import { linkageResolver } from '../../src/identity/linkage-resolver.js';
import { loadRulePack } from '../../src/stays/load-rule-pack.js';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/open-database.js';
import { countDeadLetters } from '../../src/stream/dead-letters.js';
import { openJetStream, type JetStreamBus } from '../../src/stream/jetstream.js';
import { envelopeOf } from '../../src/stream/observation-envelope.js';
import { publishObservations } from '../../src/stream/publish-observations.js';
import { AS_OF, openPage, signIn, useBrowserPlatform } from '../support/browser-harness.js';
import { consumeUntil as consumeUntilShared } from '../support/consume-until.js';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

describe('the dead-letters page on a server without NATS', () => {
  // An empty NATS_URL is none, whatever the shell running the suite has set.
  const platform = useBrowserPlatform(0, { env: { NATS_URL: '' } });

  it('tells a supervisor plainly that this server keeps no dead letters, and where bad records go', async () => {
    const { context, page, pageErrors } = await openPage(platform.browser);
    try {
      await signIn(page, platform.base, 'demo.supervisor');
      await page.getByTestId('nav-dead-letters').click();
      await page.waitForURL((u) => u.pathname === '/dead-letters');
      await page.getByTestId('dead-letters-purpose-prompt').waitFor();
      await page.getByTestId('dead-letters-purpose-use').click();

      const said = page.getByTestId('dead-letters-not-configured');
      await said.waitFor();
      expect(await said.getAttribute('data-code')).toBe('NO_DEAD_LETTER_STREAM');
      expect(await said.textContent()).toMatch(
        /^Dead letters are not kept on this server\. This server has no dead-letter stream: it applies imports in process \(no NATS_URL\).*quarantine.*Quarantine\.$/,
      );
      await said.getByRole('link', { name: 'Quarantine' }).click();
      await page.waitForURL((u) => u.pathname === '/quarantine');
      // Not an empty list that would pass for a healthy pipeline.
      await page.goBack();
      await said.waitFor();
      expect(await page.getByTestId('dead-letters-total').count()).toBe(0);
      expect(await page.getByTestId('dead-letters-table').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('the dead-letters page on a server with NATS JetStream', () => {
  const prefix = `T${randomBytes(4).toString('hex').toUpperCase()}`;
  const SOURCE = 'e2e-dead-letters';
  let bus: JetStreamBus;
  let db: Database;
  let ctx: AppContext;
  beforeAll(async () => {
    bus = await openJetStream(NATS_URL, prefix);
    db = await openDatabase({ ephemeral: true });
    ctx = { db, resolver: linkageResolver(), pack: loadRulePack('us'), asOf: () => AS_OF };
  });
  // Registered before the platform's: after-hooks run in reverse, so the streams go once the server
  // (which holds a connection to them) has stopped.
  afterAll(async () => {
    if (bus) {
      for (const s of [bus.names.observations, bus.names.changes, bus.names.deadLetters])
        await bus.jsm.streams.delete(s).catch(() => undefined);
      await bus.close();
    }
    await db?.close();
  });
  const platform = useBrowserPlatform(0, { env: { NATS_URL, IMOS_STREAM_PREFIX: prefix } });

  /** The consumer's store, down: every session fails, as during an outage. */
  const storeDown = (): AppContext => ({
    ...ctx,
    db: new Proxy(db, {
      get: (target, key) =>
        key === 'session' || key === 'transaction'
          ? () => Promise.reject(new Error('the store is down (e2e)'))
          : (Reflect.get(target, key) as unknown),
    }),
  });

  const consumeUntil = (on: AppContext, until: () => Promise<boolean>) => consumeUntilShared(on, bus, until);

  const stored = async () => {
    const [r] = await db.session((s) =>
      s.query<{ n: number }>(
        "select count(*)::int as n from raw_record where source = $1 and source_record_id = 'DL-E2E-1'",
        [SOURCE],
      ),
    );
    return r!.n;
  };

  const departure: FlatRecord = {
    record_id: 'DL-E2E-1',
    kind: 'Departure',
    given_names: 'Ilse',
    family_names: 'Letterwood',
    birth_date: '1988-06-07',
    sex: 'F',
    nationality: 'AUT',
    doc_number: 'P1122334',
    doc_type: 'P',
    doc_country: 'AUT',
    date: '2026-10-01',
    port: 'JFK',
    channel: 'air',
  };

  it('lists a real dead letter with its error and source record, and retries it onto the stream', async () => {
    // An observation that fails every delivery while the consumer's store is down: a dead letter.
    await publishObservations(bus, [envelopeOf(SOURCE, departure)]);
    await consumeUntil(storeDown(), async () => (await countDeadLetters(bus)) === 1);

    const { context, page, pageErrors } = await openPage(platform.browser);
    try {
      await signIn(page, platform.base, 'demo.supervisor');
      await page.getByTestId('nav-dead-letters').click();
      await page.getByTestId('dead-letters-purpose-use').click();

      const total = page.getByTestId('dead-letters-total');
      await total.waitFor();
      expect(await total.getAttribute('data-value')).toBe('1');
      expect(await total.textContent()).toContain(`${prefix}_DEAD_LETTERS`);
      const row = page.getByTestId('dead-letter-row');
      expect(await row.count()).toBe(1);
      expect(await row.getAttribute('data-source')).toBe(SOURCE);
      expect(await row.getAttribute('data-record-id')).toBe('DL-E2E-1');
      const cell = (column: string) => row.locator(`td[data-column="${column}"]`).textContent();
      expect(await cell('error')).toBe('the store is down (e2e)');
      expect(await cell('deliveries')).toBe('5');
      expect(await cell('subject')).toBe(`${prefix.toLowerCase()}.observations.${SOURCE}`);
      // Where it came from, not the record it holds.
      expect(await page.getByTestId('dead-letters-table').textContent()).not.toContain('Letterwood');

      await row.getByTestId('dead-letter-retry').click();
      const done = page.getByTestId('dead-letters-done');
      await done.waitFor();
      expect(await done.textContent()).toMatch(
        new RegExp(
          `^Dead letter \\d+ \\(${SOURCE} record DL-E2E-1\\) was put back on the stream; 0 remain\\.$`,
        ),
      );
      await expect.poll(() => total.getAttribute('data-value')).toBe('0');
      expect(await page.getByTestId('dead-letter-row').count()).toBe(0);
      expect(await countDeadLetters(bus)).toBe(0);

      // Back on the stream: with the store up again, the consumer applies it, and it does not come back.
      expect(await stored()).toBe(0);
      await consumeUntil(ctx, async () => (await stored()) === 1);
      await page.getByTestId('dead-letters-refresh').click();
      await expect.poll(() => total.getAttribute('data-value')).toBe('0');
      expect(await countDeadLetters(bus)).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

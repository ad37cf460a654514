/**
 * The streaming figure: departures (as manifest passengers) published to NATS JetStream at a fixed rate
 * for a fixed time, applied by the durable consumer to PostgreSQL (identity, stays) against persons
 * admitted beforehand; evidence-to-stay-status latency is publication to commit. The baseline, in the
 * same run, is the same messages through the same server consumed and acknowledged without applying.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy } from '@nats-io/jetstream';
import type { AppContext } from '../src/app/app-context.js';
import { importFeedFiles } from '../src/app/import-feed.js';
import type { FlatRecord } from '../src/core/observation/flat-columns.js';
import { generatePopulation } from '../src/generate/generate-population.js';
import { writeFeeds } from '../src/generate/write-feeds.js';
import { linkageResolver } from '../src/identity/linkage-resolver.js';
import { loadRulePack } from '../src/stays/load-rule-pack.js';
import type { Database } from '../src/store/database.js';
import { openJetStream, type JetStreamBus } from '../src/stream/jetstream.js';
import { runObservationConsumer } from '../src/stream/observation-consumer.js';
import { envelopeOf, type ObservationEnvelope } from '../src/stream/observation-envelope.js';
import { publishObservations } from '../src/stream/publish-observations.js';

const fmt = (n: number) => n.toLocaleString('en-US');
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

/** Publishes `envelopes` at `rate` per second, in 50 ms ticks (to `subject`, else each one's source). */
async function paced(bus: JetStreamBus, envelopes: ObservationEnvelope[], rate: number, subject?: string) {
  const tick = 50;
  const perTick = Math.max(1, Math.round((rate * tick) / 1000));
  const start = performance.now();
  for (let i = 0, k = 0; i < envelopes.length; i += perTick, k++) {
    const due = start + k * tick;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const slice = envelopes
      .slice(i, i + perTick)
      .map((e) => ({ ...e, publishedAt: new Date().toISOString() }));
    if (subject) await Promise.all(slice.map((e) => bus.js.publish(subject, JSON.stringify(e))));
    else await publishObservations(bus, slice);
  }
}

export async function streamingPipelineFigure(db: Database, natsUrl: string, seconds: number, rate: number) {
  const total = seconds * rate;
  const work = mkdtempSync(join(tmpdir(), 'imos-bench-stream-'));
  const prefix = `BENCH${Date.now().toString(36).toUpperCase()}`;
  const bus = await openJetStream(natsUrl, prefix);
  try {
    // The persons first: their admissions, imported in bulk.
    const departures: FlatRecord[] = [];
    const people = total;
    await writeFeeds(work, { people, seed: 31, noise: 0 });
    const ctx: AppContext = {
      db,
      resolver: linkageResolver(),
      pack: loadRulePack('us'),
      asOf: () => '2026-11-01',
    };
    await importFeedFiles(ctx, [join(work, 'admissions.csv')], 'bench-admissions');
    for (const item of generatePopulation({ people, seed: 31, noise: 0 }))
      if (item.kind === 'record' && item.record.kind === 'Departure' && departures.length < total)
        departures.push({ ...item.record, record_id: `M${departures.length}`, channel: 'air' });
    while (departures.length < total)
      departures.push({ ...departures[departures.length % 1000]!, record_id: `M${departures.length}` });
    const envelopes = departures.map((r) => envelopeOf('apis', r));

    // Baseline: the transport alone (publish, consume, acknowledge), on a stream of its own.
    const baseStream = `${prefix}_BASELINE`;
    const baseSubject = `${prefix.toLowerCase()}.baseline`;
    await bus.jsm.streams.add({ name: baseStream, subjects: [baseSubject] });
    await bus.jsm.consumers.add(baseStream, { durable_name: 'baseline', ack_policy: AckPolicy.Explicit });
    const baseLatency: number[] = [];
    const baseConsumer = await bus.js.consumers.get(baseStream, 'baseline');
    const baseMessages = await baseConsumer.consume({ max_messages: 1000 });
    const baseCount = Math.min(total, rate * 10);
    let baseReached: () => void = () => undefined;
    const baseDone = new Promise<void>((resolve) => (baseReached = resolve));
    const baseLoop = (async () => {
      for await (const m of baseMessages) {
        baseLatency.push(Date.now() - Date.parse(m.json<ObservationEnvelope>().publishedAt));
        m.ack();
        if (baseLatency.length >= baseCount) baseReached();
      }
    })();
    await paced(bus, envelopes.slice(0, baseCount), rate, baseSubject);
    await baseDone;
    await baseMessages.close();
    await baseLoop;

    // Ours: the durable consumer applies them.
    const latency: number[] = [];
    let applied = 0;
    const stop = new AbortController();
    const t0 = performance.now();
    const consumer = runObservationConsumer(ctx, bus, {
      signal: stop.signal,
      onApplied: (b, publishedAt) => {
        const now = Date.now();
        applied += b.records;
        for (const p of publishedAt) latency.push(now - Date.parse(p));
      },
    });
    await paced(bus, envelopes, rate);
    const published = performance.now() - t0;
    while (applied < total) await new Promise((r) => setTimeout(r, 50));
    const elapsed = performance.now() - t0;
    stop.abort();
    await consumer;
    console.log(
      `${`${fmt(total)} manifest passengers at ${fmt(rate)}/s`.padEnd(44)} ${fmt(Math.round(total / (elapsed / 1000))).padStart(9)} applied/s  ` +
        `(published over ${(published / 1000).toFixed(1)} s, all applied after ${(elapsed / 1000).toFixed(1)} s)  ` +
        `latency p50 ${quantile(latency, 0.5)} ms  p99 ${quantile(latency, 0.99)} ms   ` +
        `transport alone p50 ${quantile(baseLatency, 0.5)} ms  p99 ${quantile(baseLatency, 0.99)} ms`,
    );
  } finally {
    for (const s of [bus.names.observations, bus.names.changes, bus.names.deadLetters, `${prefix}_BASELINE`])
      await bus.jsm.streams.delete(s).catch(() => undefined);
    await bus.close();
    rmSync(work, { recursive: true, force: true });
  }
}

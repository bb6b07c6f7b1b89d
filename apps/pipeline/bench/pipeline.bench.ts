/**
 * End-to-end pipeline benchmark on the embedded bus + PGlite, in two phases:
 *
 * 1. throughput: `SLO_BENCH_EVENTS` events (default 100 000) published at once, timed until every
 *    one is counted in the store's window rows → the maximum rate;
 * 2. ingest lag at half that rate for `SLO_BENCH_LAG_SECONDS` (default 10): events are published
 *    in chunks every 100 ms, each stamped with the wall-clock time it is due (its event time); the
 *    store is polled and a chunk's lag is the first poll that counts all of it minus its event
 *    time (so the figure includes up to one poll interval, 50 ms).
 *
 *   npm run bench:pipeline -w apps/pipeline
 *   SLO_BENCH_ROLES=fingerprint,aggregate,embed npm run bench:pipeline -w apps/pipeline
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAvroSerde,
  createMemorySchemaRegistry,
  telemetryEventType,
  toValueSubject,
  TOPICS,
  type TelemetryEvent,
} from '@slo-scout/schema';
import type { Store } from '@slo-scout/store';
import { pino } from 'pino';
import { makeTelemetry, SERVICES } from '../test/telemetry.ts';
import { parsePipelineConfig } from '../src/config.ts';
import { startPipeline } from '../src/pipeline.ts';

const N = Number(process.env['SLO_BENCH_EVENTS'] ?? 100_000);
const LAG_SECONDS = Number(process.env['SLO_BENCH_LAG_SECONDS'] ?? 10);
const ROLES = (process.env['SLO_BENCH_ROLES'] ?? 'fingerprint,aggregate').split(',');
const START = Date.UTC(2026, 10, 20, 10, 0, 0);
const CHUNK_MS = 100;
const POLL_MS = 50;
const debug = (msg: string): void => {
  if (process.env['SLO_BENCH_DEBUG']) console.error(`${new Date().toISOString()} ${msg}`);
};

const serde = createAvroSerde(
  createMemorySchemaRegistry(),
  toValueSubject(TOPICS.rawTelemetry),
  telemetryEventType,
);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

const encode = (
  events: readonly TelemetryEvent[],
): Promise<{ topic: string; key: string; value: Uint8Array }[]> =>
  Promise.all(
    events.map(async (e) => ({
      topic: TOPICS.rawTelemetry,
      key: e.service,
      value: await serde.encode(e),
    })),
  );

/** Every window count in the store (all services, all time). */
async function countAll(store: Store): Promise<number> {
  let sum = 0;
  for (const service of SERVICES) {
    const rows = await store.listWindows({ service, fromMs: 0, toMs: Date.now() + 86_400_000 });
    if (!rows.ok) throw rows.error;
    sum += rows.value.reduce((s, r) => s + r.count, 0);
  }
  return sum;
}

let report: () => Promise<void> = () => Promise.resolve();

/** Fails loudly instead of hanging when the window counts stop moving for a minute. */
function createStallGuard(what: string): (seen: number) => Promise<void> {
  let last = -1;
  let since = Date.now();
  return async (seen) => {
    if (seen !== last) {
      last = seen;
      since = Date.now();
    } else if (Date.now() - since > 60_000) {
      await report();
      throw new Error(`${what}: window counts stalled at ${seen} for 60 s`);
    }
  };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pipeline-bench-'));
  const config = parsePipelineConfig({
    roles: ROLES,
    bus: { kind: 'embedded' },
    store: { kind: 'pglite' },
    blobs: { kind: 'local', dir: join(dir, 'blobs') },
    logLevel: 'silent',
  });
  const pipeline = await startPipeline(config, { log: pino({ level: 'silent' }) });
  const producer = await pipeline.bus.producer();
  debug('pipeline started');
  report = async () => {
    for (const [group, topic] of [
      ['slo-fingerprint', TOPICS.rawTelemetry],
      ['slo-aggregate', TOPICS.capsuleEvents],
      ['slo-embed', TOPICS.capsuleEvents],
    ] as const) {
      const lag = await pipeline.bus.lag(group, topic).catch(() => []);
      console.error(group, lag.map((l) => `${l.committedOffset}/${l.endOffset}`).join(' '));
    }
    console.error(
      pipeline.jobs
        .map((j) => `${j.name}: ${j.failure() === undefined ? 'ok' : String(j.failure() as Error)}`)
        .join('; '),
    );
    console.error(
      (await pipeline.metrics.registry.metrics())
        .split('\n')
        .filter((l) => /^slo_pipeline_(events|skipped|dead|embedded)/.test(l))
        .join('\n'),
    );
  };
  const setup = `embedded bus + PGlite (${ROLES.join(', ')})`;

  // Phase 1: maximum rate.
  const records = await encode(makeTelemetry(N, START, 2));
  const t0 = performance.now();
  for (let i = 0; i < records.length; i += 5_000) await producer.send(records.slice(i, i + 5_000));
  debug('phase 1 sent');
  const guard1 = createStallGuard('phase 1');
  for (let seen = 0; seen < N; seen = await countAll(pipeline.store)) {
    debug(`phase 1: ${seen}`);
    await guard1(seen);
    await sleep(250);
  }
  const seconds = (performance.now() - t0) / 1000;
  const rate = N / seconds;

  // Phase 2: half the maximum rate, event time = the wall-clock time a chunk is due.
  const perChunk = Math.max(1, Math.round((rate / 2) * (CHUNK_MS / 1000)));
  const chunks = Math.max(1, Math.round((LAG_SECONDS * 1000) / CHUNK_MS));
  const base = makeTelemetry(perChunk * chunks, START, 2);
  const begin = Date.now() + 500;
  const lags: number[] = [];
  const targets = Array.from({ length: chunks }, (_, c) => ({
    due: begin + c * CHUNK_MS,
    total: N + (c + 1) * perChunk,
  }));
  // Each chunk is encoded when it is due (as a collector would), stamped with that time.
  const sending = (async () => {
    for (const [c, { due }] of targets.entries()) {
      await sleep(due - Date.now());
      const events = base
        .slice(c * perChunk, (c + 1) * perChunk)
        .map((e) => ({ ...e, event_id: `lag:${e.event_id}`, event_time_ms: due }));
      await producer.send(await encode(events));
    }
  })();
  debug(`phase 2: ${perChunk} events every ${CHUNK_MS} ms`);
  const guard2 = createStallGuard('phase 2');
  let next = 0;
  while (next < targets.length) {
    const seen = await countAll(pipeline.store);
    const now = Date.now();
    await guard2(seen);
    while (next < targets.length && seen >= targets[next]!.total) {
      lags.push(now - targets[next]!.due);
      next++;
    }
    await sleep(POLL_MS);
  }
  await sending;
  lags.sort((a, b) => a - b);

  console.log(`| setup | events | time | events/s |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  console.log(`| ${setup} | ${N} | ${seconds.toFixed(1)} s | ${Math.round(rate)} |`);
  console.log('');
  console.log(`| setup | rate (events/s) | events | chunks | p50 lag | p95 lag | max lag |`);
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
  console.log(
    `| ${setup} | ${Math.round(perChunk * (1000 / CHUNK_MS))} | ${perChunk * chunks} | ${chunks} | ${quantile(lags, 0.5)} ms | ${quantile(lags, 0.95)} ms | ${lags.at(-1)} ms |`,
  );
  await producer.close();
  await pipeline.stop();
  await rm(dir, { recursive: true, force: true });
}

await main();

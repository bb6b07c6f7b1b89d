/**
 * End-to-end pipeline benchmark on the embedded bus + PGlite (default) or on Kafka + PostgreSQL
 * (`SLO_BENCH_BUS=kafka`: the services started by `bash scripts/services/kafka.sh up` and
 * `bash scripts/services/postgres.sh up`; a fresh database and topic prefix per run), in two phases:
 *
 * 1. throughput: `SLO_BENCH_EVENTS` events (default 100 000) published at once, timed until every
 *    one is counted in the store's window rows → the maximum rate;
 * 2. ingest lag at half that rate for `SLO_BENCH_LAG_SECONDS` (default 10): events are published
 *    in chunks every 100 ms, each stamped with the wall-clock time it is due (its event time); the
 *    store is polled and a chunk's lag is the first poll that counts all of it minus its event
 *    time (so the figure includes up to one poll interval, 50 ms);
 * 3. the jobs' per-event work alone on the phase-1 events, stage by stage, without bus or store:
 *    what one thread can do at most on this machine.
 *
 *   npm run bench:pipeline -w apps/pipeline
 *   SLO_BENCH_ROLES=fingerprint,aggregate,embed npm run bench:pipeline -w apps/pipeline
 *   SLO_BENCH_BUS=kafka npm run bench:pipeline -w apps/pipeline
 *   SLO_BENCH_CPU_PROFILE=/tmp/phase1.cpuprofile npm run bench:pipeline -w apps/pipeline
 *   SLO_BENCH_THREAD=1 npm run bench:pipeline -w apps/pipeline   # fingerprint work on a worker thread
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAggregator, createRandom } from '@slo-scout/aggregator';
import { createRedactor, createTemplateMiner } from '@slo-scout/fingerprint';
import {
  capsuleEventType,
  createAvroSerde,
  createMemorySchemaRegistry,
  telemetryEventType,
  toValueSubject,
  TOPICS,
  type CapsuleEvent,
  type TelemetryEvent,
} from '@slo-scout/schema';
import type { Store } from '@slo-scout/store';
import { loadConnection } from '@slo-scout/testkit';
import pg from 'pg';
import { pino } from 'pino';
import { makeTelemetry, SERVICES, toRawRecords } from '../test/telemetry.ts';
import { parsePipelineConfig } from '../src/config.ts';
import { startPipeline } from '../src/pipeline.ts';
import { toCapsuleEvent, toCapsuleInput } from '../src/capsule.ts';

const N = Number(process.env['SLO_BENCH_EVENTS'] ?? 100_000);
const LAG_SECONDS = Number(process.env['SLO_BENCH_LAG_SECONDS'] ?? 10);
const ROLES = (process.env['SLO_BENCH_ROLES'] ?? 'fingerprint,aggregate').split(',');
const BUS = process.env['SLO_BENCH_BUS'] ?? 'embedded';
const PARTITIONS = Number(process.env['SLO_BENCH_PARTITIONS'] ?? 3);
/** `1` runs the fingerprint job's work on a worker thread (`fingerprint.thread`). */
const THREAD = process.env['SLO_BENCH_THREAD'] === '1';
const START = Date.UTC(2026, 10, 20, 10, 0, 0);
const CHUNK_MS = 100;
const POLL_MS = 50;
/** Writes a CPU profile of phase 1 only (the maximum rate) to this path. */
const CPU_PROFILE = process.env['SLO_BENCH_CPU_PROFILE'];
const debug = (msg: string): void => {
  if (process.env['SLO_BENCH_DEBUG']) console.error(`${new Date().toISOString()} ${msg}`);
};

const registry = createMemorySchemaRegistry();
const serde = createAvroSerde(registry, toValueSubject(TOPICS.rawTelemetry), telemetryEventType);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Every window count in the store (all services, all time). */
async function countAll(store: Store): Promise<number> {
  let sum = 0;
  for (const service of SERVICES) {
    // Summed in SQL: reading the window rows (their merge state holds every event's id hash) made
    // the poll itself a large share of the process's CPU.
    const rows = await store.topFingerprints({
      service,
      fromMs: 0,
      toMs: Date.now() + 86_400_000,
      limit: 1000,
    });
    if (!rows.ok) throw rows.error;
    if (rows.value.length === 1000) throw new Error(`${service}: over 1000 fingerprints`);
    sum += rows.value.reduce((s, r) => s + r.count, 0);
  }
  return sum;
}

/**
 * The per-event work of the fingerprint and aggregate jobs alone, on this thread, over the same
 * encoded events, stage by stage: decode the raw event, pick its text, redact, mine and
 * fingerprint, encode the capsule, decode it, aggregate. No bus, no store, no transactions: an
 * upper bound for one thread. CPU-µs per event of each stage.
 */
async function libraryCost(values: readonly Uint8Array[]): Promise<Record<string, number>> {
  const output = createAvroSerde(registry, toValueSubject(TOPICS.capsuleEvents), capsuleEventType);
  const redactor = createRedactor();
  const miner = createTemplateMiner();
  const aggregator = createAggregator({ random: createRandom(1) });
  const cost: Record<string, number> = {};
  let last = process.cpuUsage();
  const stage = (name: string): void => {
    const used = process.cpuUsage(last);
    cost[name] = (used.user + used.system) / values.length;
    last = process.cpuUsage();
  };
  const events: TelemetryEvent[] = [];
  for (const v of values) {
    const decoded = await serde.decode(v);
    if (!decoded.ok) throw decoded.error;
    events.push(decoded.value);
  }
  stage('decode raw event');
  const capsules: CapsuleEvent[] = [];
  for (const e of events) {
    const what = toCapsuleInput(e);
    if (what.ok) capsules.push(toCapsuleEvent(e, what, { redactor, miner }).capsule);
  }
  stage('redact, mine, fingerprint');
  const bytes: Uint8Array[] = [];
  for (const c of capsules) bytes.push(await output.encode(c));
  stage('encode capsule');
  const decodedCapsules: CapsuleEvent[] = [];
  for (const b of bytes) {
    const decoded = await output.decode(b);
    if (!decoded.ok) throw decoded.error;
    decodedCapsules.push(decoded.value);
  }
  stage('decode capsule');
  for (const c of decodedCapsules) aggregator.add(c);
  aggregator.flush();
  aggregator.drain();
  stage('aggregate');
  return cost;
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

/** The bus and store settings of the run, and what to clean up after it. */
async function target(): Promise<{
  setup: string;
  config: Record<string, unknown>;
  cleanup: () => Promise<void>;
}> {
  if (BUS === 'embedded') {
    return {
      setup: `embedded bus + PGlite (${ROLES.join(', ')})`,
      config: { bus: { kind: 'embedded', partitions: PARTITIONS }, store: { kind: 'pglite' } },
      cleanup: () => Promise.resolve(),
    };
  }
  if (BUS !== 'kafka') throw new Error(`SLO_BENCH_BUS must be embedded or kafka, not ${BUS}`);
  const { brokers } = loadConnection('kafka');
  const postgres = loadConnection('postgres');
  const run = randomUUID().slice(0, 8);
  const database = `bench_${run}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  return {
    setup: `Kafka 3.9 + PostgreSQL 15, ${PARTITIONS} partitions (${ROLES.join(', ')})`,
    config: {
      bus: { kind: 'kafka', brokers, partitions: PARTITIONS },
      store: { kind: 'postgres', url: postgres.url.replace(/\/[^/]*$/, `/${database}`) },
      topicPrefix: `bench-${run}.`,
    },
    async cleanup() {
      const a = new pg.Client({ connectionString: postgres.url });
      await a.connect();
      await a.query(`drop database if exists ${database} with (force)`);
      await a.end();
    },
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pipeline-bench-'));
  const { setup, config: where, cleanup } = await target();
  const config = parsePipelineConfig({
    roles: ROLES,
    ...where,
    blobs: { kind: 'local', dir: join(dir, 'blobs') },
    fingerprint: { thread: THREAD },
    logLevel: 'silent',
  });
  const pipeline = await startPipeline(config, { log: pino({ level: 'silent' }) });
  const producer = await pipeline.bus.producer();
  debug('pipeline started');
  report = async () => {
    for (const [group, topic] of [
      ['slo-fingerprint', pipeline.topics.rawTelemetry],
      ['slo-aggregate', pipeline.topics.capsuleEvents],
      ['slo-embed', pipeline.topics.capsuleEvents],
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
  const load: number[] = [];
  const sampleLoad = setInterval(() => load.push(loadavg()[0]!), 1_000);
  sampleLoad.unref();
  const raw = pipeline.topics.rawTelemetry;

  // Phase 1: maximum rate.
  const records = await toRawRecords(serde, raw, makeTelemetry(N, START, 2));
  const profiler = CPU_PROFILE ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const cpu0 = process.cpuUsage();
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
  // CPU time of the whole process (every thread): on a shared machine the wall-clock rate
  // swings with the other load, events per CPU-second much less.
  const used = process.cpuUsage(cpu0);
  const cpuSeconds = (used.user + used.system) / 1e6;
  if (profiler && CPU_PROFILE) {
    const { profile } = await profiler.post('Profiler.stop');
    await writeFile(CPU_PROFILE, JSON.stringify(profile));
    profiler.disconnect();
  }

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
      await producer.send(await toRawRecords(serde, raw, events));
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
  clearInterval(sampleLoad);
  const loadRange = load.length
    ? `${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`
    : loadavg()[0]!.toFixed(1);

  console.log(`| setup | events | time | events/s | CPU s | events/CPU-s | load (1 min) |`);
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
  console.log(
    `| ${setup} | ${N} | ${seconds.toFixed(1)} s | ${Math.round(rate)} | ${cpuSeconds.toFixed(1)} | ${Math.round(N / cpuSeconds)} | ${loadRange} |`,
  );
  console.log('');
  console.log(`| setup | rate (events/s) | events | chunks | p50 lag | p95 lag | max lag |`);
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
  console.log(
    `| ${setup} | ${Math.round(perChunk * (1000 / CHUNK_MS))} | ${perChunk * chunks} | ${chunks} | ${quantile(lags, 0.5)} ms | ${quantile(lags, 0.95)} ms | ${lags.at(-1)} ms |`,
  );
  await producer.close();
  await pipeline.stop();
  await cleanup();
  const cost = await libraryCost(records.map((r) => r.value));
  const total = Object.values(cost).reduce((a, b) => a + b, 0);
  console.log('');
  console.log(
    `The jobs' per-event work alone, one thread, no bus, no store: ${total.toFixed(1)} CPU-µs per event (${Math.round(1e6 / total)} events per CPU-second) = ` +
      Object.entries(cost)
        .map(([name, us]) => `${name} ${us.toFixed(1)}`)
        .join(' + '),
  );
  await rm(dir, { recursive: true, force: true });
}

await main();

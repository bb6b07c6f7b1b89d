/**
 * Exactly once on the embedded bus (file journal) and a file-backed PGlite: 200k events of known
 * content (SLO_EXACTLY_ONCE_EMBEDDED_EVENTS to change it), a worker process killed with SIGKILL mid-stream,
 * then the same bus and store reopened with two workers in one group so partitions are shared.
 * The store must end with exact counts per service and hour, and `capsule-events` must hold
 * exactly one committed capsule per input event. Needs no service: the embedded bus lives in one
 * process, so the two workers of the second half share one process (and one bus).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmbeddedBus } from '@slo-scout/bus';
import { createFileBusPersistence } from '@slo-scout/bus/file';
import {
  createAvroSerde,
  createMemorySchemaRegistry,
  telemetryEventType,
  toValueSubject,
  TOPICS,
} from '@slo-scout/schema';
import { createStore } from '@slo-scout/store';
import { createPgliteDatabase } from '@slo-scout/store/pglite';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../src/config.ts';
import { toPipelineTopics } from '../../src/jobs/job.ts';
import { startPipeline } from '../../src/pipeline.ts';
import {
  countsByServiceHour,
  makeTelemetry,
  storedByServiceHour,
  sumWindowCounts,
  toRawRecords,
} from '../telemetry.ts';

const EVENTS = Number(process.env['SLO_EXACTLY_ONCE_EMBEDDED_EVENTS'] ?? 200_000);
/**
 * Everything is published before any consumer group exists, and one partition of raw-telemetry
 * gets 120k of the 200k events: with the default retention of a topic nobody reads (100k per
 * partition) the oldest 20k would be dropped before the pipeline starts.
 */
const RETAIN = 1_000_000;
const START = Date.UTC(2026, 10, 20, 10, 0, 0);
const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const ROLES = ['fingerprint', 'aggregate'];

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
  });

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('pipeline on the embedded bus and PGlite', () => {
  it.each([
    // The worker-thread fingerprint path (`fingerprint.thread`) with fewer events: it shares
    // everything after the engine with the inline path, which the 200k run covers.
    { n: EVENTS, thread: false },
    { n: Math.min(EVENTS, 40_000), thread: true },
  ])(
    'counts $n events exactly once through a SIGKILL and two workers (thread: $thread)',
    async ({ n: N, thread }) => {
      const dir = await mkdtemp(join(tmpdir(), 'pipeline-eo-embedded-'));
      const topics = toPipelineTopics('');
      const events = makeTelemetry(N, START, 2);
      const serde = createAvroSerde(
        createMemorySchemaRegistry(),
        toValueSubject(TOPICS.rawTelemetry),
        telemetryEventType,
      );
      const openBus = async () =>
        createEmbeddedBus({
          now: Date.now,
          defaultPartitions: 4,
          retainPerPartition: RETAIN,
          persistence: await createFileBusPersistence(join(dir, 'bus')),
        });
      // Publish everything into the journal first; the worker process then reads it from there.
      {
        const bus = await openBus();
        await bus.createTopics(
          [topics.rawTelemetry, topics.capsuleEvents, topics.capsuleWindows, topics.deadLetter].map(
            (topic) => ({ topic, partitions: 4 }),
          ),
        );
        const producer = await bus.producer();
        for (let i = 0; i < events.length; i += 5_000) {
          const slice = events.slice(i, i + 5_000);
          await producer.send(await toRawRecords(serde, topics.rawTelemetry, slice));
        }
        await producer.close();
        await bus.close();
      }
      const port = await freePort();
      const configPath = join(dir, 'pipeline.json');
      const config = {
        roles: ROLES,
        bus: { kind: 'embedded', dir: join(dir, 'bus'), partitions: 4, retainPerPartition: RETAIN },
        store: { kind: 'pglite', dir: join(dir, 'store') },
        blobs: { kind: 'local', dir: join(dir, 'blobs') },
        aggregate: { windowMs: 3_600_000, flushIntervalMs: 500, reservoirSize: 5 },
        fingerprint: { thread },
        http: { port },
        logLevel: process.env['SLO_EO_LOG'] ?? 'warn',
      };
      await writeFile(configPath, JSON.stringify(config));

      // Worker 1 in its own process, killed the hard way once part of the stream is in.
      const child = spawn(
        process.execPath,
        ['--conditions=@slo-scout/source', '--import', 'tsx', main, '--config', configPath],
        { stdio: ['ignore', process.env['SLO_EO_LOG'] ? 'inherit' : 'ignore', 'inherit'] },
      );
      try {
        await until(
          async () => {
            const text = await fetch(`http://127.0.0.1:${port}/metrics`)
              .then((r) => r.text())
              .catch(() => '');
            const m = /slo_pipeline_events_in_total\{job="aggregate"\} (\d+)/.exec(text);
            return m !== null && Number(m[1]) >= N * 0.2;
          },
          240_000,
          '20% of the events through the aggregate job',
        );
      } finally {
        child.kill('SIGKILL');
      }
      await new Promise((r) => {
        if (child.exitCode === null && child.signalCode === null) child.once('exit', r);
        else r(null);
      });

      // The same journal and store, reopened, with two workers sharing the groups' partitions.
      const bus = await openBus();
      const { db } = await createPgliteDatabase({ dataDir: join(dir, 'store') });
      const store = createStore(db);
      await store.migrate();
      const total = () => sumWindowCounts(store, START + 10 * 3_600_000);
      const countAtKill = await total();
      expect(countAtKill).toBeGreaterThan(0);
      expect(countAtKill).toBeLessThan(N);
      const log = pino({ level: 'silent' });
      const workers = await Promise.all(
        ['w1', 'w2'].map((workerId) =>
          startPipeline(parsePipelineConfig({ ...config, http: undefined, workerId }), {
            bus,
            store,
            log,
          }),
        ),
      );
      await until(async () => (await total()) >= N, 300_000, `all ${N} events in the store`).catch(
        async (e: unknown) => {
          const checkpoints = await store.readCheckpoints('slo-aggregate', topics.capsuleEvents);
          const lags = await Promise.all(
            [
              ['slo-fingerprint', topics.rawTelemetry],
              ['slo-aggregate', topics.capsuleEvents],
            ].map(async ([g, t]) => `${g}: ${JSON.stringify(await bus.lag(g!, t!))}`),
          );
          throw new Error(
            `${String(e)}; ${await total()} counted (${countAtKill} at the kill); store offsets ${JSON.stringify([...checkpoints])}; ${lags.join('; ')}`,
          );
        },
      );
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await total()).toBe(N);

      expect(await storedByServiceHour(store, START + 10 * 3_600_000)).toEqual(
        countsByServiceHour(events),
      );

      // One committed capsule per input event: the embedded bus gives a transaction's records their
      // offsets when it commits, so the end offsets count committed capsules (read ones are trimmed).
      const lag = await bus.lag('slo-aggregate', topics.capsuleEvents);
      expect(lag.every((l) => l.lag === 0)).toBe(true);
      expect(lag.reduce((s, l) => s + l.endOffset, 0)).toBe(N);
      for (const w of workers) await w.stop();
      await bus.close();
      await store.close();
    },
    900_000,
  );
});

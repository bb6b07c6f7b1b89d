/**
 * Exactly once on real Kafka and PostgreSQL: 200k events of known content (SLO_EXACTLY_ONCE_EVENTS
 * to change it), a worker killed with SIGKILL mid-stream and restarted, and a second worker joining
 * the group so partitions move. The store must end with exact counts per service and hour — nothing
 * lost, nothing counted twice — and `capsule-events` (read committed) must hold exactly one capsule
 * per input event: the fingerprint job's transactions survived the kill and the rebalances.
 *
 * Workers' logs: SLO_EO_LOG=debug (pino level) prints them, flushes included.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafkaBus } from '@slo-scout/bus/kafka';
import {
  capsuleEventType,
  createAvroSerde,
  createMemorySchemaRegistry,
  telemetryEventType,
  toValueSubject,
  TOPICS,
} from '@slo-scout/schema';
import { createStore } from '@slo-scout/store';
import { createPostgresDatabase } from '@slo-scout/store/postgres';
import { loadConnection } from '@slo-scout/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { toPipelineTopics } from '../../src/jobs/job.ts';
import {
  countsByServiceHour,
  makeTelemetry,
  storedByServiceHour,
  sumWindowCounts,
  toRawRecords,
} from '../telemetry.ts';

const N = Number(process.env['SLO_EXACTLY_ONCE_EVENTS'] ?? 200_000);
const START = Date.UTC(2026, 10, 20, 10, 0, 0);
const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const { brokers } = loadConnection('kafka');
const postgres = loadConnection('postgres');
const workers = new Set<ChildProcess>();

afterAll(() => {
  for (const w of workers) w.kill('SIGKILL');
});

function startWorker(configPath: string, workerId: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@slo-scout/source',
      '--import',
      'tsx',
      main,
      '--config',
      configPath,
      '--worker-id',
      workerId,
    ],
    { stdio: ['ignore', process.env['SLO_EO_LOG'] ? 'inherit' : 'ignore', 'inherit'] },
  );
  workers.add(child);
  child.on('exit', () => workers.delete(child));
  return child;
}

async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('pipeline on Kafka and PostgreSQL', () => {
  it(`counts ${N} events exactly once through a SIGKILL and a rebalance`, async () => {
    const run = randomUUID().slice(0, 8);
    const database = `pipeline_${run}`;
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const url = postgres.url.replace(/\/[^/]*$/, `/${database}`);
    const dir = await mkdtemp(join(tmpdir(), 'pipeline-eo-'));
    const configPath = join(dir, 'pipeline.json');
    const topicPrefix = `eo-${run}.`;
    await writeFile(
      configPath,
      JSON.stringify({
        bus: { kind: 'kafka', brokers, partitions: 4 },
        store: { kind: 'postgres', url },
        blobs: { kind: 'local', dir: join(dir, 'blobs') },
        topicPrefix,
        aggregate: { windowMs: 3_600_000, flushIntervalMs: 500, reservoirSize: 5 },
        logLevel: process.env['SLO_EO_LOG'] ?? 'warn',
      }),
    );

    const { db } = createPostgresDatabase({ connectionString: url, maxConnections: 2 });
    const store = createStore(db);
    await store.migrate(); // the workers migrate too; migrations are safe from several processes
    const total = () => sumWindowCounts(store, START + 10 * 3_600_000);

    const topics = toPipelineTopics(topicPrefix);
    const bus = createKafkaBus({ brokers, clientId: 'eo-producer' });
    await bus.createTopics([
      { topic: topics.rawTelemetry, partitions: 4 },
      { topic: topics.capsuleEvents, partitions: 4 },
    ]);
    const producer = await bus.producer();
    const serde = createAvroSerde(
      createMemorySchemaRegistry(),
      toValueSubject(TOPICS.rawTelemetry),
      telemetryEventType,
    );
    const events = makeTelemetry(N, START, 2);

    let first = startWorker(configPath, 'w1');
    for (let i = 0; i < events.length; i += 5_000) {
      const slice = events.slice(i, i + 5_000);
      await producer.send(await toRawRecords(serde, topics.rawTelemetry, slice));
    }
    // Kill the worker the hard way once part of the stream is in the store.
    await until(async () => (await total()) >= N * 0.2, 240_000, '20% of the events in the store');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const countAtKill = await total();
    expect(countAtKill).toBeGreaterThan(0);
    expect(countAtKill).toBeLessThan(N);
    // Restart it under the same id (fencing its open transaction) and add a second worker.
    first = startWorker(configPath, 'w1');
    const second = startWorker(configPath, 'w2');
    await until(async () => (await total()) >= N, 300_000, `all ${N} events in the store`).catch(
      async (e: unknown) => {
        // Where it stalled: the store's offsets against the groups' committed offsets.
        const checkpoints = await store.readCheckpoints('slo-aggregate', topics.capsuleEvents);
        const lags = await Promise.all(
          [
            ['slo-fingerprint', topics.rawTelemetry],
            ['slo-aggregate', topics.capsuleEvents],
          ].map(async ([g, t]) => `${g}: ${JSON.stringify(await bus.lag(g!, t!))}`),
        );
        throw new Error(
          `${String(e)}; ${await total()} counted; store offsets ${JSON.stringify([...checkpoints])}; ${lags.join('; ')}`,
        );
      },
    );
    // Give any duplicate a chance to show up before the final count.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await total()).toBe(N);

    // Exact per service and hour, not only in total.
    expect(await storedByServiceHour(store, START + 10 * 3_600_000)).toEqual(
      countsByServiceHour(events),
    );

    // One committed capsule per input event: no transaction of the fingerprint job applied twice.
    const capsules = createAvroSerde(
      createMemorySchemaRegistry(),
      toValueSubject(TOPICS.capsuleEvents),
      capsuleEventType,
    );
    const reader = await bus.consumer({ groupId: `eo-reader-${run}`, maxBatchSize: 5_000 });
    await reader.subscribe([topics.capsuleEvents]);
    const ids = new Map<string, number>();
    let read = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`read ${read} capsules of ${N} in time`));
      }, 120_000);
      void reader.run(async (batch) => {
        for (const m of batch.messages) {
          const c = await capsules.decode(m.value);
          if (!c.ok) throw c.error;
          ids.set(c.value.source_event_id, (ids.get(c.value.source_event_id) ?? 0) + 1);
        }
        read += batch.messages.length;
        if (read >= N) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // Anything past N would be a duplicate: give it a moment to arrive.
    await new Promise((r) => setTimeout(r, 2_000));
    await reader.close();
    expect(read).toBe(N);
    expect(ids.size).toBe(N);

    const lag = await bus.lag('slo-aggregate', topics.capsuleEvents);
    expect(lag.length).toBe(4);
    first.kill('SIGTERM');
    second.kill('SIGTERM');
    await Promise.all(
      [first, second].map(
        (w) =>
          new Promise((r) => {
            if (w.exitCode === null) w.once('exit', r);
            else r(null);
          }),
      ),
    );
    await producer.close();
    await bus.close();
    await store.close();
  }, 900_000);
});

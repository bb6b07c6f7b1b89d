/**
 * The aggregate job's flushes, driven batch by batch through a hand-held bus: a quiet-partition
 * flush (from the timer) and a batch of the same partition must not overlap.
 */
import type { BatchHandler, Bus, BusConsumer, BusMessage } from '@slo-scout/bus';
import {
  capsuleEventType,
  createAvroSerde,
  createCapsuleEvent,
  createMemorySchemaRegistry,
  toValueSubject,
  TOPICS,
} from '@slo-scout/schema';
import { createStore, type BlobStore } from '@slo-scout/store';
import { createPgliteDatabase } from '@slo-scout/store/pglite';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createPipelineMetrics } from '../metrics.ts';
import { startAggregateJob } from './aggregate-job.ts';
import { toPipelineTopics } from './job.ts';

const START = Date.UTC(2026, 10, 20, 10, 0, 0);
const topics = toPipelineTopics('t.');

/** A bus whose only consumer hands its handler to the test, which then delivers batches itself. */
function createHandBus(): { bus: Bus; handler: () => BatchHandler; commits: number[] } {
  let handler: BatchHandler | undefined;
  const commits: number[] = [];
  const consumer: BusConsumer = {
    groupId: 'slo-aggregate',
    subscribe: () => Promise.resolve(),
    run: (h) => {
      handler = h;
      return Promise.resolve();
    },
    commit: (offsets) => {
      commits.push(...offsets.map((o) => o.offset));
      return Promise.resolve();
    },
    seek: () => {
      throw new Error('no seek expected');
    },
    assignment: () => [{ topic: topics.capsuleEvents, partition: 0 }],
    committed: () => Promise.resolve([]),
    close: () => Promise.resolve(),
  };
  const bus: Bus = {
    createTopics: () => Promise.resolve(),
    producer: () =>
      Promise.resolve({
        send: () => Promise.resolve(),
        transaction: () => Promise.reject(new Error('no transaction expected')),
        close: () => Promise.resolve(),
      }),
    consumer: () => Promise.resolve(consumer),
    lag: () => Promise.resolve([]),
    close: () => Promise.resolve(),
  };
  return {
    bus,
    commits,
    handler: () => {
      if (!handler) throw new Error('the job has not started consuming');
      return handler;
    },
  };
}

/** In-memory blobs whose writes wait while `gate` is closed; counts the writes that began. */
function createGatedBlobs(): { blobs: BlobStore; close(): void; open(): void; puts(): number } {
  const objects = new Map<string, Uint8Array>();
  let gate: Promise<void> = Promise.resolve();
  let openGate = (): void => undefined;
  let puts = 0;
  const blobs: BlobStore = {
    async put(key, body) {
      puts++;
      await gate;
      objects.set(key, body);
    },
    get: (key) => Promise.resolve(objects.get(key)),
    exists: (key) => Promise.resolve(objects.has(key)),
    delete: (key) => {
      objects.delete(key);
      return Promise.resolve();
    },
    async *list() {
      // not used by the aggregate job
    },
  };
  return {
    blobs,
    close() {
      gate = new Promise((resolve) => {
        openGate = resolve;
      });
    },
    open: () => {
      openGate();
    },
    puts: () => puts,
  };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('aggregate job', () => {
  it('a batch arriving during a quiet-partition flush of its partition is counted, once', async () => {
    const registry = createMemorySchemaRegistry();
    const serde = createAvroSerde(registry, toValueSubject(TOPICS.capsuleEvents), capsuleEventType);
    const messages = async (from: number, n: number): Promise<BusMessage[]> =>
      Promise.all(
        Array.from({ length: n }, async (_, i) => ({
          topic: topics.capsuleEvents,
          partition: 0,
          offset: from + i,
          key: 'fp',
          value: await serde.encode(
            createCapsuleEvent({
              fingerprint_hash: 'fp',
              template: 'cache miss for key <ID>',
              service: 'cart',
              event_time_ms: START + from + i,
              redacted_sample: 'cache miss for key <ID>',
              redaction_applied: true,
              source_event_id: `log:${from + i}`,
            }),
          ),
          headers: {},
          timestamp: START,
        })),
      );
    const { db } = await createPgliteDatabase({});
    const store = createStore(db);
    await store.migrate();
    const gated = createGatedBlobs();
    const hand = createHandBus();
    let clock = START;
    const job = await startAggregateJob({
      bus: hand.bus,
      registry,
      store,
      blobs: gated.blobs,
      metrics: createPipelineMetrics(hand.bus, { defaultMetrics: false }),
      log: pino({ level: 'silent' }),
      now: () => clock,
      topics,
      flushIntervalMs: 20,
      reservoirSize: 5,
    });
    const handle = hand.handler();
    const total = async (): Promise<number> => {
      const rows = await store.listWindows({ service: 'cart', fromMs: 0, toMs: START + 1e9 });
      if (!rows.ok) throw rows.error;
      return rows.value.reduce((s, r) => s + r.count, 0);
    };

    // Batch 1 is not the partition's end and the flush interval has not passed: it stays pending.
    await handle({
      topic: topics.capsuleEvents,
      partition: 0,
      messages: await messages(0, 10),
      nextOffset: 10,
      endOffset: 1_000,
    });
    expect(gated.puts()).toBe(0);
    // The partition goes quiet: the timer's flush begins and waits in its reservoir-sample write.
    gated.close();
    clock += 1_000;
    await until(() => gated.puts() === 1);
    // Batch 2 of the same partition arrives meanwhile, and would flush at once (interval passed).
    const second = handle({
      topic: topics.capsuleEvents,
      partition: 0,
      messages: await messages(10, 10),
      nextOffset: 20,
      endOffset: 1_000,
    });
    // Overlapping, batch 2 would drain the aggregator and start a second sample write now.
    await new Promise((r) => setTimeout(r, 200));
    gated.open();
    await second;
    clock += 1_000;
    await until(async () => (await total()) >= 20 && hand.commits.includes(20));
    await new Promise((r) => setTimeout(r, 100));
    expect(await total()).toBe(20);
    expect(await store.readCheckpoints('slo-aggregate', topics.capsuleEvents)).toEqual(
      new Map([[0, 20]]),
    );
    await job.stop();
    await store.close();
  });
});

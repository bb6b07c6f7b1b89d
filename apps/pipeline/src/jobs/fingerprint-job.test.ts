import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedBus, type Bus } from '@slo-scout/bus';
import { TOPICS } from '@slo-scout/schema';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { caughtUp, telemetrySerde, until } from '../../test/embed-helpers.ts';
import { makeTelemetry, toRawRecords } from '../../test/telemetry.ts';
import { parsePipelineConfig } from '../config.ts';
import { startPipeline } from '../pipeline.ts';

const START = Date.UTC(2026, 10, 20, 10, 0, 0);

/**
 * The embedded bus, except that the fingerprint producer's first commit takes effect and then
 * reports a failure (Kafka: EndTxn timing out after the coordinator committed), and a batch whose
 * handler fails is delivered again from the consumer's position, as kafkajs does after such an
 * error (the embedded bus would stop the member instead).
 */
async function ambiguousBus(): Promise<{ bus: Bus; failures: () => number }> {
  const inner = await createEmbeddedBus({ now: () => START, defaultPartitions: 2 });
  let failures = 0;
  const bus: Bus = {
    ...inner,
    async producer(options) {
      const producer = await inner.producer(options);
      if (options?.transactionalId === undefined) return producer;
      return {
        ...producer,
        async transaction() {
          const tx = await producer.transaction();
          return {
            ...tx,
            async commit() {
              await tx.commit();
              if (failures === 0) {
                failures++;
                throw new Error('EndTxn: request timed out');
              }
            },
          };
        },
      };
    },
    async consumer(options) {
      const consumer = await inner.consumer(options);
      return {
        ...consumer,
        run: (handler) =>
          consumer.run(async (batch) => {
            try {
              await handler(batch);
            } catch {
              await handler(batch);
            }
          }),
      };
    },
  };
  return { bus, failures: () => failures };
}

describe('fingerprint job', () => {
  it('publishes a batch once when a commit that took effect reports a failure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fingerprint-job-'));
    const { bus, failures } = await ambiguousBus();
    const config = parsePipelineConfig({
      roles: ['fingerprint'],
      bus: { kind: 'embedded', partitions: 2 },
      store: { kind: 'pglite' },
      blobs: { kind: 'local', dir: join(dir, 'blobs') },
      http: { port: 0 },
      logLevel: 'silent',
    });
    const pipeline = await startPipeline(config, { bus, log: pino({ level: 'silent' }) });
    const events = makeTelemetry(3_000, START);
    const producer = await bus.producer();
    await producer.send(await toRawRecords(telemetrySerde, TOPICS.rawTelemetry, events));
    await until(() => caughtUp(bus, 'slo-fingerprint', TOPICS.rawTelemetry));
    expect(failures()).toBe(1);
    expect(pipeline.jobs.map((j) => j.failure())).toEqual([undefined]);
    // The embedded bus numbers a transaction's records when it commits, so the end offsets of
    // capsule-events count the committed capsules: one per input event, none twice.
    const out = await bus.lag('nobody', TOPICS.capsuleEvents);
    expect(out.reduce((sum, l) => sum + l.endOffset, 0)).toBe(events.length);
    await pipeline.stop();
  });
});

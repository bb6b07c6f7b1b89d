import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedBus } from '@slo-scout/bus';
import { createRedactor } from '@slo-scout/fingerprint';
import {
  createAvroSerde,
  createMemorySchemaRegistry,
  telemetryEventType,
  toValueSubject,
  TOPICS,
} from '@slo-scout/schema';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { makeTelemetry, sumWindowCounts } from '../test/telemetry.ts';
import { parsePipelineConfig } from './config.ts';
import { startPipeline } from './pipeline.ts';

const START = Date.UTC(2026, 10, 20, 10, 0, 0);

const windowTotal = (pipeline: Awaited<ReturnType<typeof startPipeline>>): Promise<number> =>
  sumWindowCounts(pipeline.store, START + 10 * 3_600_000);

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('embedded pipeline', () => {
  it.each([
    ['on the main thread', false],
    ['on a worker thread', true],
  ])(
    'fingerprints %s: exact windows, bad input dead-lettered, no PII stored',
    async (_, thread) => {
      const dir = await mkdtemp(join(tmpdir(), 'pipeline-'));
      const config = parsePipelineConfig({
        roles: ['fingerprint', 'aggregate'], // the embed role has its own test (embed.test.ts)
        bus: { kind: 'embedded' },
        store: { kind: 'pglite' },
        blobs: { kind: 'local', dir: join(dir, 'blobs') },
        fingerprint: { thread },
        http: { port: 0 },
        logLevel: 'silent',
      });
      const bus = await createEmbeddedBus({ now: () => START });
      const pipeline = await startPipeline(config, { bus, log: pino({ level: 'silent' }) });
      const serde = createAvroSerde(
        createMemorySchemaRegistry(),
        toValueSubject(TOPICS.rawTelemetry),
        telemetryEventType,
      );
      const events = makeTelemetry(5_000, START);
      const producer = await bus.producer();
      const records = await Promise.all(
        events.map(async (e) => ({
          topic: TOPICS.rawTelemetry,
          key: e.service,
          value: await serde.encode(e),
        })),
      );
      await producer.send([
        ...records,
        {
          topic: TOPICS.rawTelemetry,
          key: 'checkout',
          value: new TextEncoder().encode('not avro at all'),
        },
      ]);
      // The same events again (a collector retry): counted once, within a flush interval.
      await until(async () => (await windowTotal(pipeline)) >= events.length);
      expect(await windowTotal(pipeline)).toBe(events.length);

      const dead = await bus.consumer({ groupId: 'dlq-reader' });
      await dead.subscribe([TOPICS.deadLetter]);
      const letters: Record<string, string>[] = [];
      await new Promise<void>((resolve) => {
        void dead.run((batch) => {
          letters.push(...batch.messages.map((m) => ({ ...m.headers })));
          resolve();
          return Promise.resolve();
        });
      });
      await dead.close();
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({
        'x-slo-job': 'fingerprint',
        'x-slo-error-code': 'BAD_FRAME',
        'x-slo-source-topic': TOPICS.rawTelemetry,
      });

      const top = await pipeline.store.topFingerprints({
        service: 'checkout',
        fromMs: 0,
        toMs: START + 10 * 3_600_000,
        limit: 50,
      });
      if (!top.ok) throw top.error;
      const scanner = createRedactor();
      const text = JSON.stringify(top.value);
      expect(top.value.map((t) => t.template)).toContain(
        'user <EMAIL> paid order <NUM> in <DURATION>',
      );
      expect(scanner.find(text)).toEqual([]);
      expect(text).not.toMatch(/alice\d+@example\.com|4111 1111 1111 1111/);

      const health = await fetch(`${pipeline.url!}/readyz`);
      expect(health.status).toBe(200);
      const metrics = await (await fetch(`${pipeline.url!}/metrics`)).text();
      expect(metrics).toMatch(
        /slo_pipeline_dead_letters_total\{job="fingerprint",code="BAD_FRAME"\} 1/,
      );
      expect(metrics).toMatch(/slo_pipeline_events_in_total\{job="fingerprint"\} 5001/);
      await pipeline.stop();
      await bus.close();
    },
  );

  it('names every bad configuration field', () => {
    expect(() =>
      parsePipelineConfig({
        bus: { kind: 'kafka', brokers: ['nope'] },
        store: { kind: 'mysql' },
        blobs: { kind: 'local' },
      }),
    ).toThrow(/bus\.brokers\.0: must be host:port[\s\S]*store\.kind[\s\S]*blobs\.dir/);
  });
});

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { TOPICS } from '@slo-scout/schema';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { until } from '../test/embed-helpers.ts';
import { parsePipelineConfig } from './config.ts';
import { startPipeline } from './pipeline.ts';

describe('embedded bus retention', () => {
  it('logs and counts the unread messages it drops', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipeline-retention-'));
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const pipeline = await startPipeline(
      parsePipelineConfig({
        roles: ['fingerprint'],
        bus: { kind: 'embedded', partitions: 1, retainPerPartition: 2 },
        store: { kind: 'pglite' },
        blobs: { kind: 'local', dir: join(dir, 'blobs') },
        logLevel: 'warn',
      }),
      { log: pino({ level: 'warn' }, sink) },
    );
    // Five undecodable events: five dead letters, on a topic nobody here reads.
    const producer = await pipeline.bus.producer();
    await producer.send(
      Array.from({ length: 5 }, (_, i) => ({
        topic: TOPICS.rawTelemetry,
        key: 'checkout',
        value: new TextEncoder().encode(`not avro ${i}`),
      })),
    );
    const dropped = async (): Promise<string | undefined> =>
      (await pipeline.metrics.registry.metrics())
        .split('\n')
        .find((l) => l.startsWith('slo_pipeline_bus_retention_dropped_total{'));
    await until(async () => (await dropped()) !== undefined);
    await until(
      async () => (await pipeline.bus.lag('slo-fingerprint', TOPICS.rawTelemetry))[0]!.lag === 0,
    );
    expect(await dropped()).toBe(
      `slo_pipeline_bus_retention_dropped_total{topic="${TOPICS.deadLetter}"} 3`,
    );
    const warned = lines.filter((l) => l['topic'] === TOPICS.deadLetter);
    expect(warned.reduce((sum, l) => sum + (l['dropped'] as number), 0)).toBe(3);
    expect(String(warned[0]?.['msg'])).toMatch(/dropped unread messages/);
    await pipeline.stop();
  });
});

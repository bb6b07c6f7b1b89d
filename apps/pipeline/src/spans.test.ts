import { createEmbeddedBus } from '@slo-scout/bus';
import {
  createAvroSerde,
  createMemorySchemaRegistry,
  createTelemetryEvent,
  telemetryEventType,
  toValueSubject,
  TOPICS,
} from '@slo-scout/schema';
import { createSyntheticShop, discoverJourneys } from '@slo-scout/slo';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from './config.ts';
import { startPipeline } from './pipeline.ts';

const START = Date.UTC(2026, 10, 20);

describe('spans role', () => {
  it('stores every trace span once, redacted, so discovery from the store equals discovery from the source', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipeline-spans-'));
    const bus = await createEmbeddedBus({ now: () => START });
    const pipeline = await startPipeline(
      parsePipelineConfig({
        roles: ['spans'],
        bus: { kind: 'embedded' },
        store: { kind: 'pglite' },
        blobs: { kind: 'local', dir: join(dir, 'blobs') },
        logLevel: 'silent',
      }),
      { bus, log: pino({ level: 'silent' }) },
    );
    try {
      const { events } = createSyntheticShop({
        seed: 5,
        startMs: START,
        durationMs: 6 * 3_600_000,
        sessions: 200,
      });
      const leaky = createTelemetryEvent({
        event_id: 'leaky',
        kind: 'trace',
        service: 'accounts',
        event_time_ms: START + 1000,
        trace_id: 'f'.repeat(32),
        span_id: 'e'.repeat(16),
        span_name: 'GET /users/bob@example.com',
        span_kind: 'SERVER',
        duration_ms: 12,
        attributes: { 'user.email': 'bob@example.com', 'http.request.method': 'GET' },
      });
      const serde = createAvroSerde(
        createMemorySchemaRegistry(),
        toValueSubject(TOPICS.rawTelemetry),
        telemetryEventType,
      );
      const records = await Promise.all(
        [...events, leaky].map(async (e) => ({
          topic: TOPICS.rawTelemetry,
          key: e.service,
          value: await serde.encode(e),
        })),
      );
      const producer = await bus.producer();
      await producer.send(records);
      await producer.send(records.slice(0, 500)); // a collector retry
      const traces = events.filter((e) => e.kind === 'trace').length + 1;
      const range = { fromMs: START, toMs: START + 7 * 3_600_000 };
      const deadline = Date.now() + 60_000;
      while ((await pipeline.store.listSpans(range)).length < traces && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      while (
        (await bus.lag('slo-spans', TOPICS.rawTelemetry)).some((l) => l.lag > 0) &&
        Date.now() < deadline
      )
        await new Promise((r) => setTimeout(r, 100));
      const stored = await pipeline.store.listSpans(range);
      expect(stored).toHaveLength(traces);
      const fromLeaky = stored.find((s) => s.service === 'accounts')!;
      expect(fromLeaky.span_name).not.toContain('bob@example.com');
      expect(fromLeaky.attributes['user.email']).toBeUndefined();
      expect(JSON.stringify(stored)).not.toContain('@example.com');
      expect(discoverJourneys(stored.filter((s) => s.service !== 'accounts'))).toEqual(
        discoverJourneys(events),
      );
    } finally {
      await pipeline.stop();
    }
  }, 90_000);
});

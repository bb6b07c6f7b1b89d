/**
 * The embed role against a real Milvus Lite (`bash scripts/services/milvus.sh up`): one document
 * per (fingerprint, service) across a restart with an empty seen-set, nothing unredacted stored.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedBus, type Bus } from '@slo-scout/bus';
import { createRedactor } from '@slo-scout/fingerprint';
import { dropMilvusCollection } from '@slo-scout/rag/milvus';
import { createCapsuleEvent, TOPICS } from '@slo-scout/schema';
import { loadConnection } from '@slo-scout/testkit';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../src/config.ts';
import { startPipeline, type Pipeline } from '../../src/pipeline.ts';
import {
  allDocuments,
  capsuleSerde,
  caughtUp,
  record,
  telemetrySerde,
  until,
  type Recorder,
} from '../embed-helpers.ts';
import { makeTelemetry } from '../telemetry.ts';

const START = Date.UTC(2026, 10, 20, 10, 0, 0);
const { address } = loadConnection('milvus');
const collection = `pipeline_embed_${process.pid}`;
const silent = pino({ level: 'silent' });

describe('embed role on Milvus Lite', () => {
  let dir: string;
  let bus: Bus;
  let client: MilvusClient;
  let capsules: Recorder;
  let dead: Recorder;

  const config = (): ReturnType<typeof parsePipelineConfig> =>
    parsePipelineConfig({
      roles: ['fingerprint', 'embed'],
      bus: { kind: 'embedded' },
      store: { kind: 'pglite' },
      blobs: { kind: 'local', dir: join(dir, 'blobs') },
      vectors: { kind: 'milvus', address, collection },
      embed: { maxBatchSize: 100 },
      logLevel: 'silent',
    });

  const send = async (n: number): Promise<void> => {
    const producer = await bus.producer();
    await producer.send(
      await Promise.all(
        makeTelemetry(n, START).map(async (e) => ({
          topic: TOPICS.rawTelemetry,
          key: e.service,
          value: await telemetrySerde.encode(e),
        })),
      ),
    );
    await producer.close();
  };

  const drained = (p: Pipeline): Promise<void> =>
    until(async () => {
      expect(p.jobs.map((j) => j.failure())).toEqual([undefined, undefined]);
      return (
        (await caughtUp(bus, 'slo-fingerprint', TOPICS.rawTelemetry)) &&
        (await caughtUp(bus, 'slo-embed', TOPICS.capsuleEvents))
      );
    }, 120_000);

  /** Pairs of the redacted capsules recorded, from the `from`-th on. */
  const pairsOf = async (from = 0): Promise<string[]> => {
    const pairs = new Set<string>();
    for (const m of (await capsules.all()).slice(from)) {
      const c = await capsuleSerde.decode(m.value);
      if (c.ok && c.value.redaction_applied) {
        pairs.add(`${c.value.fingerprint_hash}:${c.value.service}`);
      }
    }
    return [...pairs].sort();
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pipeline-milvus-'));
    client = new MilvusClient({ address, logLevel: 'error' });
    await dropMilvusCollection(client, collection);
    bus = await createEmbeddedBus({ now: () => START });
    capsules = await record(bus, TOPICS.capsuleEvents);
    dead = await record(bus, TOPICS.deadLetter);
  });

  afterAll(async () => {
    await capsules.close();
    await dead.close();
    await bus.close();
    await dropMilvusCollection(client, collection);
    await client.closeConnection();
    await rm(dir, { recursive: true, force: true });
  });

  it('embeds each pair once, survives a restart with an empty seen-set, refuses unredacted capsules', async () => {
    const first = await startPipeline(config(), { bus, log: silent });
    await send(1_000);
    const unredacted = createCapsuleEvent({
      fingerprint_hash: 'e'.repeat(64),
      template: 'login by alice3@example.com',
      service: 'checkout',
      event_time_ms: START,
      redacted_sample: 'login by alice3@example.com',
      redaction_applied: false,
      source_event_id: 'log:unredacted',
    });
    const producer = await bus.producer();
    await producer.send([
      {
        topic: TOPICS.capsuleEvents,
        key: unredacted.fingerprint_hash,
        value: await capsuleSerde.encode(unredacted),
      },
    ]);
    await producer.close();
    await drained(first);
    const pairs = await pairsOf();
    const firstRun = (await capsules.all()).length;
    expect(pairs.length).toBeGreaterThanOrEqual(5);
    const docs = await allDocuments(first.vectors!);
    expect(docs.map((d) => d.id).sort()).toEqual(pairs);
    await first.stop();

    // A restart: the seen-set is gone, the same telemetry comes again; upserts by id keep one
    // document per pair.
    const second = await startPipeline(config(), { bus, log: silent });
    try {
      await send(1_000);
      await drained(second);
      const metrics = await second.metrics.registry.getSingleMetricAsString(
        'slo_pipeline_embedded_total',
      );
      // The miner resumed from its saved state, so the second run's pairs are pairs seen before
      // (an early, more specific template of the first run may not come again).
      const secondRun = await pairsOf(firstRun);
      expect(secondRun.length).toBeGreaterThan(0);
      expect(secondRun.filter((p) => !pairs.includes(p))).toEqual([]);
      expect(Number(/ (\d+)$/m.exec(metrics)?.[1] ?? 0)).toBe(secondRun.length);
      const again = await allDocuments(second.vectors!);
      expect(again.map((d) => d.id).sort()).toEqual(pairs);
      const count = await second.vectors!.count();
      expect(count.ok && count.value).toBe(pairs.length);
      const text = JSON.stringify(again);
      expect(text).not.toMatch(/alice\d+@example\.com|4111 1111 1111 1111/);
      expect(createRedactor().find(text)).toEqual([]);
      expect(again.some((d) => d.fp === 'e'.repeat(64))).toBe(false);
    } finally {
      await second.stop();
    }
    const letters = (await dead.all()).map((m) => m.headers);
    expect(letters.filter((h) => h['x-slo-job'] === 'embed')).toEqual([
      expect.objectContaining({ 'x-slo-error-code': 'UNREDACTED' }),
    ]);
  }, 300_000);
});

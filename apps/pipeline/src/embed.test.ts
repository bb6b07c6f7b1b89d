import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedBus, type Bus } from '@slo-scout/bus';
import { createRedactor } from '@slo-scout/fingerprint';
import { createCapsuleEvent, TOPICS, type CapsuleEvent } from '@slo-scout/schema';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allDocuments,
  capsuleSerde,
  caughtUp,
  record,
  telemetrySerde,
  until,
  type Recorder,
} from '../test/embed-helpers.ts';
import { makeTelemetry } from '../test/telemetry.ts';
import { toEmbeddingVector, type CapsuleEmbeddingRecord } from './capsule-embedding.ts';
import { parsePipelineConfig } from './config.ts';
import { startPipeline, type Pipeline } from './pipeline.ts';

const START = Date.UTC(2026, 10, 20, 10, 0, 0);
const silent = pino({ level: 'silent' });
describe('embed job on the embedded bus', () => {
  let dir: string;
  let bus: Bus;
  let pipeline: Pipeline;
  let records: { topic: string; key: string; value: Uint8Array }[];
  /** (fingerprint, service) pairs of the redacted capsules the fingerprint job produced. */
  let pairs: Set<string>;
  let recorders: Record<'capsules' | 'embeddings' | 'dead', Recorder>;

  const drained = async (p: Pipeline, embedGroup = 'slo-embed'): Promise<void> => {
    await until(
      async () =>
        (await caughtUp(bus, 'slo-fingerprint', TOPICS.rawTelemetry)) &&
        (await caughtUp(bus, embedGroup, TOPICS.capsuleEvents)),
    );
    expect(p.jobs.every((j) => j.failure() === undefined)).toBe(true);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pipeline-embed-'));
    bus = await createEmbeddedBus({ now: () => START });
    // Default roles: fingerprint, aggregate and embed in one process; pgvector in its own PGlite.
    pipeline = await startPipeline(
      parsePipelineConfig({
        bus: { kind: 'embedded' },
        store: { kind: 'pglite' },
        blobs: { kind: 'local', dir: join(dir, 'blobs') },
        http: { port: 0 },
        embed: { batchSize: 7 },
        logLevel: 'silent',
      }),
      { bus, log: silent },
    );
    recorders = {
      capsules: await record(bus, TOPICS.capsuleEvents),
      embeddings: await record(bus, TOPICS.capsuleEmbeddings),
      dead: await record(bus, TOPICS.deadLetter),
    };
    records = await Promise.all(
      makeTelemetry(2_000, START).map(async (e) => ({
        topic: TOPICS.rawTelemetry,
        key: e.service,
        value: await telemetrySerde.encode(e),
      })),
    );
    const producer = await bus.producer();
    await producer.send(records);
    const unredacted: CapsuleEvent = createCapsuleEvent({
      fingerprint_hash: 'f'.repeat(64),
      template: 'user alice7@example.com paid order <NUM>',
      service: 'checkout',
      event_time_ms: START,
      redacted_sample: 'user alice7@example.com paid order 7',
      redaction_applied: false,
      source_event_id: 'log:unredacted',
    });
    await producer.send([
      {
        topic: TOPICS.capsuleEvents,
        key: unredacted.fingerprint_hash,
        value: await capsuleSerde.encode(unredacted),
      },
      { topic: TOPICS.capsuleEvents, key: 'x', value: new TextEncoder().encode('not avro') },
    ]);
    await producer.close();
    await drained(pipeline);
    pairs = new Set();
    for (const m of await recorders.capsules.all()) {
      const c = await capsuleSerde.decode(m.value);
      if (c.ok && c.value.redaction_applied)
        pairs.add(`${c.value.fingerprint_hash}:${c.value.service}`);
    }
  }, 120_000);

  afterAll(async () => {
    for (const r of Object.values(recorders)) await r.close();
    await pipeline.stop();
    await bus.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores exactly one redacted document per (fingerprint, service)', async () => {
    expect(pairs.size).toBeGreaterThanOrEqual(5); // every service has its own template
    const docs = await allDocuments(pipeline.vectors!);
    expect(docs.map((d) => d.id).sort()).toEqual([...pairs].sort());
    expect(docs.map((d) => `${d.fp}:${d.service}`).sort()).toEqual([...pairs].sort());
    const count = await pipeline.vectors!.count();
    expect(count.ok && count.value).toBe(pairs.size);
    const text = JSON.stringify(docs);
    expect(text).toContain('user <EMAIL> paid order <NUM> in <DURATION>');
    expect(text).not.toMatch(/alice\d+@example\.com|4111 1111 1111 1111/);
    expect(createRedactor().find(text)).toEqual([]);
    expect(pipeline.embedder!.dimension).toBe(384);
  });

  it('publishes one capsule-embeddings record per new pair, with its vector', async () => {
    const out = (await recorders.embeddings.all()).map(
      (m) => JSON.parse(new TextDecoder().decode(m.value)) as CapsuleEmbeddingRecord,
    );
    expect(out.map((r) => r.id).sort()).toEqual([...pairs].sort());
    const first = out[0]!;
    expect(first).toMatchObject({
      apiVersion: 'slo-scout/v1',
      kind: 'CapsuleEmbedding',
      dimension: 384,
    });
    const vector = toEmbeddingVector(first);
    expect(vector).toHaveLength(384);
    const hits = await pipeline.vectors!.search({ vector, limit: 1, exact: true });
    expect(hits.ok && hits.value[0]?.capsule.id).toBe(first.id);
    expect(hits.ok && hits.value[0]!.similarity).toBeCloseTo(1, 5);
  });

  it('refuses unredacted capsules and dead-letters them with the reason', async () => {
    const letters = (await recorders.dead.all())
      .map((m) => m.headers)
      .filter((h) => h['x-slo-job'] === 'embed');
    expect(letters.map((h) => h['x-slo-error-code']).sort()).toEqual(['BAD_FRAME', 'UNREDACTED']);
    expect(letters.find((h) => h['x-slo-error-code'] === 'UNREDACTED')?.['x-slo-reason']).toMatch(
      /redaction_applied = true/,
    );
    const docs = await allDocuments(pipeline.vectors!);
    expect(docs.some((d) => d.fp === 'f'.repeat(64))).toBe(false);
    const metrics = await (await fetch(`${pipeline.url!}/metrics`)).text();
    expect(metrics).toMatch(/slo_pipeline_embed_refused_total\{reason="unredacted"\} 1\b/);
    expect(metrics).toMatch(
      new RegExp(`slo_pipeline_embedded_total\\{model="[^"]+"\\} ${pairs.size}\\b`),
    );
    expect(metrics).toMatch(/slo_pipeline_embed_batch_duration_seconds_count [1-9]/);
  });

  it('keeps one document per pair when events are sent again or replayed from the start', async () => {
    // A collector retry: the same telemetry again. The seen-set skips every pair.
    const producer = await bus.producer();
    await producer.send(records);
    await producer.close();
    await drained(pipeline);
    const metrics = await (await fetch(`${pipeline.url!}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`slo_pipeline_embedded_total\\{model="[^"]+"\\} ${pairs.size}\\b`),
    );

    // A replay from offset 0 with a seen-set of one pair (a restart, an evicting seen-set): every
    // pair is embedded again, and the upsert by id keeps exactly one document each.
    const replay = await startPipeline(
      parsePipelineConfig({
        roles: ['embed'],
        bus: { kind: 'embedded' },
        store: { kind: 'pglite' },
        blobs: { kind: 'local', dir: join(dir, 'blobs') },
        embed: { groupId: 'slo-embed-replay', seenCapacity: 1, maxBatchSize: 50 },
        logLevel: 'silent',
      }),
      {
        bus,
        store: pipeline.store,
        vectors: pipeline.vectors!,
        embedder: pipeline.embedder!,
        log: silent,
      },
    );
    try {
      await drained(replay, 'slo-embed-replay');
      const again = await replay.metrics.registry.getSingleMetricAsString(
        'slo_pipeline_embedded_total',
      );
      const reembedded = Number(/ (\d+)$/m.exec(again)?.[1] ?? 0);
      expect(reembedded).toBeGreaterThan(pairs.size);
    } finally {
      await replay.stop();
    }
    const docs = await allDocuments(pipeline.vectors!);
    expect(docs.map((d) => d.id).sort()).toEqual([...pairs].sort());
    const count = await pipeline.vectors!.count();
    expect(count.ok && count.value).toBe(pairs.size);
  });

  it('names bad vector and embedder fields', () => {
    expect(() =>
      parsePipelineConfig({
        bus: { kind: 'embedded' },
        store: { kind: 'pglite' },
        blobs: { kind: 'local', dir: '/tmp/x' },
        vectors: { kind: 'milvus', address: 'nope', collection: 'bad-name' },
        embedder: { kind: 'minilm' },
        embed: { batchSize: 0 },
      }),
    ).toThrow(
      /vectors\.address: must be host:port[\s\S]*vectors\.collection[\s\S]*embedder\.modelDir[\s\S]*embed\.batchSize/,
    );
  });
});

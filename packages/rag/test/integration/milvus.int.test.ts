import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { loadConnection } from '@slo-scout/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmbedder,
  createEvidenceRetriever,
  createLocalEmbeddingProvider,
} from '../../src/index.ts';
import {
  dropMilvusCollection,
  openMilvusStore,
  type MilvusStore,
} from '../../src/adapters/milvus/index.ts';
import {
  HOUR,
  NOW,
  corpus,
  embedAll,
  expectSearchLikeReference,
  expectStoredFieldsRoundTrip,
} from './shared.ts';

const { address } = loadConnection('milvus');
const embedder = createEmbedder(createLocalEmbeddingProvider());
const name = `capsules_${process.pid}`;
let client: MilvusClient;
let store: MilvusStore;

beforeAll(async () => {
  client = new MilvusClient({ address, logLevel: 'error' });
  await dropMilvusCollection(client, name);
  const opened = await openMilvusStore({
    client,
    name,
    model: embedder.model,
    dimension: embedder.dimension,
  });
  if (!opened.ok) throw opened.error;
  store = opened.value;
  const written = await store.upsert(await embedAll(embedder, corpus()));
  if (!written.ok) throw written.error;
});

afterAll(async () => {
  await dropMilvusCollection(client, name);
  await client.closeConnection();
});

describe('Milvus Lite', () => {
  it('builds an HNSW cosine index and records model and dimension', async () => {
    const index = await client.describeIndex({ collection_name: name, field_name: 'vector' });
    const params = Object.fromEntries(
      index.index_descriptions[0]!.params.map((p) => [p.key, p.value]),
    );
    expect(params).toMatchObject({ index_type: 'HNSW', metric_type: 'COSINE' });
    const described = await client.describeCollection({ collection_name: name });
    expect(Object.fromEntries(described.properties.map((p) => [p.key, p.value]))).toMatchObject({
      'slo_scout.model': embedder.model,
      'slo_scout.dimension': '384',
    });
  });

  it('filters on service, time bucket, severity and fingerprint like the reference store', async () => {
    await expectSearchLikeReference(store, embedder);
  });

  it('round-trips stored fields and upserts by id', async () => {
    await expectStoredFieldsRoundTrip(store);
    await store.upsert(await embedAll(embedder, corpus().slice(0, 4)));
    const n = await store.count();
    expect(n.ok && n.value).toBe(36);
  });

  it('refuses another model or dimension on reopen, and mismatched or unredacted records', async () => {
    const other = await openMilvusStore({
      client,
      name,
      model: 'all-MiniLM-L6-v2',
      dimension: 384,
    });
    expect(!other.ok && other.error.code).toBe('MODEL_MISMATCH');
    const wider = await openMilvusStore({ client, name, model: embedder.model, dimension: 1536 });
    expect(!wider.ok && wider.error.code).toBe('DIMENSION_MISMATCH');
    const [first] = await embedAll(embedder, corpus().slice(0, 1));
    const bad = await store.upsert([{ ...first!, vector: new Float32Array(10) }]);
    expect(!bad.ok && bad.error.code).toBe('DIMENSION_MISMATCH');
    const forged = await store.upsert([
      { ...first!, document: { ...first!.document, redactionApplied: false as unknown as true } },
    ]);
    expect(!forged.ok && forged.error.code).toBe('UNREDACTED_INPUT');
  });

  it('retrieves evidence through the store', async () => {
    const retriever = createEvidenceRetriever({ embedder, store });
    const r = await retriever.retrieve({
      text: 'card payment failed',
      nowMs: NOW,
      filter: { services: ['checkout'], fromMs: NOW - 24 * HOUR },
      limit: 2,
    });
    if (!r.ok) throw r.error;
    expect(r.value[0]).toMatchObject({
      fingerprint: 'pay',
      service: 'checkout',
      windowCount: 2,
      eventCount: 27,
    });
  });
});

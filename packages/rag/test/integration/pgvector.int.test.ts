import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmbedder,
  createEvidenceRetriever,
  createLocalEmbeddingProvider,
} from '../../src/index.ts';
import { openPgVectorStore, type PgVectorStore } from '../../src/adapters/pgvector/index.ts';
import {
  HOUR,
  NOW,
  corpus,
  embedAll,
  expectSearchLikeReference,
  expectStoredFieldsRoundTrip,
} from './shared.ts';

const embedder = createEmbedder(createLocalEmbeddingProvider());
let db: PGlite;
let store: PgVectorStore;

beforeAll(async () => {
  db = await PGlite.create({ extensions: { vector } });
  const opened = await openPgVectorStore({
    db,
    name: 'capsules',
    model: embedder.model,
    dimension: embedder.dimension,
  });
  if (!opened.ok) throw opened.error;
  store = opened.value;
  const written = await store.upsert(await embedAll(embedder, corpus()));
  expect(written.ok && written.value).toBe(36);
});

afterAll(async () => {
  await db.close();
});

describe('pgvector in PGlite', () => {
  it('uses an HNSW index for unfiltered searches', async () => {
    const indexes = await db.query<{ indexdef: string }>(
      "select indexdef from pg_indexes where tablename = 'rag_capsules'",
    );
    expect(indexes.rows.map((r) => r.indexdef).join('\n')).toMatch(
      /USING hnsw \(embedding vector_cosine_ops\)/,
    );
  });

  it.each([
    ['exact over the filtered rows', 20_000],
    ['the HNSW graph with iterative scans', 0],
    ['the HNSW graph after more than 2 rows matched', 2],
  ])(
    'searches with service, time and severity filters like the reference store, via %s',
    async (_, exactFilterRows) => {
      const reopened = await openPgVectorStore({
        db,
        name: 'capsules',
        model: embedder.model,
        dimension: 384,
        exactFilterRows,
      });
      if (!reopened.ok) throw reopened.error;
      await expectSearchLikeReference(reopened.value, embedder);
    },
  );

  it('round-trips every stored field', async () => {
    await expectStoredFieldsRoundTrip(store);
  });

  it('upserts by id instead of duplicating', async () => {
    await store.upsert(await embedAll(embedder, corpus().slice(0, 5)));
    const n = await store.count();
    expect(n.ok && n.value).toBe(36);
  });

  it('refuses to reopen the collection with another model or dimension, and mismatched vectors', async () => {
    const other = await openPgVectorStore({
      db,
      name: 'capsules',
      model: 'all-MiniLM-L6-v2',
      dimension: 384,
    });
    expect(!other.ok && other.error.code).toBe('MODEL_MISMATCH');
    const wider = await openPgVectorStore({
      db,
      name: 'capsules',
      model: embedder.model,
      dimension: 1536,
    });
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
    expect(r.value[0]?.sampleRefs).toEqual(['pay-checkout-1', 'pay-checkout-6']);
  });

  it('reports a PGlite without the vector extension as STORE_FAILED', async () => {
    const plain = await PGlite.create();
    try {
      const r = await openPgVectorStore({ db: plain, name: 'x', model: 'm', dimension: 3 });
      expect(!r.ok && r.error.code).toBe('STORE_FAILED');
    } finally {
      await plain.close();
    }
  });
});

import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmbedder,
  createEvidenceRetriever,
  createLocalEmbeddingProvider,
  matchesFilter,
  type EmbeddedCapsule,
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

/** A small seeded PRNG (mulberry32) for the generated rows. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
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

  it('answers selective filters exactly from an index-only scan once upserts have vacuumed', async () => {
    // 4,000 rows over 8 services and 24 severities; the filter matches about 1%.
    const dimension = 16;
    const random = seeded(7);
    const unit = (): Float32Array => {
      const v = Float32Array.from({ length: dimension }, () => random() - 0.5);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const rows: EmbeddedCapsule[] = Array.from({ length: 4000 }, (_, i) => ({
      model: 'test/16',
      vector: unit(),
      document: {
        id: `w${i}`,
        fingerprint: `fp${i % 50}`,
        service: `svc${i % 8}`,
        template: `template ${i % 50}`,
        severity: 1 + ((i * 7) % 24),
        timeBucketMs: NOW - (i % 100) * HOUR,
        count: 1,
        lastSeenMs: NOW,
        sampleRefs: [],
        text: `template ${i % 50}`,
        redactionApplied: true,
      },
    }));
    const opened = await openPgVectorStore({
      db,
      name: 'filtered',
      model: 'test/16',
      dimension,
      vacuumEveryRows: 1000,
    });
    if (!opened.ok) throw opened.error;
    const filtered = opened.value;
    for (let i = 0; i < rows.length; i += 500) {
      const r = await filtered.upsert(rows.slice(i, i + 500));
      if (!r.ok) throw r.error;
    }
    // Without the store's own vacuum, PGlite (no autovacuum) never marks a page all-visible.
    const visible = await db.query<{ relallvisible: number }>(
      "select relallvisible from pg_class where relname = 'rag_filtered'",
    );
    expect(visible.rows[0]?.relallvisible).toBeGreaterThan(0);

    const filter = { services: ['svc3'], minSeverity: 17, fromMs: NOW - 50 * HOUR };
    const query = unit();
    const explained = await filtered.explain({ vector: query, limit: 5, filter });
    if (!explained.ok) throw explained.error;
    expect(explained.value.path).toBe('exact');
    expect(explained.value.plan).toMatch(/Index Only Scan using rag_filtered_filter/);
    expect(explained.value.plan).toMatch(/Heap Fetches: 0/);

    const hits = await filtered.search({ vector: query, limit: 5, filter });
    if (!hits.ok) throw hits.error;
    const expected = rows
      .filter((r) => matchesFilter(r.document, filter))
      .map((r) => ({ id: r.document.id, score: dot(r.vector, query) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 5);
    expect(expected).toHaveLength(5);
    expect(hits.value.map((h) => h.capsule.id)).toEqual(expected.map((e) => e.id));
    for (const [i, hit] of hits.value.entries()) {
      expect(hit.similarity).toBeCloseTo(expected[i]!.score, 5);
      expect(hit.capsule).toMatchObject({ service: 'svc3', template: expect.any(String) });
    }
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

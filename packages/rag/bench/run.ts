/**
 * Benchmarks of @slo-scout/rag, printed as Markdown:
 *  - local embedder throughput on the Loghub-2k messages (synthetic text when the data is absent);
 *  - pgvector in PGlite: bulk load, HNSW build, recall@10 of HNSW against exact search, and
 *    p50/p95 latency of unfiltered and filtered searches, for each size in RAG_BENCH_SIZES.
 *
 * Usage: npm run bench            (sizes 100000)
 *        RAG_BENCH_SIZES=100000,1000000 RAG_BENCH_QUERIES=200 npm run bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { findRepoRoot } from '@slo-scout/testkit';
import {
  LOCAL_EMBEDDER_DIMENSION,
  createEmbedder,
  createLocalEmbeddingProvider,
  type VectorFilter,
  type VectorHit,
} from '../src/index.ts';
import { openPgVectorStore } from '../src/adapters/pgvector/index.ts';
import {
  START_MS,
  SERVICES,
  createVectorSource,
  loadLoghubMessages,
  syntheticCapsule,
} from './data.ts';

const sizes = (process.env['RAG_BENCH_SIZES'] ?? '100000').split(',').map(Number);
const queries = Number(process.env['RAG_BENCH_QUERIES'] ?? 200);
const recallQueries = Number(process.env['RAG_BENCH_RECALL_QUERIES'] ?? 100);
const dimension = LOCAL_EMBEDDER_DIMENSION;
const efSearches = (process.env['RAG_BENCH_EF'] ?? '100,200,400').split(',').map(Number);
const model = 'bench/clustered-384';

function percentile(sorted: readonly number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

function fmt(x: number, digits = 1): string {
  return x.toFixed(digits);
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function benchEmbedder(): Promise<string[]> {
  const shared = join(findRepoRoot(), '..', 'shared');
  let texts = loadLoghubMessages(shared);
  let source = 'Loghub-2k Content (16k messages)';
  if (texts === undefined) {
    log(`no ${shared}/benchmarks: using synthetic messages for the embedder benchmark`);
    texts = Array.from(
      { length: 16_000 },
      (_, i) => `request ${i} to /api/v1/items/${i % 97} failed with status ${500 + (i % 4)}`,
    );
    source = 'synthetic messages';
  }
  const embedder = createEmbedder(createLocalEmbeddingProvider());
  await embedder.embed(texts.slice(0, 1000)); // warm-up
  const rounds = 3;
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    const result = await embedder.embed(texts);
    if (!result.ok) throw result.error;
  }
  const seconds = (performance.now() - started) / 1000;
  const rate = (texts.length * rounds) / seconds;
  return [
    '| embedder | input | texts | embeddings/s |',
    '|---|---|---:|---:|',
    `| local feature hashing (384 d) | ${source} | ${texts.length * rounds} | ${Math.round(rate).toLocaleString('en-US')} |`,
  ];
}

function overlap(a: readonly VectorHit[], b: readonly VectorHit[]): number {
  const truth = new Set(b.map((h) => h.capsule.id));
  return a.filter((h) => truth.has(h.capsule.id)).length;
}

async function benchPgvector(size: number): Promise<string> {
  const dir = size > 200_000 ? mkdtempSync(join(tmpdir(), 'rag-bench-')) : undefined;
  const db = await PGlite.create({
    extensions: { vector },
    ...(dir === undefined ? {} : { dataDir: dir }),
  });
  try {
    await db.exec("set maintenance_work_mem = '1GB'");
    const opened = await openPgVectorStore({
      db,
      name: 'bench',
      model,
      dimension,
      deferIndex: true,
    });
    if (!opened.ok) throw opened.error;
    const store = opened.value;
    const next = createVectorSource(dimension, 2000, 42);
    let t0 = performance.now();
    const chunk = 2000;
    for (let start = 0; start < size; start += chunk) {
      const batch = [];
      for (let i = start; i < Math.min(size, start + chunk); i++)
        batch.push(syntheticCapsule(i, next(0.6), model));
      const written = await store.upsert(batch);
      if (!written.ok) throw written.error;
      if (start % 100_000 === 0) log(`${size}: loaded ${start}`);
    }
    const loadS = (performance.now() - t0) / 1000;
    log(`${size}: loaded in ${fmt(loadS)} s, building HNSW`);
    t0 = performance.now();
    const indexed = await store.ensureIndex();
    if (!indexed.ok) throw indexed.error;
    const indexS = (performance.now() - t0) / 1000;
    log(`${size}: HNSW built in ${fmt(indexS)} s`);
    await db.exec('analyze');

    const queryVectors = Array.from({ length: Math.max(queries, recallQueries) }, () => next(0.6));
    const filterFor = (i: number): VectorFilter => ({
      services: [SERVICES[i % SERVICES.length] as string],
      minSeverity: 13,
      fromMs: START_MS + 4 * 86_400_000,
    });
    const truth: VectorHit[][] = [];
    const filteredTruth: VectorHit[][] = [];
    for (let i = 0; i < recallQueries; i++) {
      const v = queryVectors[i] as Float32Array;
      const exact = await store.search({ vector: v, limit: 10, exact: true });
      const fExact = await store.search({
        vector: v,
        limit: 10,
        filter: filterFor(i),
        exact: true,
      });
      if (!exact.ok || !fExact.ok) throw new Error('exact search failed');
      truth.push(exact.value);
      filteredTruth.push(fExact.value);
    }
    log(`${size}: exact neighbours computed`);
    const rows: string[] = [];
    for (const efSearch of efSearches) {
      const reopened = await openPgVectorStore({ db, name: 'bench', model, dimension, efSearch });
      if (!reopened.ok) throw reopened.error;
      const s = reopened.value;
      let hits = 0;
      let fHits = 0;
      let fTotal = 0;
      for (let i = 0; i < recallQueries; i++) {
        const v = queryVectors[i] as Float32Array;
        const approx = await s.search({ vector: v, limit: 10 });
        const fApprox = await s.search({ vector: v, limit: 10, filter: filterFor(i) });
        if (!approx.ok || !fApprox.ok) throw new Error('search failed');
        hits += overlap(approx.value, truth[i] ?? []);
        fHits += overlap(fApprox.value, filteredTruth[i] ?? []);
        fTotal += filteredTruth[i]?.length ?? 0;
      }
      const time = async (filtered: boolean): Promise<number[]> => {
        const out: number[] = [];
        for (let i = 0; i < queries; i++) {
          const t = performance.now();
          const r = await s.search({
            vector: queryVectors[i] as Float32Array,
            limit: 10,
            ...(filtered ? { filter: filterFor(i) } : {}),
          });
          out.push(performance.now() - t);
          if (!r.ok) throw r.error;
        }
        return out.sort((a, b) => a - b);
      };
      const plain = await time(false);
      const filtered = await time(true);
      rows.push(
        `| ${size.toLocaleString('en-US')} | ${efSearch} | ${fmt(loadS)} | ${fmt(indexS)} | ${fmt(hits / (recallQueries * 10), 3)} | ${fmt(fHits / Math.max(1, fTotal), 3)} | ${fmt(percentile(plain, 50), 2)} | ${fmt(percentile(plain, 95), 2)} | ${fmt(percentile(filtered, 50), 2)} | ${fmt(percentile(filtered, 95), 2)} |`,
      );
      log(rows[rows.length - 1] ?? '');
    }
    return rows.join('\n');
  } finally {
    await db.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

const out: string[] = ['### Local embedder', '', ...(await benchEmbedder()), ''];
out.push(
  '### pgvector in PGlite (384 d, HNSW m=16 ef_construction=64, cosine, iterative scan)',
  '',
  `Recall@10 over ${recallQueries} queries against exact search; latency over ${queries} sequential queries, top 10.`,
  'Filter: one of 20 services, severity >= 13, last 3 of 7 days (about 1.1% of rows; such filters are answered exactly from the btree index).',
  '',
  '| vectors | ef_search | load s | HNSW build s | recall@10 | filtered recall@10 | p50 ms | p95 ms | filtered p50 ms | filtered p95 ms |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
);
for (const size of sizes) {
  log(`pgvector ${size}`);
  out.push(await benchPgvector(size));
}
process.stdout.write(`${out.join('\n')}\n`);

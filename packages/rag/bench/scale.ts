/**
 * pgvector-in-PGlite benchmark at scale (100k, 1M), printed as Markdown.
 *
 *  - Load: binary COPY from generated buffers, in batches inside one transaction.
 *  - Exact neighbours are computed in JS while the rows are generated (a full scan per query in
 *    PGlite would take longer than the index build at 1M).
 *  - Index: HNSW built once after the load. With RAG_BENCH_PARTITIONS = 7 the table is range
 *    partitioned by day and each day gets its own HNSW graph: a single 1M-vector graph of 384-d
 *    float vectors needs about 2.1 GB of maintenance_work_mem, more than PGlite's 2 GB WASM heap,
 *    and pgvector then falls back to much slower on-disk inserts; a halfvec graph fits but
 *    computes distances about 7x slower in WASM (no F16C).
 *  - Latency: unfiltered, filtered through the store (exact, an index-only scan of the filter
 *    index, when few rows match),
 *    and filtered forced through HNSW with iterative scan; p50/p95 over RAG_BENCH_QUERIES
 *    sequential queries, median of the p95s over RAG_BENCH_REPEATS repetitions.
 *
 * Usage (from packages/rag):
 *   npm run bench:1m                                   (1M vectors, 7 day partitions)
 *   RAG_BENCH_SIZE=100000 RAG_BENCH_PARTITIONS=1 npm run bench:scale
 * Other knobs: RAG_BENCH_M (16), RAG_BENCH_EFC (40), RAG_BENCH_EF (100,200), RAG_BENCH_QUERIES
 * (200), RAG_BENCH_RECALL_QUERIES (50), RAG_BENCH_REPEATS (3), RAG_BENCH_MWM (maintenance_work_mem,
 * 1GB), RAG_BENCH_DIR (parent of the temporary data dir, os.tmpdir()).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { VectorFilter, VectorHit } from '../src/index.ts';
import { openPgVectorStore } from '../src/adapters/pgvector/index.ts';
import { COPY_COLUMNS, encodeBinaryCopy } from './copy.ts';
import { SERVICES, START_MS, createVectorSource, syntheticCapsule } from './data.ts';

const env = (name: string, fallback: string): string => process.env[name] ?? fallback;
const size = Number(env('RAG_BENCH_SIZE', '1000000'));
const partitions = Number(env('RAG_BENCH_PARTITIONS', '7'));
const m = Number(env('RAG_BENCH_M', '16'));
const efConstruction = Number(env('RAG_BENCH_EFC', '40'));
const efSearches = env('RAG_BENCH_EF', '100,200').split(',').map(Number);
const queries = Number(env('RAG_BENCH_QUERIES', '200'));
const recallQueries = Number(env('RAG_BENCH_RECALL_QUERIES', '50'));
const repeats = Number(env('RAG_BENCH_REPEATS', '3'));
const maintenanceWorkMem = env('RAG_BENCH_MWM', '1GB');
const dimension = 384;
const model = 'bench/clustered-384';
const DAY = 86_400_000;
const BATCH = 10_000;

const started = performance.now();
function log(message: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(0);
  process.stderr.write(`[bench:scale +${s}s] ${message}\n`);
}
const fmt = (x: number, digits = 1): string => x.toFixed(digits);
function percentile(sorted: readonly number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}
const median = (xs: readonly number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** The filter of query `i`: one of 20 services, severity >= 13, the last 3 of 7 days (~1.1%). */
function filterFor(i: number): VectorFilter {
  return {
    services: [SERVICES[i % SERVICES.length] as string],
    minSeverity: 13,
    fromMs: START_MS + 4 * DAY,
  };
}

function matches(filter: VectorFilter, service: string, severity: number, t: number): boolean {
  return (
    (filter.services?.includes(service) ?? true) &&
    severity >= (filter.minSeverity ?? -Infinity) &&
    t >= (filter.fromMs ?? -Infinity)
  );
}

/** Exact top-k by dot product (the vectors are unit length, so cosine order). */
class TopK {
  readonly ids: string[] = [];
  readonly scores: number[] = [];
  constructor(private readonly k: number) {}
  offer(id: string, score: number): void {
    if (this.ids.length === this.k && score <= (this.scores[this.k - 1] as number)) return;
    let i = this.ids.length;
    while (i > 0 && (this.scores[i - 1] as number) < score) i--;
    this.ids.splice(i, 0, id);
    this.scores.splice(i, 0, score);
    if (this.ids.length > this.k) {
      this.ids.pop();
      this.scores.pop();
    }
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * The collection table (the store's layout, created here so the store's own indexes are built
 * after the load), range partitioned by day when `partitions` > 1; its leaf tables.
 */
async function createTable(db: PGlite): Promise<string[]> {
  const partitioned = partitions > 1;
  await db.exec(`create table rag_bench (
      id text not null,
      embedding vector(${dimension}) not null,
      fingerprint text not null,
      service text not null,
      template text not null,
      severity integer not null,
      time_bucket_ms bigint not null,
      count bigint not null,
      last_seen_ms bigint not null,
      sample_refs text[] not null,
      ${partitioned ? 'primary key (id, time_bucket_ms)) partition by range (time_bucket_ms)' : 'primary key (id))'}`);
  if (!partitioned) return ['rag_bench'];
  const names: string[] = [];
  const span = Math.ceil(7 / partitions) * DAY;
  for (let p = 0; p < partitions; p++) {
    const from = p === 0 ? 'minvalue' : String(START_MS + p * span);
    const to = p === partitions - 1 ? 'maxvalue' : String(START_MS + (p + 1) * span);
    names.push(`rag_bench_p${p}`);
    await db.exec(
      `create table rag_bench_p${p} partition of rag_bench for values from (${from}) to (${to})`,
    );
  }
  return names;
}

const parent = mkdtempSync(join(env('RAG_BENCH_DIR', tmpdir()), 'rag-bench-scale-'));
const dataDir = join(parent, 'pgdata');
log(
  `size ${size}, partitions ${partitions}, m ${m}, ef_construction ${efConstruction}, data dir ${dataDir}`,
);
const db = await PGlite.create({ dataDir, extensions: { vector } });
try {
  await db.exec('create extension if not exists vector');
  const tables = await createTable(db);

  // Queries first, then the data, all from one seeded stream.
  const next = createVectorSource(dimension, 2000, 42);
  const queryCount = Math.max(queries, recallQueries);
  const queryVectors = Array.from({ length: queryCount }, () => next(0.6));
  const filters = Array.from({ length: queryCount }, (_, i) => filterFor(i));
  const truth = Array.from({ length: recallQueries }, () => new TopK(10));
  const filteredTruth = Array.from({ length: recallQueries }, () => new TopK(10));
  let filteredRows = 0;

  let t0 = performance.now();
  await db.transaction(async (tx) => {
    for (let start = 0; start < size; start += BATCH) {
      const rows = [];
      for (let i = start; i < Math.min(size, start + BATCH); i++) {
        const row = syntheticCapsule(i, next(0.6), model);
        const d = row.document;
        for (let q = 0; q < recallQueries; q++) {
          const score = dot(queryVectors[q] as Float32Array, row.vector);
          truth[q]?.offer(d.id, score);
          if (matches(filters[q] as VectorFilter, d.service, d.severity, d.timeBucketMs)) {
            filteredTruth[q]?.offer(d.id, score);
            if (q === 0) filteredRows++;
          }
        }
        rows.push(row);
      }
      await tx.query(`copy rag_bench (${COPY_COLUMNS}) from '/dev/blob' with (format binary)`, [], {
        blob: new Blob([encodeBinaryCopy(rows)]),
      });
      const done = Math.min(size, start + BATCH);
      if (done % 100_000 === 0 || done === size) {
        const s = (performance.now() - t0) / 1000;
        log(`loaded ${done} in ${fmt(s)} s (${Math.round(done / s)} vectors/s)`);
      }
    }
  });
  const loadS = (performance.now() - t0) / 1000;
  // The store's own tables and indexes (the filter index, built in bulk here), after the load.
  t0 = performance.now();
  const opened = await openPgVectorStore({
    db,
    name: 'bench',
    model,
    dimension,
    m,
    efConstruction,
    deferIndex: true,
  });
  if (!opened.ok) throw opened.error;
  const filterIndexS = (performance.now() - t0) / 1000;
  log(`store opened (filter index built) in ${fmt(filterIndexS)} s`);

  t0 = performance.now();
  await db.exec(`set maintenance_work_mem = '${maintenanceWorkMem}'`);
  let indexed = 0;
  const notices: string[] = [];
  for (const table of tables) {
    const t1 = performance.now();
    const counted = await db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    const n = counted.rows[0]?.n ?? 0;
    await db.query(
      `create index ${table}_hnsw on ${table} using hnsw (embedding vector_cosine_ops)
       with (m = ${m}, ef_construction = ${efConstruction})`,
      [],
      { onNotice: (notice) => notices.push(`${table}: ${notice.message}`) },
    );
    indexed += n;
    const s = (performance.now() - t0) / 1000;
    log(
      `HNSW on ${table} (${n} rows) in ${fmt((performance.now() - t1) / 1000)} s; ` +
        `${indexed}/${size} indexed, ${Math.round(indexed / s)} vectors/s, ` +
        `about ${fmt(((size - indexed) * s) / indexed / 60)} min left`,
    );
  }
  const indexS = (performance.now() - t0) / 1000;
  for (const notice of notices) log(`notice: ${notice}`);
  // COPY bypasses upsert's periodic vacuum: vacuum once, as after any bulk load.
  t0 = performance.now();
  const vacuumed = await opened.value.vacuum();
  if (!vacuumed.ok) throw vacuumed.error;
  const vacuumS = (performance.now() - t0) / 1000;
  log(`vacuum + analyze in ${fmt(vacuumS)} s`);

  const explainSql = (ef: number): string =>
    `explain select id from rag_bench where service = any('{${SERVICES[0] ?? ''}}'::text[])
       and time_bucket_ms >= ${START_MS + 4 * DAY} and severity >= 13
       order by embedding <=> '[${Array.from(queryVectors[0] ?? []).join(',')}]'::vector limit 10 -- ef ${ef}`;
  const plan = await db.transaction(async (tx) => {
    await tx.exec(`set local hnsw.iterative_scan = relaxed_order`);
    return tx.query<{ 'QUERY PLAN': string }>(explainSql(efSearches[0] ?? 100));
  });
  const planText = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  log(`EXPLAIN filtered HNSW query:\n${planText}`);
  const usesHnsw = /Index Scan using \S*_hnsw/.test(planText);

  const rows: string[] = [];
  for (const efSearch of efSearches) {
    const adaptive = await openPgVectorStore({ db, name: 'bench', model, dimension, efSearch });
    const graph = await openPgVectorStore({
      db,
      name: 'bench',
      model,
      dimension,
      efSearch,
      exactFilterRows: 0,
    });
    if (!adaptive.ok || !graph.ok) throw new Error('reopen failed');
    const recall = async (store: typeof adaptive.value, filtered: boolean): Promise<number> => {
      let hits = 0;
      let total = 0;
      for (let q = 0; q < recallQueries; q++) {
        const r = await store.search({
          vector: queryVectors[q] as Float32Array,
          limit: 10,
          ...(filtered ? { filter: filters[q] as VectorFilter } : {}),
        });
        if (!r.ok) throw r.error;
        const expected = new Set((filtered ? filteredTruth[q] : truth[q])?.ids ?? []);
        hits += r.value.filter((h: VectorHit) => expected.has(h.capsule.id)).length;
        total += expected.size;
      }
      return hits / Math.max(1, total);
    };
    const recallPlain = await recall(graph.value, false);
    const recallAdaptive = await recall(adaptive.value, true);
    const recallGraph = await recall(graph.value, true);
    const time = async (
      store: typeof adaptive.value,
      filtered: boolean,
    ): Promise<{ p50: number; p95: number; p95s: number[] }> => {
      const p50s: number[] = [];
      const p95s: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const out: number[] = [];
        for (let q = 0; q < queries; q++) {
          const t = performance.now();
          const res = await store.search({
            vector: queryVectors[q] as Float32Array,
            limit: 10,
            ...(filtered ? { filter: filters[q] as VectorFilter } : {}),
          });
          out.push(performance.now() - t);
          if (!res.ok) throw res.error;
        }
        out.sort((a, b) => a - b);
        p50s.push(percentile(out, 50));
        p95s.push(percentile(out, 95));
      }
      return { p50: median(p50s), p95: median(p95s), p95s };
    };
    const plain = await time(graph.value, false);
    const viaStore = await time(adaptive.value, true);
    const viaGraph = await time(graph.value, true);
    const p95s = (x: { p95s: number[] }): string => x.p95s.map((v) => fmt(v, 0)).join(' / ');
    rows.push(
      `| ${size.toLocaleString('en-US')} | ${partitions} | ${efSearch} | ${fmt(loadS)} | ${fmt(indexS)} | ` +
        `${fmt(recallPlain, 3)} | ${fmt(recallAdaptive, 3)} | ${fmt(recallGraph, 3)} | ` +
        `${fmt(plain.p50, 1)} | ${fmt(plain.p95, 1)} | ${fmt(viaStore.p50, 1)} | ${fmt(viaStore.p95, 1)} | ` +
        `${fmt(viaGraph.p50, 1)} | ${fmt(viaGraph.p95, 1)} |`,
    );
    log(rows[rows.length - 1] ?? '');
    log(
      `p95 per repeat: unfiltered ${p95s(plain)}, filtered (store) ${p95s(viaStore)}, filtered (HNSW) ${p95s(viaGraph)}`,
    );
  }
  const out = [
    `### pgvector in PGlite, ${size.toLocaleString('en-US')} vectors (384 d, HNSW m=${m} ef_construction=${efConstruction}, cosine)`,
    '',
    `Load by binary COPY in batches of ${BATCH.toLocaleString('en-US')} rows in one transaction, then the store's filter index (${fmt(filterIndexS)} s), one HNSW build per partition (maintenance_work_mem ${maintenanceWorkMem}) and one vacuum + analyze (${fmt(vacuumS)} s).`,
    `Recall@10 over ${recallQueries} queries against exact neighbours computed while generating; latency over ${queries} sequential queries, top 10, median over ${repeats} repetitions.`,
    `Filter: one of 20 services, severity >= 13, last 3 of 7 days (${filteredRows.toLocaleString('en-US')} rows, ${fmt((100 * filteredRows) / size, 2)}%). "store" = the store's default (exact, an index-only scan of the filter index, when <= 20,000 rows match); "HNSW" = forced through the graph with hnsw.iterative_scan = relaxed_order (EXPLAIN: ${usesHnsw ? 'index scan on the HNSW index' : 'HNSW index NOT used'}).`,
    '',
    '| vectors | partitions | ef_search | load s | HNSW build s | recall@10 | filtered recall@10 (store) | filtered recall@10 (HNSW) | p50 ms | p95 ms | filtered p50 ms (store) | filtered p95 ms (store) | filtered p50 ms (HNSW) | filtered p95 ms (HNSW) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  await db.close();
  rmSync(parent, { recursive: true, force: true });
  log(`removed ${parent}`);
}

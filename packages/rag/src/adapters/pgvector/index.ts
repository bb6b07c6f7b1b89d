/**
 * pgvector inside PGlite: the embedded default vector store. The PGlite instance is a parameter,
 * so an app can keep its vectors in the same database as its other tables; it must be created
 * with the `vector` extension (`@electric-sql/pglite-pgvector`).
 *
 * Filtered searches: a btree on `(service, severity, time_bucket_ms)` that also carries `id` and
 * the embedding answers the count and the exact scoring of selective filters as index-only scans
 * (PostgreSQL 18 skips over the severity values), so they read the matching index entries in
 * order instead of one random heap page per candidate row. Index-only scans need the visibility
 * map, and PGlite runs no autovacuum, so the store vacuums the table itself every
 * `vacuumEveryRows` upserted rows (and in `ensureIndex()`); rows written since then are still
 * found, through the heap.
 */
import type { PGliteInterface, Transaction } from '@electric-sql/pglite';
import { RagError, fail, ok, toRagError, type RagResult } from '../../errors.ts';
import type { EmbeddedCapsule } from '../../core/embedder.ts';
import {
  checkQuery,
  checkRecords,
  collectionMismatch,
  validateCollectionInfo,
  type CollectionInfo,
  type StoredCapsule,
  type VectorFilter,
  type VectorHit,
  type VectorQuery,
  type VectorStore,
} from '../../core/vector-store.ts';

/** Options of {@link openPgVectorStore}. */
export interface PgVectorStoreOptions extends CollectionInfo {
  /** A PGlite instance created with `extensions: { vector }`. */
  readonly db: PGliteInterface;
  /** HNSW graph degree. Default 16. */
  readonly m?: number;
  /** HNSW build candidate list. Default 64. */
  readonly efConstruction?: number;
  /** HNSW search candidate list (`hnsw.ef_search`). Default 100. */
  readonly efSearch?: number;
  /** Rows per INSERT statement. Default 200. */
  readonly insertBatch?: number;
  /**
   * A filtered search that matches at most this many rows is answered exactly from the btree
   * (service, time) index instead of walking the HNSW graph. Default 20 000; 0 always uses HNSW.
   */
  readonly exactFilterRows?: number;
  /** Skip building the HNSW index at open (bulk loads); call `ensureIndex()` afterwards. */
  readonly deferIndex?: boolean;
  /**
   * Vacuum the table after this many upserted rows, keeping the visibility map current for the
   * index-only filtered path (PGlite has no autovacuum). Default 10 000; 0 never vacuums.
   */
  readonly vacuumEveryRows?: number;
}

/** A pgvector store; `table` names the SQL table holding the collection. */
export interface PgVectorStore extends VectorStore {
  readonly table: string;
  /** Builds the HNSW index when it is missing (after a bulk load with `deferIndex`), then vacuums. */
  ensureIndex(): Promise<RagResult<void>>;
  /**
   * Vacuums the table (and analyses it when it grew by a tenth since the last analysis), so
   * filtered searches run as index-only scans. Call after bulk loads that bypass `upsert`.
   */
  vacuum(): Promise<RagResult<void>>;
  /**
   * Runs `query` under `EXPLAIN (ANALYZE, BUFFERS)`: the path the store chose (exact scoring of
   * the filtered rows, or the HNSW graph) and PostgreSQL's plan, for diagnosing slow searches.
   */
  explain(query: VectorQuery): Promise<RagResult<{ path: SearchPath; plan: string }>>;
}

/** How a search was answered: every filtered row scored, or a walk of the HNSW graph. */
export type SearchPath = 'exact' | 'hnsw';

const COLUMNS =
  'id, fingerprint, service, template, severity, time_bucket_ms, count, last_seen_ms, sample_refs';

interface Row {
  id: string;
  fingerprint: string;
  service: string;
  template: string;
  severity: number | string;
  time_bucket_ms: number | bigint | string;
  count: number | bigint | string;
  last_seen_ms: number | bigint | string;
  sample_refs: string[];
  similarity: number | string;
}

/** Formats a vector as a pgvector literal. */
export function toVectorLiteral(vector: ArrayLike<number>): string {
  let out = '[';
  for (let i = 0; i < vector.length; i++) out += (i === 0 ? '' : ',') + String(vector[i]);
  return `${out}]`;
}

/** Builds the WHERE clause of a filter; parameters start at `$first`. */
export function toSqlFilter(
  filter: VectorFilter | undefined,
  first: number,
): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown): void => {
    params.push(value);
    clauses.push(clause(`$${first + params.length - 1}`));
  };
  if (filter?.services !== undefined)
    add((p) => `service = any(${p}::text[])`, [...filter.services]);
  if (filter?.fingerprints !== undefined) {
    add((p) => `fingerprint = any(${p}::text[])`, [...filter.fingerprints]);
  }
  if (filter?.fromMs !== undefined) add((p) => `time_bucket_ms >= ${p}`, filter.fromMs);
  if (filter?.toMs !== undefined) add((p) => `time_bucket_ms < ${p}`, filter.toMs);
  if (filter?.minSeverity !== undefined) add((p) => `severity >= ${p}`, filter.minSeverity);
  return { sql: clauses.length === 0 ? '' : `where ${clauses.join(' and ')}`, params };
}

function toCapsule(row: Row): StoredCapsule {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    service: row.service,
    template: row.template,
    severity: Number(row.severity),
    timeBucketMs: Number(row.time_bucket_ms),
    count: Number(row.count),
    lastSeenMs: Number(row.last_seen_ms),
    sampleRefs: row.sample_refs,
  };
}

function intOption(name: string, value: number, range: readonly [number, number]): number {
  const [min, max] = range;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RagError('INVALID_OPTIONS', `${name} must be an integer in [${min}, ${max}]`);
  }
  return value;
}

/**
 * Opens (creating when absent) a collection table with an HNSW cosine index. A collection that
 * exists with another model or dimension gives `MODEL_MISMATCH` / `DIMENSION_MISMATCH`.
 */
export async function openPgVectorStore(
  options: PgVectorStoreOptions,
): Promise<RagResult<PgVectorStore>> {
  const info = validateCollectionInfo({
    name: options.name,
    model: options.model,
    dimension: options.dimension,
  });
  if (info.dimension > 2000) {
    throw new RagError(
      'INVALID_OPTIONS',
      'pgvector HNSW indexes vectors of at most 2000 dimensions',
    );
  }
  const m = intOption('m', options.m ?? 16, [2, 100]);
  const efConstruction = intOption('efConstruction', options.efConstruction ?? 64, [4, 1000]);
  const efSearch = intOption('efSearch', options.efSearch ?? 100, [1, 1000]);
  const insertBatch = intOption('insertBatch', options.insertBatch ?? 200, [1, 5000]);
  const exactFilterRows = intOption('exactFilterRows', options.exactFilterRows ?? 20_000, [0, 1e9]);
  const vacuumEveryRows = intOption('vacuumEveryRows', options.vacuumEveryRows ?? 10_000, [0, 1e9]);
  const { db } = options;
  const table = `rag_${info.name.toLowerCase()}`;
  const indexSql = `create index if not exists ${table}_hnsw on ${table}
    using hnsw (embedding vector_cosine_ops) with (m = ${m}, ef_construction = ${efConstruction})`;
  try {
    await db.exec('create extension if not exists vector');
  } catch (error) {
    return fail(
      new RagError(
        'STORE_FAILED',
        'pgvector is not loaded: create PGlite with extensions: { vector }',
        {
          cause: error,
        },
      ),
    );
  }
  try {
    const stored = await db.transaction(async (tx) => {
      await tx.exec(`create table if not exists rag_collections (
        name text primary key, model text not null, dimension integer not null)`);
      await tx.query(
        'insert into rag_collections (name, model, dimension) values ($1, $2, $3) on conflict (name) do nothing',
        [info.name, info.model, info.dimension],
      );
      const rows = await tx.query<{ model: string; dimension: number }>(
        'select model, dimension from rag_collections where name = $1',
        [info.name],
      );
      return rows.rows[0];
    });
    if (stored === undefined) return fail(new RagError('STORE_FAILED', 'collection row vanished'));
    const mismatch = collectionMismatch({ ...info, ...stored }, info);
    if (mismatch !== undefined) return fail(mismatch);
    await db.exec(`create table if not exists ${table} (
        id text primary key,
        embedding vector(${info.dimension}) not null,
        fingerprint text not null,
        service text not null,
        template text not null,
        severity integer not null,
        time_bucket_ms bigint not null,
        count bigint not null,
        last_seen_ms bigint not null,
        sample_refs text[] not null);
      create index if not exists ${table}_filter on ${table}
        (service, severity, time_bucket_ms) include (id, embedding);
      drop index if exists ${table}_service_time;`);
    if (options.deferIndex !== true) await db.exec(indexSql);
  } catch (error) {
    return fail(toRagError(error));
  }

  async function writeBatch(tx: Transaction, batch: readonly EmbeddedCapsule[]): Promise<void> {
    const params: unknown[] = [];
    const values = batch.map((r) => {
      const d = r.document;
      const base = params.length;
      params.push(
        d.id,
        toVectorLiteral(r.vector),
        d.fingerprint,
        d.service,
        d.template,
        d.severity,
        d.timeBucketMs,
        d.count,
        d.lastSeenMs,
        [...d.sampleRefs],
      );
      const p = (i: number): string => `$${base + i}`;
      return `(${p(1)}, ${p(2)}::vector, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}::text[])`;
    });
    await tx.query(
      `insert into ${table} (id, embedding, fingerprint, service, template, severity, time_bucket_ms, count, last_seen_ms, sample_refs)
       values ${values.join(', ')}
       on conflict (id) do update set embedding = excluded.embedding, fingerprint = excluded.fingerprint,
         service = excluded.service, template = excluded.template, severity = excluded.severity,
         time_bucket_ms = excluded.time_bucket_ms, count = excluded.count,
         last_seen_ms = excluded.last_seen_ms, sample_refs = excluded.sample_refs`,
      params,
    );
  }

  // Rows upserted since the last vacuum; the row count at the last analysis.
  let unvacuumed = 0;
  let analyzedRows = -1;
  async function vacuum(): Promise<void> {
    await db.exec(`vacuum ${table}`);
    unvacuumed = 0;
    // VACUUM keeps the row estimate current (summed over partitions when the table has them).
    const estimate = await db.query<{ n: number | string | null }>(
      `select sum(greatest(reltuples, 0))::float8 as n from pg_class
       where oid = '${table}'::regclass
          or oid in (select inhrelid from pg_inherits where inhparent = '${table}'::regclass)`,
    );
    const n = Number(estimate.rows[0]?.n ?? 0);
    if (analyzedRows < 0 || n - analyzedRows >= Math.max(1000, analyzedRows / 10)) {
      // Statistics of the filter columns only: the planner's choice of the index-only path.
      await db.exec(`analyze ${table} (service, severity, time_bucket_ms)`);
      analyzedRows = n;
    }
  }

  /** Chooses the path of a search (counting the filtered rows in `tx`) and builds its SQL. */
  async function plan(
    tx: Transaction,
    query: VectorQuery,
  ): Promise<{ path: SearchPath; sql: string; params: unknown[] }> {
    const where = toSqlFilter(query.filter, 3);
    let exact = query.exact === true;
    if (!exact && where.sql !== '' && exactFilterRows > 0) {
      // Few matching rows: scoring them all is exact and faster than a filtered graph walk.
      const counted = toSqlFilter(query.filter, 1);
      const n = await tx.query<{ n: number }>(
        `select count(*)::int as n from (select 1 from ${table} ${counted.sql} limit ${exactFilterRows + 1}) s`,
        counted.params,
      );
      exact = (n.rows[0]?.n ?? 0) <= exactFilterRows;
    }
    const params = [toVectorLiteral(query.vector), query.limit, ...where.params];
    if (exact) {
      // `+ 0` hides the distance from the HNSW index, so the planner scores rows exactly; the
      // inner query reads only the filter index (id, embedding), the outer one fetches the
      // winners' other columns.
      const columns = COLUMNS.split(', ').map((c) => `t.${c}`);
      return {
        path: 'exact',
        params,
        sql: `select ${columns.join(', ')}, 1 - top.distance as similarity
          from (select id, (embedding <=> $1::vector) + 0 as distance from ${table}
                ${where.sql} order by 2 limit $2) top
          join ${table} t on t.id = top.id
          order by top.distance`,
      };
    }
    // Iterative scans keep filtered searches from returning fewer than `limit` rows.
    await tx.exec(
      `set local hnsw.ef_search = ${Math.max(efSearch, Math.min(query.limit, 1000))};
       set local hnsw.iterative_scan = relaxed_order`,
    );
    return {
      path: 'hnsw',
      params,
      sql: `select ${COLUMNS}, 1 - (embedding <=> $1::vector) as similarity from ${table}
        ${where.sql} order by embedding <=> $1::vector limit $2`,
    };
  }

  return ok({
    info,
    table,
    async ensureIndex() {
      try {
        await db.exec(indexSql);
        await vacuum();
        return ok(undefined);
      } catch (error) {
        return fail(toRagError(error));
      }
    },
    async vacuum() {
      try {
        await vacuum();
        return ok(undefined);
      } catch (error) {
        return fail(toRagError(error));
      }
    },
    async upsert(records) {
      const checked = checkRecords(info, records);
      if (!checked.ok) return checked;
      try {
        await db.transaction(async (tx) => {
          for (let i = 0; i < records.length; i += insertBatch) {
            await writeBatch(tx, records.slice(i, i + insertBatch));
          }
        });
      } catch (error) {
        return fail(toRagError(error));
      }
      unvacuumed += records.length;
      if (vacuumEveryRows > 0 && unvacuumed >= vacuumEveryRows) {
        // Maintenance only: the rows are written. VACUUM fails inside someone else's open
        // transaction on a shared PGlite; the next upsert tries again.
        try {
          await vacuum();
        } catch {
          // retried at the next upsert
        }
      }
      return ok(records.length);
    },
    async search(query: VectorQuery) {
      const checked = checkQuery(info, query);
      if (!checked.ok) return checked;
      try {
        const rows = await db.transaction(async (tx) => {
          const planned = await plan(tx, query);
          return tx.query<Row>(planned.sql, planned.params);
        });
        const hits: VectorHit[] = rows.rows.map((row) => ({
          capsule: toCapsule(row),
          similarity: Number(row.similarity),
        }));
        // relaxed_order may return neighbours slightly out of order.
        hits.sort((a, b) => b.similarity - a.similarity);
        return ok(hits);
      } catch (error) {
        return fail(toRagError(error));
      }
    },
    async explain(query: VectorQuery) {
      const checked = checkQuery(info, query);
      if (!checked.ok) return checked;
      try {
        return ok(
          await db.transaction(async (tx) => {
            const planned = await plan(tx, query);
            const text = await tx.query<{ 'QUERY PLAN': string }>(
              `explain (analyze, buffers, costs off) ${planned.sql}`,
              planned.params,
            );
            return {
              path: planned.path,
              plan: text.rows.map((r) => r['QUERY PLAN']).join('\n'),
            };
          }),
        );
      } catch (error) {
        return fail(toRagError(error));
      }
    },
    async count() {
      try {
        const rows = await db.query<{ n: number | string }>(
          `select count(*)::int as n from ${table}`,
        );
        return ok(Number(rows.rows[0]?.n ?? 0));
      } catch (error) {
        return fail(toRagError(error));
      }
    },
  });
}

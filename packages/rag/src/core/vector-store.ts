/**
 * The vector store interface every backend implements (Milvus, pgvector in PGlite, in-memory),
 * and the checks they share: model, dimension and redaction of every record written.
 */
import { RagError, fail, ok, type RagResult } from '../errors.ts';
import type { EmbeddedCapsule } from './embedder.ts';

/** What a collection was created for; a store refuses vectors from any other model or size. */
export interface CollectionInfo {
  readonly name: string;
  readonly model: string;
  readonly dimension: number;
}

/** Metadata filters applied inside the store's search. All given fields must hold. */
export interface VectorFilter {
  /** Any of these services. */
  readonly services?: readonly string[];
  /** `timeBucketMs >= fromMs`. */
  readonly fromMs?: number;
  /** `timeBucketMs < toMs`. */
  readonly toMs?: number;
  /** `severity >= minSeverity` (OpenTelemetry severity number). */
  readonly minSeverity?: number;
  /** Any of these fingerprints. */
  readonly fingerprints?: readonly string[];
}

/** A similarity search. */
export interface VectorQuery {
  readonly vector: ArrayLike<number>;
  /** Most hits returned. */
  readonly limit: number;
  readonly filter?: VectorFilter;
  /** Exact (brute-force) search instead of the approximate index, for recall checks. */
  readonly exact?: boolean;
}

/** One stored capsule window without its vector. */
export interface StoredCapsule {
  readonly id: string;
  readonly fingerprint: string;
  readonly service: string;
  readonly template: string;
  readonly severity: number;
  readonly timeBucketMs: number;
  readonly count: number;
  readonly lastSeenMs: number;
  readonly sampleRefs: readonly string[];
}

/** A search hit: cosine similarity in [-1, 1], higher is closer. */
export interface VectorHit {
  readonly capsule: StoredCapsule;
  readonly similarity: number;
}

/** A collection of capsule vectors. */
export interface VectorStore {
  readonly info: CollectionInfo;
  /** Inserts or replaces by id; refuses the whole batch on any model, size or redaction mismatch. */
  upsert(records: readonly EmbeddedCapsule[]): Promise<RagResult<number>>;
  /** Nearest capsules to `query.vector` that pass `query.filter`, closest first. */
  search(query: VectorQuery): Promise<RagResult<VectorHit[]>>;
  /** Number of stored windows. */
  count(): Promise<RagResult<number>>;
}

/** Validates a collection's model and dimension when it is opened; throws on bad options. */
export function validateCollectionInfo(info: CollectionInfo): CollectionInfo {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(info.name)) {
    throw new RagError(
      'INVALID_OPTIONS',
      `collection name ${JSON.stringify(info.name)} must match [A-Za-z_][A-Za-z0-9_]{0,62}`,
    );
  }
  if (info.model.length === 0) throw new RagError('INVALID_OPTIONS', 'model is empty');
  if (!Number.isInteger(info.dimension) || info.dimension < 1 || info.dimension > 16_000) {
    throw new RagError('INVALID_OPTIONS', 'dimension must be an integer in [1, 16000]');
  }
  return info;
}

/** The error for a collection opened with another model or dimension than it was created with. */
export function collectionMismatch(
  stored: CollectionInfo,
  wanted: CollectionInfo,
): RagError | undefined {
  if (stored.dimension !== wanted.dimension) {
    return new RagError(
      'DIMENSION_MISMATCH',
      `collection ${wanted.name} holds ${stored.dimension}-dimensional vectors, not ${wanted.dimension}`,
    );
  }
  if (stored.model !== wanted.model) {
    return new RagError(
      'MODEL_MISMATCH',
      `collection ${wanted.name} holds ${stored.model} vectors, not ${wanted.model}`,
    );
  }
  return undefined;
}

/** Checks a batch against a collection before any of it is written. */
export function checkRecords(
  info: CollectionInfo,
  records: readonly EmbeddedCapsule[],
): RagResult<readonly EmbeddedCapsule[]> {
  for (const record of records) {
    if ((record.document as { redactionApplied?: unknown }).redactionApplied !== true) {
      return fail(
        new RagError('UNREDACTED_INPUT', `capsule ${record.document.id} is not marked redacted`),
      );
    }
    if (record.model !== info.model) {
      return fail(
        new RagError(
          'MODEL_MISMATCH',
          `${info.name} stores ${info.model} vectors, got ${record.model}`,
        ),
      );
    }
    if (record.vector.length !== info.dimension) {
      return fail(
        new RagError(
          'DIMENSION_MISMATCH',
          `${info.name} stores ${info.dimension}-dimensional vectors, got ${record.vector.length}`,
        ),
      );
    }
    for (const x of record.vector) {
      if (!Number.isFinite(x)) {
        return fail(
          new RagError(
            'DIMENSION_MISMATCH',
            `capsule ${record.document.id} has a non-finite component`,
          ),
        );
      }
    }
  }
  return ok(records);
}

/** Checks a query vector's size and a limit. */
export function checkQuery(info: CollectionInfo, query: VectorQuery): RagResult<VectorQuery> {
  if (query.vector.length !== info.dimension) {
    return fail(
      new RagError(
        'DIMENSION_MISMATCH',
        `query has ${query.vector.length} dimensions, ${info.name} has ${info.dimension}`,
      ),
    );
  }
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 16_384) {
    return fail(new RagError('INVALID_OPTIONS', 'limit must be an integer in [1, 16384]'));
  }
  return ok(query);
}

/** True when a stored capsule passes the filter (the reference semantics every store follows). */
export function matchesFilter(capsule: StoredCapsule, filter: VectorFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (filter.services !== undefined && !filter.services.includes(capsule.service)) return false;
  if (filter.fingerprints !== undefined && !filter.fingerprints.includes(capsule.fingerprint)) {
    return false;
  }
  if (filter.fromMs !== undefined && capsule.timeBucketMs < filter.fromMs) return false;
  if (filter.toMs !== undefined && capsule.timeBucketMs >= filter.toMs) return false;
  if (filter.minSeverity !== undefined && capsule.severity < filter.minSeverity) return false;
  return true;
}

/** Copies the stored fields of a document. */
export function toStoredCapsule(record: EmbeddedCapsule): StoredCapsule {
  const d = record.document;
  return {
    id: d.id,
    fingerprint: d.fingerprint,
    service: d.service,
    template: d.template,
    severity: d.severity,
    timeBucketMs: d.timeBucketMs,
    count: d.count,
    lastSeenMs: d.lastSeenMs,
    sampleRefs: [...d.sampleRefs],
  };
}

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** An exact in-memory store: the reference for tests and small embedded uses. */
export function createMemoryVectorStore(info: CollectionInfo): VectorStore {
  const checkedInfo = validateCollectionInfo(info);
  const rows = new Map<string, { capsule: StoredCapsule; vector: Float32Array }>();
  return {
    info: checkedInfo,
    upsert(records) {
      const checked = checkRecords(checkedInfo, records);
      if (!checked.ok) return Promise.resolve(checked);
      for (const r of records) {
        rows.set(r.document.id, {
          capsule: toStoredCapsule(r),
          vector: Float32Array.from(r.vector),
        });
      }
      return Promise.resolve(ok(records.length));
    },
    search(query) {
      const checked = checkQuery(checkedInfo, query);
      if (!checked.ok) return Promise.resolve(checked);
      const hits: VectorHit[] = [];
      for (const row of rows.values()) {
        if (!matchesFilter(row.capsule, query.filter)) continue;
        hits.push({ capsule: row.capsule, similarity: cosineSimilarity(query.vector, row.vector) });
      }
      hits.sort((a, b) => b.similarity - a.similarity || (a.capsule.id < b.capsule.id ? -1 : 1));
      return Promise.resolve(ok(hits.slice(0, query.limit)));
    },
    count: () => Promise.resolve(ok(rows.size)),
  };
}

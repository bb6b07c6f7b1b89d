/**
 * Evidence retrieval for a journey or SLI: vector similarity under metadata filters, windows
 * grouped into capsules (fingerprint + service), re-ranked by similarity, frequency and recency.
 * Pure over the `Embedder` and `VectorStore` interfaces; the current time is a parameter.
 */
import { RagError, fail, ok, type RagResult } from '../errors.ts';
import type { Embedder } from './embedder.ts';
import {
  matchesFilter,
  type VectorFilter,
  type VectorHit,
  type VectorStore,
} from './vector-store.ts';

/** Weights of the re-ranking score; they need not sum to 1. */
export interface RankWeights {
  readonly similarity: number;
  readonly frequency: number;
  readonly recency: number;
}

/** The default weights: similarity leads, frequency and recency break near-ties. */
export const DEFAULT_RANK_WEIGHTS: RankWeights = {
  similarity: 0.6,
  frequency: 0.25,
  recency: 0.15,
};

/** An evidence request. */
export interface EvidenceQuery {
  /** What the evidence should be about: a journey or SLI description, or a template. */
  readonly text: string;
  readonly filter?: VectorFilter;
  /** Capsules returned. Default 10. */
  readonly limit?: number;
  /** Windows fetched from the store before grouping. Default `limit * 10`. */
  readonly candidates?: number;
  /** Now, in epoch milliseconds, for recency. */
  readonly nowMs: number;
  /** Age at which the recency score halves. Default 24 h. */
  readonly halfLifeMs?: number;
  readonly weights?: RankWeights;
  /** Sample references kept per capsule. Default 5. */
  readonly maxSampleRefs?: number;
}

/** One capsule cited as evidence. */
export interface Evidence {
  readonly fingerprint: string;
  readonly service: string;
  readonly template: string;
  /** Best cosine similarity of the capsule's windows to the query. */
  readonly similarity: number;
  /** The re-ranking score, higher first. */
  readonly score: number;
  /** Windows of this capsule among the candidates. */
  readonly windowCount: number;
  /** Events summed over those windows. */
  readonly eventCount: number;
  readonly maxSeverity: number;
  readonly firstBucketMs: number;
  readonly lastSeenMs: number;
  /** Event ids of samples, most recent windows first. */
  readonly sampleRefs: readonly string[];
  /** Ids of the windows this capsule was built from. */
  readonly windowIds: readonly string[];
}

/** Retrieves evidence; see {@link createEvidenceRetriever}. */
export interface EvidenceRetriever {
  retrieve(query: EvidenceQuery): Promise<RagResult<Evidence[]>>;
}

interface Group {
  fingerprint: string;
  service: string;
  template: string;
  similarity: number;
  windowCount: number;
  eventCount: number;
  maxSeverity: number;
  firstBucketMs: number;
  lastSeenMs: number;
  hits: VectorHit[];
}

/** Groups window hits into capsules keyed by fingerprint and service. */
export function groupHits(hits: readonly VectorHit[]): Group[] {
  const groups = new Map<string, Group>();
  for (const hit of hits) {
    const c = hit.capsule;
    const key = `${c.fingerprint}\u0000${c.service}`;
    const g = groups.get(key);
    if (g === undefined) {
      groups.set(key, {
        fingerprint: c.fingerprint,
        service: c.service,
        template: c.template,
        similarity: hit.similarity,
        windowCount: 1,
        eventCount: c.count,
        maxSeverity: c.severity,
        firstBucketMs: c.timeBucketMs,
        lastSeenMs: c.lastSeenMs,
        hits: [hit],
      });
      continue;
    }
    g.similarity = Math.max(g.similarity, hit.similarity);
    g.windowCount += 1;
    g.eventCount += c.count;
    g.maxSeverity = Math.max(g.maxSeverity, c.severity);
    g.firstBucketMs = Math.min(g.firstBucketMs, c.timeBucketMs);
    g.lastSeenMs = Math.max(g.lastSeenMs, c.lastSeenMs);
    g.hits.push(hit);
  }
  return [...groups.values()];
}

/** Recency in (0, 1]: 1 now or in the future, halving every `halfLifeMs`. */
export function recencyScore(lastSeenMs: number, nowMs: number, halfLifeMs: number): number {
  const age = Math.max(0, nowMs - lastSeenMs);
  return 2 ** (-age / halfLifeMs);
}

/** Ranks grouped capsules: weighted similarity, log-scaled frequency and recency. */
export function rankEvidence(
  hits: readonly VectorHit[],
  options: {
    nowMs: number;
    halfLifeMs: number;
    weights: RankWeights;
    limit: number;
    maxSampleRefs: number;
  },
): Evidence[] {
  const groups = groupHits(hits);
  const maxEvents = groups.reduce((m, g) => Math.max(m, g.eventCount), 0);
  const denominator = Math.log1p(maxEvents);
  const w = options.weights;
  const scored = groups.map((g): Evidence => {
    const frequency = denominator === 0 ? 0 : Math.log1p(g.eventCount) / denominator;
    const recency = recencyScore(g.lastSeenMs, options.nowMs, options.halfLifeMs);
    const windows = [...g.hits].sort(
      (a, b) =>
        b.capsule.timeBucketMs - a.capsule.timeBucketMs || (a.capsule.id < b.capsule.id ? -1 : 1),
    );
    const refs: string[] = [];
    for (const h of windows) {
      for (const ref of h.capsule.sampleRefs) {
        if (refs.length < options.maxSampleRefs && !refs.includes(ref)) refs.push(ref);
      }
    }
    return {
      fingerprint: g.fingerprint,
      service: g.service,
      template: g.template,
      similarity: g.similarity,
      score: w.similarity * g.similarity + w.frequency * frequency + w.recency * recency,
      windowCount: g.windowCount,
      eventCount: g.eventCount,
      maxSeverity: g.maxSeverity,
      firstBucketMs: g.firstBucketMs,
      lastSeenMs: g.lastSeenMs,
      sampleRefs: refs,
      windowIds: windows.map((h) => h.capsule.id),
    };
  });
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0) ||
      (a.service < b.service ? -1 : a.service > b.service ? 1 : 0),
  );
  return scored.slice(0, options.limit);
}

function checkWeights(w: RankWeights): boolean {
  return [w.similarity, w.frequency, w.recency].every((x) => Number.isFinite(x) && x >= 0);
}

/** Builds a retriever over an embedder and a store; they must share model and dimension. */
export function createEvidenceRetriever(deps: {
  readonly embedder: Embedder;
  readonly store: VectorStore;
}): EvidenceRetriever {
  const { embedder, store } = deps;
  if (embedder.model !== store.info.model || embedder.dimension !== store.info.dimension) {
    throw new RagError(
      embedder.dimension !== store.info.dimension ? 'DIMENSION_MISMATCH' : 'MODEL_MISMATCH',
      `embedder ${embedder.model}/${embedder.dimension} does not match collection ${store.info.name} (${store.info.model}/${store.info.dimension})`,
    );
  }
  return {
    async retrieve(query) {
      const limit = query.limit ?? 10;
      const candidates = query.candidates ?? limit * 10;
      const halfLifeMs = query.halfLifeMs ?? 86_400_000;
      const weights = query.weights ?? DEFAULT_RANK_WEIGHTS;
      const maxSampleRefs = query.maxSampleRefs ?? 5;
      if (
        !Number.isInteger(limit) ||
        limit < 1 ||
        !Number.isInteger(candidates) ||
        candidates < limit
      ) {
        return fail(new RagError('INVALID_OPTIONS', 'need integers 1 <= limit <= candidates'));
      }
      if (!(halfLifeMs > 0) || !Number.isFinite(query.nowMs) || !checkWeights(weights)) {
        return fail(
          new RagError('INVALID_OPTIONS', 'need halfLifeMs > 0, a finite nowMs and weights >= 0'),
        );
      }
      const vectors = await embedder.embed([query.text]);
      if (!vectors.ok) return vectors;
      const searchQuery = {
        vector: vectors.value[0] as Float32Array,
        limit: candidates,
        ...(query.filter === undefined ? {} : { filter: query.filter }),
      };
      const hits = await store.search(searchQuery);
      if (!hits.ok) return hits;
      // Stores filter already; filtering again keeps the guarantee independent of the backend.
      const kept = hits.value.filter((h) => matchesFilter(h.capsule, query.filter));
      return ok(
        rankEvidence(kept, { nowMs: query.nowMs, halfLifeMs, weights, limit, maxSampleRefs }),
      );
    },
  };
}

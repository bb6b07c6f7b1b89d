export { RagError, toRagError, ok, fail } from './errors.ts';
export type { RagErrorCode, RagResult } from './errors.ts';

export { isRedacted, checkRedacted, toCapsuleDocument, toDocumentId } from './core/capsule.ts';
export type {
  CapsuleInput,
  RedactedCapsuleWindow,
  CapsuleDocument,
  CapsuleDocumentOptions,
} from './core/capsule.ts';

export { createEmbedder, backoffDelay, toCheckedVector } from './core/embedder.ts';
export type {
  Embedder,
  EmbeddingProvider,
  EmbeddedCapsule,
  EmbedderOptions,
} from './core/embedder.ts';

export {
  createLocalEmbeddingProvider,
  hashEmbed,
  tokenize,
  fnv1a,
  LOCAL_EMBEDDER_MODEL,
  LOCAL_EMBEDDER_DIMENSION,
} from './core/local-embedder.ts';
export type { LocalEmbedderOptions } from './core/local-embedder.ts';

export {
  createMemoryVectorStore,
  validateCollectionInfo,
  collectionMismatch,
  checkRecords,
  checkQuery,
  matchesFilter,
  toStoredCapsule,
  cosineSimilarity,
} from './core/vector-store.ts';
export type {
  CollectionInfo,
  VectorFilter,
  VectorQuery,
  StoredCapsule,
  VectorHit,
  VectorStore,
} from './core/vector-store.ts';

export {
  createEvidenceRetriever,
  rankEvidence,
  groupHits,
  recencyScore,
  DEFAULT_RANK_WEIGHTS,
} from './core/evidence.ts';
export type { EvidenceQuery, Evidence, EvidenceRetriever, RankWeights } from './core/evidence.ts';

export {
  startPipeline,
  defaultDataDir,
  openBus,
  openStore,
  openBlobs,
  warnRetentionDrop,
} from './pipeline.ts';
export type { Pipeline, PipelineParts } from './pipeline.ts';
export { parsePipelineConfig, pipelineConfigSchema, PipelineConfigError } from './config.ts';
export type { PipelineConfig, Role, VectorsConfig, EmbedderConfig } from './config.ts';
export {
  CAPSULE_EMBEDDING_API_VERSION,
  toCapsuleEmbeddingRecord,
  toEmbeddingId,
  toEmbeddingVector,
} from './capsule-embedding.ts';
export type { CapsuleEmbeddingRecord } from './capsule-embedding.ts';
export { toCapsuleInput, toCapsuleEvent } from './capsule.ts';
export type { CapsuleInput } from './capsule.ts';
export { toPipelineTopics } from './jobs/job.ts';
export type { Job, PipelineTopics } from './jobs/job.ts';

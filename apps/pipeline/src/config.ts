/** The pipeline's configuration: validated once at start, with errors that name the field. */
import { z } from 'zod';

const roles = ['fingerprint', 'aggregate', 'embed', 'spans'] as const;

/** A job the pipeline can run. */
export type Role = (typeof roles)[number];

const busSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('embedded'),
    /** Journal directory; omit to keep the bus in memory. */
    dir: z.string().min(1).optional(),
    partitions: z.number().int().min(1).max(256).default(3),
    /**
     * Messages kept per partition of a topic no consumer group reads yet (nor has committed on):
     * beyond it the oldest are dropped, as Kafka's retention would. Default 100 000; raise it
     * when producers may run far ahead of the pipeline's first start.
     */
    retainPerPartition: z.number().int().min(0).optional(),
  }),
  z.object({
    kind: z.literal('kafka'),
    brokers: z.array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port')).min(1),
    clientId: z.string().min(1).default('slo-scout-pipeline'),
    partitions: z.number().int().min(1).max(256).default(3),
  }),
]);

const storeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pglite'), dir: z.string().min(1).optional() }),
  z.object({
    kind: z.literal('postgres'),
    url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    maxConnections: z.number().int().min(1).default(10),
  }),
]);

const blobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), dir: z.string().min(1) }),
  z.object({
    kind: z.literal('s3'),
    endpoint: z.url().optional(),
    region: z.string().min(1).default('us-east-1'),
    bucket: z.string().min(3),
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
    forcePathStyle: z.boolean().default(true),
  }),
]);

const collectionName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must match [A-Za-z_][A-Za-z0-9_]{0,62}')
  .default('capsules');

const vectorsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('pgvector'),
    /**
     * PGlite data directory of the vectors. Default: `<store.dir>-vectors` for a file-backed PGlite
     * store, else in memory. Never the store's own instance (see the README).
     */
    dir: z.string().min(1).optional(),
    collection: collectionName,
  }),
  z.object({
    kind: z.literal('milvus'),
    address: z.string().regex(/^(https?:\/\/)?[^:\s/]+:\d+$/, 'must be host:port'),
    collection: collectionName,
  }),
]);

const embedderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({
    kind: z.literal('minilm'),
    /** Directory holding config.json, tokenizer.json and onnx/model.onnx; nothing is downloaded. */
    modelDir: z.string().min(1),
    dtype: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4']).default('fp32'),
  }),
]);

/** The validated configuration. */
export const pipelineConfigSchema = z.object({
  roles: z.array(z.enum(roles)).min(1).default(['fingerprint', 'aggregate', 'embed', 'spans']),
  /**
   * Names this worker's transactional producers. Give each worker a stable id (w1, w2...): a
   * restarted worker with the same id fences its dead predecessor's open transaction at once.
   */
  workerId: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .optional(),
  /** Put in front of every topic name, so several pipelines can share one Kafka cluster. */
  topicPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
  bus: busSchema,
  store: storeSchema,
  blobs: blobSchema,
  http: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(0),
    })
    .optional(),
  fingerprint: z
    .object({
      /**
       * Redact, mine and serialise on a worker thread, so that work can use a second core while
       * the main thread runs the bus, the transactions and the other jobs. Default false: on the
       * shared 2-core machine it cost more CPU than it saved (see the README's Benchmark).
       */
      thread: z.boolean().default(false),
    })
    .default({ thread: false }),
  aggregate: z
    .object({
      windowMs: z.number().int().min(1000).default(3_600_000),
      flushIntervalMs: z.number().int().min(10).default(1_000),
      reservoirSize: z.number().int().min(1).max(1000).default(10),
    })
    .default({ windowMs: 3_600_000, flushIntervalMs: 1_000, reservoirSize: 10 }),
  /**
   * Where the embed job writes vectors. Default pgvector in its own PGlite. Opened when the embed
   * role runs, or when given (then `pipeline.vectors` serves searches in a process without it).
   */
  vectors: vectorsSchema.optional(),
  /** The embedding model. Default the deterministic local embedder (384 d, no download). */
  embedder: embedderSchema.optional(),
  embed: z
    .object({
      /** Capsules per embedding call. */
      batchSize: z.number().int().min(1).max(2048).default(100),
      /** (fingerprint, service) pairs remembered as embedded; older ones are forgotten first. */
      seenCapacity: z.number().int().min(1).default(100_000),
      /** Largest batch of capsule events consumed at once. */
      maxBatchSize: z.number().int().min(1).default(1_000),
      groupId: z.string().min(1).default('slo-embed'),
    })
    .default({ batchSize: 100, seenCapacity: 100_000, maxBatchSize: 1_000, groupId: 'slo-embed' }),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

/** The pipeline's configuration after validation and defaults. */
export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;

/** Where vectors go, after validation. */
export type VectorsConfig = z.infer<typeof vectorsSchema>;

/** Which embedding model, after validation. */
export type EmbedderConfig = z.infer<typeof embedderSchema>;

/** A configuration problem, naming each bad field. */
export class PipelineConfigError extends Error {
  override readonly name = 'PipelineConfigError';
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(
      `invalid pipeline configuration:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
    );
  }
}

/** Validates raw configuration (parsed YAML/JSON); throws {@link PipelineConfigError}. */
export function parsePipelineConfig(raw: unknown): PipelineConfig {
  const result = pipelineConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new PipelineConfigError(
    result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
  );
}

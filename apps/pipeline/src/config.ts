/** The pipeline's configuration: validated once at start, with errors that name the field. */
import { z } from 'zod';

const roles = ['fingerprint', 'aggregate', 'embed'] as const;

/** A job the pipeline can run. */
export type Role = (typeof roles)[number];

const busSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('embedded'),
    /** Journal directory; omit to keep the bus in memory. */
    dir: z.string().min(1).optional(),
    partitions: z.number().int().min(1).max(256).default(3),
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

/** The validated configuration. */
export const pipelineConfigSchema = z.object({
  roles: z.array(z.enum(roles)).min(1).default(['fingerprint', 'aggregate']),
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
  aggregate: z
    .object({
      windowMs: z.number().int().min(1000).default(3_600_000),
      flushIntervalMs: z.number().int().min(10).default(1_000),
      reservoirSize: z.number().int().min(1).max(1000).default(10),
    })
    .default({ windowMs: 3_600_000, flushIntervalMs: 1_000, reservoirSize: 10 }),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

/** The pipeline's configuration after validation and defaults. */
export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;

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

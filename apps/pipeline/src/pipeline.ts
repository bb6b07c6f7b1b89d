/**
 * Builds the pipeline from its configuration: the bus, the store, the blob store, the jobs of the
 * configured roles, and an HTTP server for health, readiness and metrics.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedBus, type Bus, type RetentionDrop } from '@slo-scout/bus';
import { createFileBusPersistence } from '@slo-scout/bus/file';
import { createKafkaBus } from '@slo-scout/bus/kafka';
import { createRedactor } from '@slo-scout/fingerprint';
import { createMemorySchemaRegistry, type SchemaRegistry } from '@slo-scout/schema';
import { createStore, type BlobStore, type Store } from '@slo-scout/store';
import { createLocalBlobStore } from '@slo-scout/store/local';
import { createPgliteDatabase } from '@slo-scout/store/pglite';
import { createPostgresDatabase } from '@slo-scout/store/postgres';
import { createS3BlobStore } from '@slo-scout/store/s3';
import type { Embedder, VectorStore } from '@slo-scout/rag';
import { pino, type Logger } from 'pino';
import type { PipelineConfig } from './config.ts';
import { startAggregateJob } from './jobs/aggregate-job.ts';
import { startEmbedJob } from './jobs/embed-job.ts';
import { startFingerprintJob } from './jobs/fingerprint-job.ts';
import { startSpansJob } from './jobs/spans-job.ts';
import { createBlobStateStore } from './jobs/state-store.ts';
import { toPipelineTopics, type Job, type PipelineTopics } from './jobs/job.ts';
import { createPipelineMetrics, type PipelineMetrics } from './metrics.ts';
import { openEmbedder, openVectors, type OpenedVectors } from './vectors.ts';

/** A running pipeline. */
export interface Pipeline {
  readonly bus: Bus;
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly registry: SchemaRegistry;
  readonly metrics: PipelineMetrics;
  readonly topics: PipelineTopics;
  readonly jobs: readonly Job[];
  /**
   * The capsule vector store, when the embed role runs or `vectors` is configured: reuse it (with
   * {@link Pipeline.embedder}) for capsule search in the same process.
   */
  readonly vectors: VectorStore | undefined;
  /** The embedder the vectors were made with (set together with `vectors`). */
  readonly embedder: Embedder | undefined;
  /** `http://host:port` of the health/metrics server, when configured. */
  readonly url: string | undefined;
  /** Drains the jobs (finishing and committing batches in flight), then closes everything. */
  stop(): Promise<void>;
}

/** What the caller may share with the pipeline instead of letting it build its own. */
export interface PipelineParts {
  readonly bus?: Bus;
  readonly store?: Store;
  /** A vector store to use instead of opening `config.vectors` (its lifetime stays with the caller). */
  readonly vectors?: VectorStore;
  /** The embedder to use instead of `config.embedder` (must match `vectors`' model and dimension). */
  readonly embedder?: Embedder;
  readonly log?: Logger;
  readonly now?: () => number;
}

/**
 * Opens the configured bus: Kafka, or the embedded bus (journaled when it has a `dir`).
 * `onRetentionDrop` hears of unread messages the embedded bus's retention drops (a topic no
 * group reads holds at most `retainPerPartition` per partition).
 */
export async function openBus(
  config: PipelineConfig['bus'],
  now: () => number,
  onRetentionDrop?: (drop: RetentionDrop) => void,
): Promise<Bus> {
  if (config.kind === 'kafka') {
    return createKafkaBus({
      brokers: config.brokers,
      clientId: config.clientId,
      defaultPartitions: config.partitions,
    });
  }
  return createEmbeddedBus({
    now,
    defaultPartitions: config.partitions,
    ...(config.retainPerPartition === undefined
      ? {}
      : { retainPerPartition: config.retainPerPartition }),
    ...(onRetentionDrop ? { onRetentionDrop } : {}),
    ...(config.dir ? { persistence: await createFileBusPersistence(config.dir) } : {}),
  });
}

/** Opens and migrates the configured store (PostgreSQL or PGlite). */
export async function openStore(
  config: PipelineConfig['store'],
  blobs: BlobStore,
  log: Logger,
): Promise<Store> {
  const { db } =
    config.kind === 'postgres'
      ? createPostgresDatabase({
          connectionString: config.url,
          maxConnections: config.maxConnections,
          onIdleError: (err) => {
            log.warn({ err }, 'an idle database connection failed; the pool will reconnect');
          },
        })
      : await createPgliteDatabase(config.dir ? { dataDir: config.dir } : {});
  const store = createStore(db, { blobs });
  await store.migrate();
  return store;
}

/** The configured raw-sample blob store (a local directory or S3). */
export function openBlobs(config: PipelineConfig['blobs']): BlobStore {
  if (config.kind === 'local') return createLocalBlobStore({ root: config.dir });
  return createS3BlobStore({
    bucket: config.bucket,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  });
}

function serveHttp(
  config: NonNullable<PipelineConfig['http']>,
  jobs: readonly Job[],
  metrics: PipelineMetrics,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      const failed = jobs.filter((j) => j.failure() !== undefined).map((j) => j.name);
      res.writeHead(failed.length === 0 ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: failed.length === 0 ? 'ok' : 'failed', failed }));
    } else if (path === '/readyz') {
      const notReady = jobs.filter((j) => !j.ready()).map((j) => j.name);
      res.writeHead(notReady.length === 0 ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ready: notReady.length === 0, notReady }));
    } else if (path === '/metrics') {
      metrics.registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        })
        .catch((e: unknown) => {
          res.writeHead(500);
          res.end(String(e));
        });
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no route ${path}; try /healthz, /readyz or /metrics` }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      resolve(server);
    });
  });
}

/** Logs unread messages the embedded bus's retention dropped. */
export function warnRetentionDrop(log: Logger, drop: RetentionDrop): void {
  log.warn(
    { ...drop, dropped: drop.to - drop.from },
    'the embedded bus dropped unread messages: no consumer group reads this topic (bus.retainPerPartition)',
  );
}

/** Starts the configured jobs. */
export async function startPipeline(
  config: PipelineConfig,
  parts: PipelineParts = {},
): Promise<Pipeline> {
  const now = parts.now ?? Date.now;
  const log = parts.log ?? pino({ level: config.logLevel, name: 'slo-pipeline' });
  const workerId = config.workerId ?? `${hostname()}-${process.pid}`;
  const blobs = openBlobs(config.blobs);
  // Drops are logged at once and counted once the metrics exist (opening may already drop).
  const drops: RetentionDrop[] = [];
  let countDrop = (drop: RetentionDrop): void => {
    drops.push(drop);
  };
  const bus =
    parts.bus ??
    (await openBus(config.bus, now, (drop) => {
      warnRetentionDrop(log, drop);
      countDrop(drop);
    }));
  const store = parts.store ?? (await openStore(config.store, blobs, log));
  const registry = createMemorySchemaRegistry();
  const metrics = createPipelineMetrics(bus);
  countDrop = (drop) => {
    metrics.retentionDropped.inc({ topic: drop.topic }, drop.to - drop.from);
  };
  for (const drop of drops.splice(0)) countDrop(drop);
  const topics = toPipelineTopics(config.topicPrefix);
  await bus.createTopics(
    [
      topics.rawTelemetry,
      topics.capsuleEvents,
      topics.capsuleWindows,
      topics.capsuleEmbeddings,
      topics.deadLetter,
    ].map((topic) => ({ topic, partitions: config.bus.partitions })),
  );
  const roles = new Set(config.roles);
  const wantsVectors =
    roles.has('embed') || config.vectors !== undefined || parts.vectors !== undefined;
  const embedder = wantsVectors
    ? (parts.embedder ?? (await openEmbedder(config.embedder, config.embed.batchSize)))
    : undefined;
  let opened: OpenedVectors | undefined;
  let vectors = parts.vectors;
  const jobs: Job[] = [];
  try {
    if (embedder && !vectors) {
      opened = await openVectors(config.vectors ?? { kind: 'pgvector', collection: 'capsules' }, {
        store: config.store,
        embedder,
        log,
      });
      vectors = opened.store;
      log.info({ vectors: opened.location, model: embedder.model }, 'vector store opened');
    }
    for (const role of roles) {
      if (role === 'fingerprint') {
        jobs.push(
          await startFingerprintJob({
            bus,
            registry,
            redactor: createRedactor(),
            metrics,
            log: log.child({ job: role }),
            transactionalId: `slo-fingerprint-${workerId}`,
            topics,
            states: createBlobStateStore(blobs),
            thread: config.fingerprint.thread,
          }),
        );
      } else if (role === 'aggregate') {
        jobs.push(
          await startAggregateJob({
            bus,
            registry,
            store,
            blobs,
            metrics,
            log: log.child({ job: role }),
            now,
            topics,
            windowMs: config.aggregate.windowMs,
            flushIntervalMs: config.aggregate.flushIntervalMs,
            reservoirSize: config.aggregate.reservoirSize,
          }),
        );
      } else if (role === 'spans') {
        jobs.push(
          await startSpansJob({
            bus,
            registry,
            redactor: createRedactor(),
            store,
            metrics,
            log: log.child({ job: role }),
            topics,
          }),
        );
      } else if (embedder && vectors) {
        jobs.push(
          await startEmbedJob({
            bus,
            registry,
            embedder,
            vectors,
            metrics,
            log: log.child({ job: role }),
            transactionalId: `slo-embed-${workerId}`,
            topics,
            groupId: config.embed.groupId,
            seenCapacity: config.embed.seenCapacity,
            maxBatchSize: config.embed.maxBatchSize,
          }),
        );
      }
    }
  } catch (e) {
    await Promise.allSettled(jobs.map((j) => j.stop()));
    await opened?.close();
    if (!parts.bus) await bus.close().catch(() => undefined);
    if (!parts.store) await store.close().catch(() => undefined);
    throw e;
  }
  const server = config.http ? await serveHttp(config.http, jobs, metrics) : undefined;
  const address = server?.address() as AddressInfo | undefined;
  log.info({ roles: config.roles, workerId, http: address?.port }, 'pipeline started');
  return {
    bus,
    store,
    blobs,
    registry,
    metrics,
    topics,
    jobs,
    vectors,
    embedder,
    url: address ? `http://${address.address}:${address.port}` : undefined,
    async stop() {
      await Promise.allSettled(jobs.map((j) => j.stop()));
      if (server)
        await new Promise<void>((resolve) =>
          server.close(() => {
            resolve();
          }),
        );
      await opened?.close();
      if (!parts.bus) await bus.close();
      if (!parts.store) await store.close();
      log.info('pipeline stopped');
    },
  };
}

/** The default data directory of the embedded mode. */
export function defaultDataDir(root: string): { bus: string; store: string; blobs: string } {
  return { bus: join(root, 'bus'), store: join(root, 'store'), blobs: join(root, 'blobs') };
}

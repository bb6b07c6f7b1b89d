/**
 * Opens what a command runs on: the bus, the store and the blob store of a configuration, and,
 * when asked, the pipeline's jobs over them (the pipeline builds the same adapters from the same
 * config sections; the CLI opens bus and store itself so a command without jobs can use them too).
 */
import { createEmbeddedBus, type Bus } from '@slo-scout/bus';
import { createFileBusPersistence } from '@slo-scout/bus/file';
import { createKafkaBus } from '@slo-scout/bus/kafka';
import {
  startPipeline,
  toPipelineTopics,
  type Pipeline,
  type PipelineConfig,
  type PipelineTopics,
  type Role,
} from '@slo-scout/pipeline';
import { createMemorySchemaRegistry, type SchemaRegistry } from '@slo-scout/schema';
import { createStore, type BlobStore, type Store } from '@slo-scout/store';
import { createLocalBlobStore } from '@slo-scout/store/local';
import { createPgliteDatabase } from '@slo-scout/store/pglite';
import { createPostgresDatabase } from '@slo-scout/store/postgres';
import { createS3BlobStore } from '@slo-scout/store/s3';
import { pino, type Logger } from 'pino';
import type { ScoutConfig } from './config.ts';
import { CliError } from './errors.ts';

/** What a command runs on. */
export interface Runtime {
  readonly config: ScoutConfig;
  readonly bus: Bus;
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly registry: SchemaRegistry;
  readonly topics: PipelineTopics;
  /** The jobs, when roles were asked for. */
  readonly pipeline: Pipeline | undefined;
  readonly log: Logger;
  /** Stops the jobs (draining them), then closes the bus and the store. */
  close(): Promise<void>;
}

/** A logger at the configured level, to stderr (stdout is for results). */
export function createLogger(config: ScoutConfig): Logger {
  return pino({ level: config.pipeline.logLevel, name: 'slo-scout' }, pino.destination(2));
}

async function openBus(config: PipelineConfig['bus']): Promise<Bus> {
  if (config.kind === 'kafka') {
    return createKafkaBus({
      brokers: config.brokers,
      clientId: config.clientId,
      defaultPartitions: config.partitions,
    });
  }
  return createEmbeddedBus({
    now: Date.now,
    defaultPartitions: config.partitions,
    ...(config.dir ? { persistence: await createFileBusPersistence(config.dir) } : {}),
  });
}

async function openStore(
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

function openBlobs(config: PipelineConfig['blobs']): BlobStore {
  if (config.kind === 'local') return createLocalBlobStore({ root: config.dir });
  return createS3BlobStore({
    bucket: config.bucket,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  });
}

function hintFor(config: ScoutConfig): string {
  if (config.pipeline.store.kind === 'pglite' && config.pipeline.bus.kind === 'embedded') {
    return `is another slo-scout process using ${config.dataDir}? stop it, or pass another --dir`;
  }
  return 'check that the services named in the config file are running and reachable';
}

/** Opens bus, store and blobs; with `roles`, starts those pipeline jobs over them too. */
export async function openRuntime(
  config: ScoutConfig,
  options: { readonly roles?: readonly Role[]; readonly log?: Logger } = {},
): Promise<Runtime> {
  const log = options.log ?? createLogger(config);
  const opened: { bus?: Bus; store?: Store } = {};
  try {
    const blobs = openBlobs(config.pipeline.blobs);
    opened.bus = await openBus(config.pipeline.bus);
    opened.store = await openStore(config.pipeline.store, blobs, log);
    const { bus, store } = opened;
    const topics = toPipelineTopics(config.pipeline.topicPrefix);
    const names = Object.values<string>(topics as unknown as Record<string, string>);
    await bus.createTopics(
      names.map((topic) => ({ topic, partitions: config.pipeline.bus.partitions })),
    );
    const pipeline =
      options.roles && options.roles.length > 0
        ? await startPipeline(
            { ...config.pipeline, roles: [...options.roles] },
            { bus, store, log },
          )
        : undefined;
    return {
      config,
      bus,
      store,
      blobs,
      registry: pipeline?.registry ?? createMemorySchemaRegistry(),
      topics,
      pipeline,
      log,
      async close() {
        await pipeline?.stop();
        await bus.close();
        await store.close();
      },
    };
  } catch (cause) {
    await opened.bus?.close().catch(() => undefined);
    await opened.store?.close().catch(() => undefined);
    throw new CliError(
      'ENGINE_FAILED',
      `cannot open the bus, store or pipeline: ${cause instanceof Error ? cause.message : String(cause)}`,
      { hint: hintFor(config), cause },
    );
  }
}

/**
 * Opens what a command runs on: the bus, the store and the blob store of a configuration, and,
 * when asked, the pipeline's jobs over them (the pipeline builds the same adapters from the same
 * config sections; the CLI opens bus and store itself so a command without jobs can use them too).
 */
import type { Bus } from '@slo-scout/bus';
import {
  openBlobs,
  openBus,
  warnRetentionDrop,
  openStore,
  startPipeline,
  toPipelineTopics,
  type Pipeline,
  type PipelineTopics,
  type Role,
} from '@slo-scout/pipeline';
import { createMemorySchemaRegistry, type SchemaRegistry } from '@slo-scout/schema';
import type { BlobStore, Store } from '@slo-scout/store';
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
    opened.bus = await openBus(config.pipeline.bus, Date.now, (drop) => {
      warnRetentionDrop(log, drop);
    });
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

/**
 * Opens the embed job's vector store and embedder from the configuration. Heavy adapters (Milvus'
 * gRPC client, transformers.js) are imported only when configured.
 *
 * pgvector always gets a PGlite instance of its own: the store's PGlite dialect runs its
 * transactions as plain BEGIN/COMMIT statements on the one connection, which PGlite's own
 * transaction lock does not see, so a second user of the same instance could write into the
 * middle of (and commit) a store transaction.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import {
  createEmbedder,
  createLocalEmbeddingProvider,
  type Embedder,
  type VectorStore,
} from '@slo-scout/rag';
import { openPgVectorStore } from '@slo-scout/rag/pgvector';
import type { Logger } from 'pino';
import type { EmbedderConfig, PipelineConfig, VectorsConfig } from './config.ts';

/** A vector store and how to release what it holds. */
export interface OpenedVectors {
  readonly store: VectorStore;
  /** Where the vectors live, for logs: a directory, `memory` or a Milvus address. */
  readonly location: string;
  close(): Promise<void>;
}

/** Builds the embedder: the local deterministic one, or MiniLM from a local directory. */
export async function openEmbedder(
  config: EmbedderConfig | undefined,
  batchSize: number,
): Promise<Embedder> {
  if (config === undefined || config.kind === 'local') {
    return createEmbedder(createLocalEmbeddingProvider(), { batchSize });
  }
  const { loadTransformersEmbeddingProvider } = await import('@slo-scout/rag/transformers');
  return createEmbedder(
    await loadTransformersEmbeddingProvider({ modelDir: config.modelDir, dtype: config.dtype }),
    { batchSize },
  );
}

/** The directory of pgvector's PGlite: its own setting, else beside a file-backed store. */
export function toVectorsDir(
  vectors: Extract<VectorsConfig, { kind: 'pgvector' }>,
  store: PipelineConfig['store'],
): string | undefined {
  if (vectors.dir !== undefined) return vectors.dir;
  return store.kind === 'pglite' && store.dir !== undefined ? `${store.dir}-vectors` : undefined;
}

/** Opens (creating when absent) the collection for `embedder`'s model and dimension. */
export async function openVectors(
  config: VectorsConfig,
  context: {
    readonly store: PipelineConfig['store'];
    readonly embedder: Embedder;
    readonly log: Logger;
  },
): Promise<OpenedVectors> {
  const info = {
    name: config.collection,
    model: context.embedder.model,
    dimension: context.embedder.dimension,
  };
  if (config.kind === 'milvus') {
    const { openMilvusStore } = await import('@slo-scout/rag/milvus');
    const opened = await openMilvusStore({ ...info, address: config.address });
    if (!opened.ok) throw opened.error;
    return { store: opened.value, location: config.address, close: () => opened.value.close() };
  }
  const dir = toVectorsDir(config, context.store);
  if (dir === undefined && context.store.kind === 'postgres') {
    context.log.warn(
      'vectors are kept in memory: set vectors.dir (or use Milvus) to keep them across restarts',
    );
  }
  const db = await PGlite.create({
    ...(dir === undefined ? {} : { dataDir: dir }),
    extensions: { vector },
  });
  const opened = await openPgVectorStore({ ...info, db });
  if (!opened.ok) {
    await db.close();
    throw opened.error;
  }
  return {
    store: opened.value,
    location: dir ?? 'memory',
    async close() {
      if (!db.closed) await db.close();
    },
  };
}

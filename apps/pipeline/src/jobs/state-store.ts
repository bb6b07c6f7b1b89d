/** Durable job state (miner states) kept as JSON objects in the blob store every worker shares. */
import type { BlobStore } from '@slo-scout/store';

/** Saves and loads JSON state by key. */
export interface StateStore {
  load(key: string): Promise<unknown>;
  save(key: string, state: unknown): Promise<void>;
}

/** A {@link StateStore} over a blob store, under `state/`. */
export function createBlobStateStore(blobs: BlobStore): StateStore {
  const path = (key: string): string => `state/${key.replace(/[^A-Za-z0-9._/-]/g, '_')}.json`;
  return {
    async load(key) {
      const body = await blobs.get(path(key));
      return body === undefined
        ? undefined
        : (JSON.parse(new TextDecoder().decode(body)) as unknown);
    },
    async save(key, state) {
      await blobs.put(path(key), new TextEncoder().encode(JSON.stringify(state)), {
        contentType: 'application/json',
      });
    },
  };
}

/** The blob store interface every implementation (local directory, S3) provides. */
import type { RetentionPolicy } from '../core/retention.ts';

/** One stored object's listing. */
export interface BlobInfo {
  readonly key: string;
  readonly size: number;
}

/** A flat key-value object store. Keys use `/` separators and no `..` segments. */
export interface BlobStore {
  /** Writes an object; writing the same key again replaces it. */
  put(
    key: string,
    body: Uint8Array,
    options?: { contentType?: string; contentEncoding?: string },
  ): Promise<void>;
  /** Reads an object, or undefined when it does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** True when the object exists. */
  exists(key: string): Promise<boolean>;
  /** Deletes an object; deleting a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<BlobInfo>;
  /** Makes the store expire raw samples by itself where it can (S3 lifecycle); else a no-op. */
  applyRetention?(policy: RetentionPolicy): Promise<void>;
}

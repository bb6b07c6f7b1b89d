/** A blob store in a local directory: the embedded default for raw samples. */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { StoreError } from '../../errors.ts';
import type { BlobInfo, BlobStore } from '../../blob/types.ts';
import { checkBlobKey } from '../../blob/key-check.ts';

/** Options of {@link createLocalBlobStore}. */
export interface LocalBlobStoreOptions {
  /** The directory objects live under; created when missing. */
  readonly root: string;
}

const isMissing = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === 'ENOENT';

/** Creates a blob store over a directory; writes go through a temp file and a rename (atomic). */
export function createLocalBlobStore(options: LocalBlobStoreOptions): BlobStore {
  if (typeof options.root !== 'string' || options.root.length === 0) {
    throw new StoreError('INVALID_OPTIONS', 'root must be a directory path', { path: 'root' });
  }
  const root = resolve(options.root);
  const pathOf = (key: string): string => join(root, ...checkBlobKey(key).split('/'));
  let counter = 0;
  async function* walk(dir: string): AsyncGenerator<BlobInfo> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) yield* walk(full);
      else if (entry.isFile() && !entry.name.startsWith('.tmp-')) {
        yield { key: relative(root, full).split(sep).join('/'), size: (await stat(full)).size };
      }
    }
  }
  return {
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = join(dirname(path), `.tmp-${process.pid}-${counter++}`);
      await writeFile(tmp, body);
      await rename(tmp, path);
    },
    async get(key) {
      const path = pathOf(key);
      try {
        return new Uint8Array(await readFile(path));
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw new StoreError('BLOB_IO', `cannot read ${key}`, { cause: e });
      }
    },
    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch (e) {
        if (isMissing(e)) return false;
        throw e;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async *list(prefix) {
      const keyDir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      const start = keyDir === '' ? root : join(root, ...keyDir.split('/'));
      for await (const info of walk(start)) if (info.key.startsWith(prefix)) yield info;
    },
  };
}

/** Raw samples as JSONL.gz blobs named by content hash: a retried write lands on the same key. */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { toRawSampleKey } from '../core/blob-key.ts';
import { err, invalid, ok, type Result } from '../errors.ts';
import type { BlobStore } from './types.ts';

/** What {@link writeRawSamples} stored. */
export interface WrittenSamples {
  readonly key: string;
  readonly bytes: number;
  /** False when an object with this content already existed (a retry). */
  readonly created: boolean;
}

/**
 * Writes samples of one service and hour as one gzip'd JSON-lines object. The key is the SHA-256
 * of the uncompressed JSONL, so the same samples always map to the same key.
 */
export async function writeRawSamples(
  blobs: BlobStore,
  batch: {
    readonly service: string;
    readonly hourMs: number;
    readonly samples: readonly unknown[];
  },
): Promise<Result<WrittenSamples>> {
  if (batch.samples.length === 0) return invalid('samples', 'is empty');
  const jsonl = batch.samples.map((s) => JSON.stringify(s)).join('\n') + '\n';
  const sha256 = createHash('sha256').update(jsonl).digest('hex');
  const key = toRawSampleKey({ service: batch.service, timeMs: batch.hourMs, sha256 });
  if (!key.ok) return err(key.error);
  if (await blobs.exists(key.value)) return ok({ key: key.value, bytes: 0, created: false });
  // mtime 0 in the gzip header keeps the compressed bytes a function of the content alone.
  const body = gzipSync(jsonl, { level: 6 });
  await blobs.put(key.value, body, {
    contentType: 'application/x-ndjson',
    contentEncoding: 'gzip',
  });
  return ok({ key: key.value, bytes: body.length, created: true });
}

/** Reads a raw-sample object back as parsed JSON values. */
export async function readRawSamples(blobs: BlobStore, key: string): Promise<Result<unknown[]>> {
  const body = await blobs.get(key);
  if (body === undefined) return invalid('key', `no object ${key}`, 'NOT_FOUND');
  const text = gunzipSync(body).toString('utf8');
  return ok(
    text
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as unknown),
  );
}

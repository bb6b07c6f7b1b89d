/** Object keys of raw-sample blobs: partitioned by service/date/hour, named by content hash. Pure. */
import { invalid, ok, type Result } from '../errors.ts';

/** Where a raw-sample object lives. */
export interface RawSampleKey {
  readonly service: string;
  /** Any instant of the hour the samples belong to. */
  readonly timeMs: number;
  /** Lowercase hex SHA-256 of the object's bytes. */
  readonly sha256: string;
}

const SERVICE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/**
 * `raw/<service>/<YYYY-MM-DD>/<HH>/<sha256>.jsonl.gz`: the same content always gets the same key,
 * so a retried write is idempotent.
 */
export function toRawSampleKey(key: RawSampleKey): Result<string> {
  if (!SERVICE.test(key.service)) {
    return invalid(
      'service',
      `"${key.service}" must match ${SERVICE.source} to be a safe key segment`,
    );
  }
  if (!Number.isSafeInteger(key.timeMs) || key.timeMs < 0) {
    return invalid('timeMs', `must be a non-negative integer, got ${String(key.timeMs)}`);
  }
  if (!/^[0-9a-f]{64}$/.test(key.sha256))
    return invalid('sha256', 'must be 64 lowercase hex digits');
  const iso = new Date(key.timeMs).toISOString();
  return ok(`raw/${key.service}/${iso.slice(0, 10)}/${iso.slice(11, 13)}/${key.sha256}.jsonl.gz`);
}

/** Parses a raw-sample key back; undefined when the key is not one. */
export function parseRawSampleKey(
  key: string,
): { service: string; dayStartMs: number; hour: number; sha256: string } | undefined {
  const m = /^raw\/([^/]+)\/(\d{4}-\d{2}-\d{2})\/(\d{2})\/([0-9a-f]{64})\.jsonl\.gz$/.exec(key);
  if (m === null) return undefined;
  const dayStartMs = Date.parse(`${m[2]}T00:00:00Z`);
  const hour = Number(m[3]);
  if (Number.isNaN(dayStartMs) || hour > 23) return undefined;
  return { service: m[1]!, dayStartMs, hour, sha256: m[4]! };
}

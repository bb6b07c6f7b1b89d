/**
 * Bulk loading for the benchmarks: encodes capsules in PostgreSQL's binary COPY format, so that
 * PGlite loads them with `COPY ... FROM '/dev/blob' WITH (FORMAT binary)` without parsing 384
 * decimal floats per row (the text path of `upsert` spends most of its time there).
 */
import type { EmbeddedCapsule } from '../src/index.ts';

/** The column list the encoded rows follow (the pgvector store's table layout). */
export const COPY_COLUMNS =
  'id, embedding, fingerprint, service, template, severity, time_bucket_ms, count, last_seen_ms, sample_refs';

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
const TEXT_OID = 25;
const encoder = new TextEncoder();

/** Encodes `rows` as one binary COPY stream (header, tuples, trailer). */
export function encodeBinaryCopy(rows: readonly EmbeddedCapsule[]): Uint8Array<ArrayBuffer> {
  const texts = rows.map((r) => {
    const d = r.document;
    return {
      id: encoder.encode(d.id),
      fingerprint: encoder.encode(d.fingerprint),
      service: encoder.encode(d.service),
      template: encoder.encode(d.template),
      refs: d.sampleRefs.map((s) => encoder.encode(s)),
    };
  });
  let size = SIGNATURE.length + 8 + 2;
  rows.forEach((r, i) => {
    const t = texts[i]!;
    size += 2 + 10 * 4; // field count, ten lengths
    size += t.id.length + t.fingerprint.length + t.service.length + t.template.length;
    size += 4 + 4 * r.vector.length; // dim, unused, float4s
    size += 4 + 8 * 3; // severity, three bigints
    size += 20 + t.refs.reduce((n, b) => n + 4 + b.length, 0); // 1-d text[] header + items
  });
  const out = new Uint8Array(new ArrayBuffer(size));
  const view = new DataView(out.buffer);
  let p = 0;
  out.set(SIGNATURE, 0);
  p += SIGNATURE.length;
  view.setInt32(p, 0);
  view.setInt32(p + 4, 0);
  p += 8;
  const bytes = (b: Uint8Array): void => {
    view.setInt32(p, b.length);
    out.set(b, p + 4);
    p += 4 + b.length;
  };
  const int32 = (x: number): void => {
    view.setInt32(p, 4);
    view.setInt32(p + 4, x);
    p += 8;
  };
  const int64 = (x: number): void => {
    view.setInt32(p, 8);
    view.setBigInt64(p + 4, BigInt(x));
    p += 12;
  };
  rows.forEach((r, i) => {
    const t = texts[i]!;
    const d = r.document;
    view.setInt16(p, 10);
    p += 2;
    bytes(t.id);
    view.setInt32(p, 4 + 4 * r.vector.length);
    view.setInt16(p + 4, r.vector.length);
    view.setInt16(p + 6, 0);
    p += 8;
    for (const x of r.vector) {
      view.setFloat32(p, x);
      p += 4;
    }
    bytes(t.fingerprint);
    bytes(t.service);
    bytes(t.template);
    int32(d.severity);
    int64(d.timeBucketMs);
    int64(d.count);
    int64(d.lastSeenMs);
    const arrayLength = 20 + t.refs.reduce((n, b) => n + 4 + b.length, 0);
    view.setInt32(p, arrayLength);
    view.setInt32(p + 4, 1); // dimensions
    view.setInt32(p + 8, 0); // no nulls
    view.setInt32(p + 12, TEXT_OID);
    view.setInt32(p + 16, t.refs.length);
    view.setInt32(p + 20, 1); // lower bound
    p += 24;
    for (const b of t.refs) bytes(b);
  });
  view.setInt16(p, -1);
  p += 2;
  if (p !== size) throw new Error(`binary COPY size mismatch: ${p} != ${size}`);
  return out;
}

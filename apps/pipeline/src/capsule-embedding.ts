/**
 * The `capsule-embeddings` record: one per newly embedded (fingerprint, service), JSON, with the
 * vector as base64 of little-endian float32 so a consumer in another process (a Milvus sink, an
 * index rebuild) needs nothing but the record.
 */
import type { EmbeddedCapsule } from '@slo-scout/rag';

/** Version tag of {@link CapsuleEmbeddingRecord}. */
export const CAPSULE_EMBEDDING_API_VERSION = 'slo-scout/v1';

/** What the embed job publishes on `capsule-embeddings`, keyed by fingerprint_hash. */
export interface CapsuleEmbeddingRecord {
  readonly apiVersion: typeof CAPSULE_EMBEDDING_API_VERSION;
  readonly kind: 'CapsuleEmbedding';
  /** The vector store's document id: `fingerprint:service`. */
  readonly id: string;
  readonly fingerprint_hash: string;
  readonly service: string;
  readonly template: string;
  readonly severity_number: number;
  readonly time_bucket_ms: number;
  readonly sample_refs: readonly string[];
  readonly model: string;
  readonly dimension: number;
  /** base64 of `dimension` little-endian float32 values. */
  readonly vector: string;
}

/** The vector store document id of a (fingerprint, service): one document per pair. */
export function toEmbeddingId(fingerprint: string, service: string): string {
  return `${fingerprint}:${service}`;
}

function toBase64(vector: Float32Array): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((x, i) => {
    view.setFloat32(i * 4, x, true);
  });
  return Buffer.from(bytes).toString('base64');
}

/** Builds the record of an embedded capsule. */
export function toCapsuleEmbeddingRecord(embedded: EmbeddedCapsule): CapsuleEmbeddingRecord {
  const d = embedded.document;
  return {
    apiVersion: CAPSULE_EMBEDDING_API_VERSION,
    kind: 'CapsuleEmbedding',
    id: d.id,
    fingerprint_hash: d.fingerprint,
    service: d.service,
    template: d.template,
    severity_number: d.severity,
    time_bucket_ms: d.timeBucketMs,
    sample_refs: d.sampleRefs,
    model: embedded.model,
    dimension: embedded.vector.length,
    vector: toBase64(embedded.vector),
  };
}

/** Reads a record's vector back. */
export function toEmbeddingVector(record: CapsuleEmbeddingRecord): Float32Array {
  const bytes = Buffer.from(record.vector, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) =>
    view.getFloat32(i * 4, true),
  );
}

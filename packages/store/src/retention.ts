/** The retention job: drops whole expired partitions, old capsules and old raw samples. */
import { sql, type Kysely } from 'kysely';
import { parseRawSampleKey } from './core/blob-key.ts';
import {
  selectExpiredPartitions,
  toRetentionCutoffs,
  type RetentionCutoffs,
  type RetentionPolicy,
} from './core/retention.ts';
import { detectLayout, dropPartition, listPartitions } from './db/partitions.ts';
import type { StoreDatabase } from './db/types.ts';
import type { BlobStore } from './blob/types.ts';
import { deleteCapsulesBefore } from './repositories/catalog.ts';
import { deleteSpansBefore } from './repositories/spans.ts';

/** What one retention run removed. */
export interface RetentionReport {
  readonly nowMs: number;
  readonly cutoffs: RetentionCutoffs;
  /** Day starts of the `capsule_windows` partitions dropped (or TimescaleDB chunks dropped). */
  readonly droppedPartitions: readonly number[];
  readonly droppedChunks: number;
  /** Windows whose reservoir samples and sample refs were cleared (older than the raw-sample limit). */
  readonly windowSamplesCleared: number;
  readonly capsulesDeleted: number;
  /** Spans older than the raw-sample limit. */
  readonly spansDeleted: number;
  readonly blobsDeleted: number;
}

/** Applies the retention policy at `nowMs`. */
export async function runRetention(
  db: Kysely<StoreDatabase>,
  policy: RetentionPolicy,
  options: { readonly nowMs: number; readonly blobs?: BlobStore | undefined },
): Promise<RetentionReport> {
  const { nowMs, blobs } = options;
  const cutoffs = toRetentionCutoffs(policy, nowMs);
  const layout = await detectLayout(db);
  const dropped: number[] = [];
  let droppedChunks = 0;
  if (layout === 'partitioned') {
    for (const day of selectExpiredPartitions(
      await listPartitions(db),
      cutoffs.aggregatesBeforeMs,
    )) {
      await dropPartition(db, day);
      dropped.push(day);
    }
  } else if (layout === 'hypertable') {
    const { rows } = await sql<{
      chunk: string;
    }>`select drop_chunks('capsule_windows', older_than => ${new Date(cutoffs.aggregatesBeforeMs)}) as chunk`.execute(
      db,
    );
    droppedChunks = rows.length;
  } else {
    await sql`delete from capsule_windows where time_bucket < ${new Date(cutoffs.aggregatesBeforeMs)}`.execute(
      db,
    );
  }
  // Raw samples inside windows: the window ends before the cutoff, so no sample in it is newer.
  const cleared =
    await sql`update capsule_windows set reservoir_sample = '[]'::jsonb, sample_refs = '[]'::jsonb,
      state = jsonb_set(state, '{reservoir_sample}', '[]'::jsonb)
    where time_bucket + window_size_ms * interval '1 millisecond' <= ${new Date(cutoffs.rawSamplesBeforeMs)}
      and (reservoir_sample <> '[]'::jsonb or sample_refs <> '[]'::jsonb)`.execute(db);
  const capsulesDeleted = await deleteCapsulesBefore(db, cutoffs.capsulesBeforeMs);
  // Spans are raw telemetry: they live as long as raw samples.
  const spansDeleted = await deleteSpansBefore(db, cutoffs.rawSamplesBeforeMs);
  let blobsDeleted = 0;
  if (blobs !== undefined) {
    const expired: string[] = [];
    for await (const info of blobs.list('raw/')) {
      const parsed = parseRawSampleKey(info.key);
      // The object's hour must end before the cutoff.
      if (
        parsed !== undefined &&
        parsed.dayStartMs + (parsed.hour + 1) * 3_600_000 <= cutoffs.rawSamplesBeforeMs
      ) {
        expired.push(info.key);
      }
    }
    for (const key of expired) await blobs.delete(key);
    blobsDeleted = expired.length;
  }
  return {
    nowMs,
    cutoffs,
    droppedPartitions: dropped,
    droppedChunks,
    windowSamplesCleared: Number(cleared.numAffectedRows ?? 0n),
    capsulesDeleted,
    spansDeleted,
    blobsDeleted,
  };
}

/** What the aggregator emits and reports: outcomes, outputs, stats and the snapshot format. */
import type { AggregatorEvent } from './types.ts';
import type { WindowState } from './window-state.ts';

/** What `add` did with an event. */
export type AddOutcome = 'added' | 'duplicate' | 'corrected' | 'late' | 'invalid';

/** Why a window state was emitted. */
export type WindowOutputKind = 'closed' | 'correction' | 'evicted' | 'flushed';

/**
 * A window state leaving the aggregator. `closed`: the watermark passed its end. `correction`: the
 * whole window again after late events changed it. `evicted`: pushed out early by `maxOpenWindows`.
 * `flushed`: emitted by `flush()`. Consumers merge every kind into the stored row with `mergeWindows`.
 */
export interface WindowOutput {
  readonly kind: WindowOutputKind;
  readonly state: WindowState;
}

/** An event that arrived after its window stopped accepting late events. */
export interface LateOutput {
  readonly kind: 'late';
  readonly event: AggregatorEvent;
  readonly time_bucket_ms: number;
  readonly watermark_ms: number;
}

/** An event the aggregator cannot place (its event time is not a safe integer). */
export interface InvalidOutput {
  readonly kind: 'invalid';
  readonly event: AggregatorEvent;
  readonly reason: string;
}

/** Anything `drain()` returns. */
export type AggregatorOutput = WindowOutput | LateOutput | InvalidOutput;

/** Running totals since creation (carried over by snapshot and restore). */
export interface AggregatorStats {
  events: number;
  added: number;
  duplicates: number;
  corrected: number;
  late: number;
  invalid: number;
  /** Events counted after a window's id cap was reached (duplicates among them not detected). */
  untracked: number;
  closedWindows: number;
  correctionsEmitted: number;
  evictedWindows: number;
  flushedWindows: number;
}

/** Version tag of {@link AggregatorSnapshot}. */
export const AGGREGATOR_SNAPSHOT_FORMAT = 'slo-scout/aggregator-snapshot/v1';

/** A checkpoint of an aggregator; restore it with `restoreAggregator`. */
export interface AggregatorSnapshot {
  format: typeof AGGREGATOR_SNAPSHOT_FORMAT;
  window_size_ms: number;
  max_event_time_ms: number | null;
  watermark_floor_ms: number | null;
  /**
   * `correction_rank`: position in the queue of corrections not emitted yet, else `null`.
   * `next_replacement`: the event count at which the reservoir next takes an event (0 = not drawn),
   * kept so a restored run draws the same random numbers as an uninterrupted one.
   * `event_ids`: the event id of each hash in `state.event_hashes` (`null` where unknown), so the
   * restored dedup stays exact; optional (snapshots without it restore with hash-only matching).
   */
  windows: {
    state: WindowState;
    correction_rank: number | null;
    next_replacement: number;
    event_ids?: (string | null)[];
  }[];
  pending: AggregatorOutput[];
  stats: AggregatorStats;
}

/** Zeroed stats. */
export function emptyStats(): AggregatorStats {
  return {
    events: 0,
    added: 0,
    duplicates: 0,
    corrected: 0,
    late: 0,
    invalid: 0,
    untracked: 0,
    closedWindows: 0,
    correctionsEmitted: 0,
    evictedWindows: 0,
    flushedWindows: 0,
  };
}

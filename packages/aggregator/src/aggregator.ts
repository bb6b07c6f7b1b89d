/**
 * The streaming aggregator: tumbling event-time windows keyed by fingerprint, service and bucket,
 * closed by a watermark, with allowed lateness, corrections, a late output, caps and snapshots.
 */
import { resolveOptions, type AggregatorOptions, type ResolvedOptions } from './options.ts';
import {
  AGGREGATOR_SNAPSHOT_FORMAT,
  emptyStats,
  type AddOutcome,
  type AggregatorOutput,
  type AggregatorSnapshot,
  type AggregatorStats,
} from './outputs.ts';
import type { AggregatorEvent } from './types.ts';
import { SourceInterner } from './sources.ts';
import { WindowAccumulator, type WindowLimits } from './window.ts';

/** A running aggregator; see {@link createAggregator}. */
export interface Aggregator {
  /** Adds one event and returns what happened to it; never throws. */
  add(event: AggregatorEvent): AddOutcome;
  /** Moves the watermark to at least `timeMs` (for idle partitions), closing windows it passes. */
  advanceWatermark(timeMs: number): void;
  /** Emits every open window as `flushed` (and pending corrections), then forgets all windows. */
  flush(): void;
  /** Returns and clears everything emitted since the last call, oldest first. */
  drain(): AggregatorOutput[];
  /** The current watermark, or `null` before the first event. */
  watermark(): number | null;
  /** Windows held in memory (open, or closed and awaiting late events). */
  retainedWindows(): number;
  /** Running totals. */
  stats(): AggregatorStats;
  /** A JSON-serialisable copy of the whole state (pending outputs included) for checkpoints. */
  snapshot(): AggregatorSnapshot;
}

/** A window rebuilt from a snapshot, with its place in the correction queue. */
export interface RestoredWindow {
  readonly acc: WindowAccumulator;
  readonly correctionRank: number | null;
}

interface Bucket {
  readonly start: number;
  readonly end: number;
  closed: boolean;
  /** Head of each fingerprint's chain of windows (one per service). */
  readonly windows: Map<string, WindowAccumulator>;
}

/** Implementation of {@link Aggregator}; internal, built by `createAggregator`. */
export class StreamAggregator implements Aggregator {
  private readonly options: ResolvedOptions;
  private readonly limits: WindowLimits;
  /** Numbers source strings for every window held; cleared whenever no window is held. */
  private readonly interner = new SourceInterner();
  private readonly buckets = new Map<number, Bucket>();
  private lastBucket: Bucket | null = null;
  private retained = 0;
  private maxEventTime = -Infinity;
  private watermarkFloor = -Infinity;
  private currentWatermark = -Infinity;
  /** Smallest watermark at which some bucket closes or is purged. */
  private nextDeadline = Infinity;
  private pending: AggregatorOutput[] = [];
  private dirty: WindowAccumulator[] = [];
  private readonly totals: AggregatorStats = emptyStats();

  constructor(options: AggregatorOptions) {
    this.options = resolveOptions(options);
    this.limits = {
      reservoirSize: this.options.reservoirSize,
      sourceCapacity: this.options.maxExactSources,
      maxTrackedIds: this.options.maxTrackedIdsPerWindow,
      interner: this.interner,
    };
  }

  add(event: AggregatorEvent): AddOutcome {
    const totals = this.totals;
    totals.events++;
    const time = event.event_time_ms;
    if (!Number.isSafeInteger(time)) {
      totals.invalid++;
      this.pending.push({ kind: 'invalid', event, reason: 'event_time_ms is not a safe integer' });
      return 'invalid';
    }
    const size = this.options.windowMs;
    const start = Math.floor(time / size) * size;
    let bucket = this.lastBucket;
    if (bucket === null || bucket.start !== start) {
      bucket = this.buckets.get(start) ?? this.openBucket(start);
      if (bucket === null) {
        totals.late++;
        this.pending.push({
          kind: 'late',
          event,
          time_bucket_ms: start,
          watermark_ms: this.currentWatermark,
        });
        return 'late';
      }
      this.lastBucket = bucket;
    }
    const outcome = this.addToBucket(bucket, event);
    if (time > this.maxEventTime) {
      this.maxEventTime = time;
      this.setWatermark(time - this.options.watermarkDelayMs);
    }
    return outcome;
  }

  advanceWatermark(timeMs: number): void {
    if (!Number.isFinite(timeMs) || timeMs <= this.watermarkFloor) return;
    this.watermarkFloor = timeMs;
    this.setWatermark(timeMs);
  }

  flush(): void {
    this.collectCorrections();
    for (const bucket of this.sortedBuckets()) {
      if (bucket.closed) continue;
      for (const acc of windowsOf(bucket)) {
        this.totals.flushedWindows++;
        this.pending.push({ kind: 'flushed', state: acc.toState() });
      }
    }
    this.buckets.clear();
    this.lastBucket = null;
    this.retained = 0;
    this.interner.clear();
    this.nextDeadline = Infinity;
  }

  drain(): AggregatorOutput[] {
    this.collectCorrections();
    const out = this.pending;
    this.pending = [];
    return out;
  }

  watermark(): number | null {
    return this.currentWatermark === -Infinity ? null : this.currentWatermark;
  }

  retainedWindows(): number {
    return this.retained;
  }

  stats(): AggregatorStats {
    return { ...this.totals };
  }

  snapshot(): AggregatorSnapshot {
    const ranks = new Map<WindowAccumulator, number>();
    for (const acc of this.dirty) if (acc.dirty && !ranks.has(acc)) ranks.set(acc, ranks.size);
    const windows: AggregatorSnapshot['windows'] = [];
    for (const bucket of this.sortedBuckets()) {
      for (const acc of windowsOf(bucket)) {
        windows.push({
          state: acc.toState(),
          correction_rank: ranks.get(acc) ?? null,
          next_replacement: acc.nextReplacement,
        });
      }
    }
    return {
      format: AGGREGATOR_SNAPSHOT_FORMAT,
      window_size_ms: this.options.windowMs,
      max_event_time_ms: this.maxEventTime === -Infinity ? null : this.maxEventTime,
      watermark_floor_ms: this.watermarkFloor === -Infinity ? null : this.watermarkFloor,
      windows,
      pending: structuredCloneOutputs(this.pending),
      stats: this.stats(),
    };
  }

  /** Loads restored state into a fresh aggregator (used by `restoreAggregator`). */
  load(snapshot: AggregatorSnapshot, accumulators: RestoredWindow[]): void {
    this.maxEventTime = snapshot.max_event_time_ms ?? -Infinity;
    this.watermarkFloor = snapshot.watermark_floor_ms ?? -Infinity;
    this.currentWatermark = Math.max(
      this.maxEventTime - this.options.watermarkDelayMs,
      this.watermarkFloor,
    );
    Object.assign(this.totals, snapshot.stats);
    this.pending = structuredCloneOutputs(snapshot.pending);
    const dirty: RestoredWindow[] = [];
    for (const restored of accumulators) {
      const acc = restored.acc;
      acc.sources.adopt(this.interner);
      const bucket = this.buckets.get(acc.bucketMs) ?? this.createBucket(acc.bucketMs);
      const head = bucket.windows.get(acc.fingerprintHash);
      if (head === undefined) bucket.windows.set(acc.fingerprintHash, acc);
      else {
        let tail = head;
        while (tail.nextService !== null) tail = tail.nextService;
        tail.nextService = acc;
      }
      this.retained++;
      if (restored.correctionRank !== null) {
        acc.dirty = true;
        dirty.push(restored);
      }
    }
    dirty.sort((a, b) => a.correctionRank! - b.correctionRank!);
    this.dirty = dirty.map((restored) => restored.acc);
    // Buckets the restored watermark already passed close or purge now, as they would have.
    this.runDeadlines();
  }

  private addToBucket(bucket: Bucket, event: AggregatorEvent): AddOutcome {
    const fingerprint = event.fingerprint_hash;
    const head = bucket.windows.get(fingerprint);
    let acc = head;
    while (acc !== undefined && acc.service !== event.service) acc = acc.nextService ?? undefined;
    if (acc === undefined) {
      this.makeRoom();
      const where = { startMs: bucket.start, sizeMs: this.options.windowMs };
      acc = new WindowAccumulator(event, where, this.limits);
      // Re-read the head: making room may have evicted windows of this bucket.
      acc.nextService = bucket.windows.get(fingerprint) ?? null;
      bucket.windows.set(fingerprint, acc);
      this.retained++;
    }
    const untracked = acc.untracked;
    if (!acc.add(event, this.options.random)) {
      this.totals.duplicates++;
      return 'duplicate';
    }
    if (acc.untracked !== untracked) this.totals.untracked++;
    if (bucket.closed) {
      this.totals.corrected++;
      if (!acc.dirty) {
        acc.dirty = true;
        this.dirty.push(acc);
      }
      return 'corrected';
    }
    this.totals.added++;
    return 'added';
  }

  /** Returns the bucket for a new start, or null when events for it are past allowed lateness. */
  private openBucket(start: number): Bucket | null {
    const end = start + this.options.windowMs;
    if (this.currentWatermark >= end + this.options.allowedLatenessMs) return null;
    return this.createBucket(start);
  }

  private createBucket(start: number): Bucket {
    const end = start + this.options.windowMs;
    const bucket: Bucket = {
      start,
      end,
      closed: this.currentWatermark >= end,
      windows: new Map(),
    };
    this.buckets.set(start, bucket);
    const deadline = bucket.closed ? end + this.options.allowedLatenessMs : end;
    if (deadline < this.nextDeadline) this.nextDeadline = deadline;
    return bucket;
  }

  private setWatermark(candidate: number): void {
    if (candidate <= this.currentWatermark) return;
    this.currentWatermark = candidate;
    if (candidate >= this.nextDeadline) this.runDeadlines();
  }

  /** Closes buckets the watermark passed and purges those past allowed lateness. */
  private runDeadlines(): void {
    const wm = this.currentWatermark;
    const lateness = this.options.allowedLatenessMs;
    let next = Infinity;
    for (const bucket of this.sortedBuckets()) {
      if (!bucket.closed && wm >= bucket.end) {
        bucket.closed = true;
        for (const acc of windowsOf(bucket)) {
          this.totals.closedWindows++;
          this.pending.push({ kind: 'closed', state: acc.toState() });
        }
      }
      if (bucket.closed && wm >= bucket.end + lateness) {
        this.dropBucket(bucket);
        continue;
      }
      const deadline = bucket.closed ? bucket.end + lateness : bucket.end;
      if (deadline < next) next = deadline;
    }
    this.nextDeadline = next;
  }

  private dropBucket(bucket: Bucket): void {
    for (const acc of windowsOf(bucket)) {
      this.emitCorrection(acc);
      this.retained--;
    }
    this.buckets.delete(bucket.start);
    if (this.lastBucket === bucket) this.lastBucket = null;
    // No window refers to source numbers any more: start numbering afresh (bounds the interner).
    if (this.retained === 0) this.interner.clear();
  }

  /** Evicts windows of the oldest bucket until a new window fits under `maxOpenWindows`. */
  private makeRoom(): void {
    while (this.retained >= this.options.maxOpenWindows) {
      let oldest: Bucket | null = null;
      for (const bucket of this.buckets.values()) {
        if (bucket.windows.size > 0 && (oldest === null || bucket.start < oldest.start)) {
          oldest = bucket;
        }
      }
      if (oldest === null) return;
      const [fingerprint, acc] = oldest.windows.entries().next().value!;
      if (acc.nextService === null) oldest.windows.delete(fingerprint);
      else oldest.windows.set(fingerprint, acc.nextService);
      acc.nextService = null;
      this.retained--;
      if (oldest.closed) {
        this.emitCorrection(acc);
      } else {
        this.totals.evictedWindows++;
        this.pending.push({ kind: 'evicted', state: acc.toState() });
      }
    }
  }

  private emitCorrection(acc: WindowAccumulator): void {
    if (!acc.dirty) return;
    acc.dirty = false;
    this.totals.correctionsEmitted++;
    this.pending.push({ kind: 'correction', state: acc.toState() });
  }

  private collectCorrections(): void {
    for (const acc of this.dirty) this.emitCorrection(acc);
    this.dirty = [];
  }

  private sortedBuckets(): Bucket[] {
    return [...this.buckets.values()].sort((a, b) => a.start - b.start);
  }
}

function* windowsOf(bucket: Bucket): Generator<WindowAccumulator> {
  for (const head of bucket.windows.values()) {
    for (let acc: WindowAccumulator | null = head; acc !== null; acc = acc.nextService) yield acc;
  }
}

function structuredCloneOutputs(outputs: readonly AggregatorOutput[]): AggregatorOutput[] {
  return JSON.parse(JSON.stringify(outputs)) as AggregatorOutput[];
}

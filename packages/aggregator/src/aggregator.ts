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
import { IdArena } from './id-set.ts';
import { SourceInterner } from './sources.ts';
import { WindowAccumulator, type WindowLimits } from './window.ts';
import { hashWindowKey, WindowIndex } from './window-index.ts';

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
  /** Its windows in creation order; `windows[head]` is the first not evicted. */
  windows: (WindowAccumulator | undefined)[];
  head: number;
  /** Its held windows by key; one table per bucket, so a lookup never compares bucket times. */
  readonly index: WindowIndex;
}

/** Most strings a {@link StringPool} holds before it starts afresh. */
const POOL_CAPACITY = 65_536;

/**
 * Shares one string object among the windows with equal keys or templates, so comparing an
 * event's fresh string with a window's reads a string that other windows keep in cache.
 * Purely a speed-up: a string missing from the pool works the same, so it may be cleared any time.
 */
class StringPool {
  private readonly strings = new Map<string, string>();

  intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size >= POOL_CAPACITY) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }

  clear(): void {
    this.strings.clear();
  }
}

/** Implementation of {@link Aggregator}; internal, built by `createAggregator`. */
export class StreamAggregator implements Aggregator {
  private readonly options: ResolvedOptions;
  private readonly limits: WindowLimits;
  /** Numbers source strings for every window held; cleared whenever no window is held. */
  private readonly interner = new SourceInterner();
  /** Storage of every held window's id table; reset whenever no window is held. */
  private readonly arena = new IdArena();
  private readonly buckets = new Map<number, Bucket>();
  private readonly pool = new StringPool();
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
      arena: this.arena,
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
    this.pool.clear();
    this.arena.reset();
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
          event_ids: acc.knownIds(),
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
      acc.adopt(this.interner, this.arena);
      const bucket = this.buckets.get(acc.bucketMs) ?? this.createBucket(acc.bucketMs);
      bucket.windows.push(acc);
      acc.keyHash = hashWindowKey(acc.fingerprintHash, acc.service);
      bucket.index.insert(acc);
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
    const service = event.service;
    const hash = hashWindowKey(fingerprint, service);
    let acc = bucket.index.find(hash, fingerprint, service);
    if (acc === undefined) acc = this.openWindow(bucket, event, hash);
    const untracked = acc.untracked;
    if (!acc.add(event, this.options.random, event.event_time_ms - bucket.start)) {
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

  private openWindow(bucket: Bucket, event: AggregatorEvent, hash: number): WindowAccumulator {
    this.makeRoom();
    const pool = this.pool;
    const key = {
      fingerprint_hash: pool.intern(event.fingerprint_hash),
      service: pool.intern(event.service),
      template: pool.intern(event.template),
    };
    const where = { startMs: bucket.start, sizeMs: this.options.windowMs };
    const acc = new WindowAccumulator(key, where, this.limits);
    acc.keyHash = hash;
    bucket.windows.push(acc);
    bucket.index.insert(acc);
    this.retained++;
    return acc;
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
      windows: [],
      head: 0,
      index: new WindowIndex(),
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
      acc.releaseIds();
      this.retained--;
    }
    this.buckets.delete(bucket.start);
    if (this.lastBucket === bucket) this.lastBucket = null;
    // No window refers to source numbers any more: start numbering afresh (bounds the interner).
    if (this.retained === 0) {
      this.interner.clear();
      this.pool.clear();
      this.arena.reset();
    }
  }

  /** Evicts windows of the oldest bucket until a new window fits under `maxOpenWindows`. */
  private makeRoom(): void {
    while (this.retained >= this.options.maxOpenWindows) {
      let oldest: Bucket | null = null;
      for (const bucket of this.buckets.values()) {
        const held = bucket.head < bucket.windows.length;
        if (held && (oldest === null || bucket.start < oldest.start)) oldest = bucket;
      }
      if (oldest === null) return;
      const acc = oldest.windows[oldest.head]!;
      oldest.windows[oldest.head++] = undefined;
      if (oldest.head * 2 > oldest.windows.length) {
        oldest.windows = oldest.windows.slice(oldest.head);
        oldest.head = 0;
      }
      oldest.index.delete(acc);
      this.retained--;
      if (oldest.closed) {
        this.emitCorrection(acc);
      } else {
        this.totals.evictedWindows++;
        this.pending.push({ kind: 'evicted', state: acc.toState() });
      }
      acc.releaseIds();
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
  const windows = bucket.windows;
  for (let i = bucket.head; i < windows.length; i++) yield windows[i]!;
}

function structuredCloneOutputs(outputs: readonly AggregatorOutput[]): AggregatorOutput[] {
  return JSON.parse(JSON.stringify(outputs)) as AggregatorOutput[];
}

/**
 * The live, mutable accumulator of one open window (internal). It holds Maps and Sets for speed
 * and converts to and from the plain {@link WindowState} at the edges.
 */
import { IdSet } from './id-set.ts';
import { randomIndex, type Random } from './random.ts';
import {
  emptySeverityCounts,
  toSeverityCounts,
  toSeverityDistribution,
  toSeverityIndex,
  type SeverityCounts,
} from './severity.ts';
import { SourceCounter, type SourceInterner } from './sources.ts';
import type { AggregatorEvent, SampleEntry } from './types.ts';
import { WINDOW_STATE_FORMAT, type WindowState } from './window-state.ts';

/** Per-window limits, fixed when the window is created. */
export interface WindowLimits {
  readonly reservoirSize: number;
  readonly sourceCapacity: number;
  readonly maxTrackedIds: number;
  /** Shared numbering of source strings (see {@link SourceInterner}); a private one when absent. */
  readonly interner?: SourceInterner;
}

/** Where a window sits in time. */
export interface WindowBucket {
  readonly startMs: number;
  readonly sizeMs: number;
}

/** Mutable accumulator of one window. */
export class WindowAccumulator {
  readonly fingerprintHash: string;
  readonly service: string;
  readonly bucketMs: number;
  readonly sizeMs: number;
  readonly reservoirSize: number;
  readonly maxTrackedIds: number;
  template: string;
  count = 0;
  untracked = 0;
  firstSeen = Infinity;
  lastSeen = -Infinity;
  readonly severity: SeverityCounts;
  readonly reservoir: SampleEntry[] = [];
  readonly sources: SourceCounter;
  /** Hashes of the event ids counted here, with their severity range: the dedup state. */
  ids = new IdSet();
  /** Next window of the same fingerprint in the same bucket with another service. */
  nextService: WindowAccumulator | null = null;
  /** Count at which the next reservoir replacement happens; 0 before it is drawn. */
  nextReplacement = 0;
  /** Source of the previous event, to skip the distinct-source lookup on repeats. */
  private lastSource: string | null = null;
  /** Changed since it was last emitted (only meaningful once its bucket closed). */
  dirty = false;

  constructor(event: AggregatorEvent, bucket: WindowBucket, limits: WindowLimits) {
    this.fingerprintHash = event.fingerprint_hash;
    this.service = event.service;
    this.template = event.template;
    this.bucketMs = bucket.startMs;
    this.sizeMs = bucket.sizeMs;
    this.reservoirSize = limits.reservoirSize;
    this.maxTrackedIds = Math.min(limits.maxTrackedIds, IdSet.MAX_SIZE);
    this.severity = emptySeverityCounts();
    this.sources =
      limits.interner === undefined
        ? new SourceCounter(limits.sourceCapacity)
        : new SourceCounter(limits.sourceCapacity, limits.interner);
  }

  /** Adds one event; returns false when its id was already counted here. */
  add(event: AggregatorEvent, random: Random): boolean {
    const severity = toSeverityIndex(event.severity_number);
    const ids = this.ids;
    if (ids.size < this.maxTrackedIds) {
      if (!ids.add(event.source_event_id, severity)) return false;
    } else if (ids.size > 0 && ids.has(event.source_event_id)) {
      return false;
    } else {
      this.untracked++;
    }
    const n = ++this.count;
    this.severity[severity]!++;
    const time = event.event_time_ms;
    if (time < this.firstSeen) this.firstSeen = time;
    if (time > this.lastSeen) this.lastSeen = time;
    const template = event.template;
    if (template !== this.template && template < this.template) this.template = template;
    const source = event.source;
    // Most events of a window repeat the previous source; skip the set lookup then.
    if (source !== null && source !== this.lastSource) {
      this.sources.add(source);
      this.lastSource = source;
    }
    // Algorithm R (Vitter 1985): the n-th event replaces a random slot with probability K / n.
    // Vitter's Algorithm X draws the gap to the next replacement at once, so most events cost no
    // random draw; the gap distribution depends only on n, so it can be redrawn after a restore.
    const k = this.reservoirSize;
    if (n <= k) {
      this.reservoir.push(toSample(event));
      return true;
    }
    if (this.nextReplacement < n) this.nextReplacement = nextReplacement(n - 1, k, random);
    if (n === this.nextReplacement) {
      this.reservoir[randomIndex(random, k)] = toSample(event);
      this.nextReplacement = nextReplacement(n, k, random);
    }
    return true;
  }

  /** Returns a plain, independent copy of the state. */
  toState(): WindowState {
    const { hashes, severities } = this.ids.serialize();
    const exact = this.sources.values();
    return {
      format: WINDOW_STATE_FORMAT,
      fingerprint_hash: this.fingerprintHash,
      service: this.service,
      template: this.template,
      time_bucket_ms: this.bucketMs,
      window_size_ms: this.sizeMs,
      count: this.count,
      severity_distribution: toSeverityDistribution(this.severity),
      first_seen_ms: this.firstSeen,
      last_seen_ms: this.lastSeen,
      reservoir_size: this.reservoirSize,
      reservoir_sample: this.reservoir.map((entry) => ({ ...entry })),
      sources: exact,
      source_sketch: exact === null ? [...this.sources.sketch!] : null,
      source_capacity: this.sources.capacity,
      event_hashes: hashes,
      event_severity: severities,
      untracked_count: this.untracked,
    };
  }

  /** Rebuilds an accumulator from a valid state; `maxTrackedIds` is the current id cap. */
  static fromState(state: WindowState, maxTrackedIds: number): WindowAccumulator {
    const seed: AggregatorEvent = {
      fingerprint_hash: state.fingerprint_hash,
      service: state.service,
      template: state.template,
      severity_number: 0,
      event_time_ms: state.first_seen_ms,
      redacted_sample: '',
      source_event_id: '',
      source: null,
    };
    const bucket = { startMs: state.time_bucket_ms, sizeMs: state.window_size_ms };
    const acc = new WindowAccumulator(seed, bucket, {
      reservoirSize: state.reservoir_size,
      sourceCapacity: state.source_capacity,
      maxTrackedIds: Math.max(maxTrackedIds, state.event_hashes.length / 16),
    });
    acc.count = state.count;
    acc.untracked = state.untracked_count;
    acc.firstSeen = state.first_seen_ms;
    acc.lastSeen = state.last_seen_ms;
    toSeverityCounts(state.severity_distribution).forEach((n, i) => (acc.severity[i] = n));
    for (const entry of state.reservoir_sample) acc.reservoir.push({ ...entry });
    acc.sources.load(state.sources, state.source_sketch);
    acc.ids = IdSet.deserialize(state.event_hashes, state.event_severity);
    return acc;
  }
}

/**
 * Vitter's Algorithm X: after `n` events with a full reservoir of `k`, the next event to enter
 * it is the first t > n with u >= prod_{j = n+1..t} (j - k) / j, for u uniform in [0, 1).
 */
function nextReplacement(n: number, k: number, random: Random): number {
  const u = random.next();
  let t = n;
  let quotient = 1;
  do {
    t++;
    quotient *= (t - k) / t;
  } while (quotient > u);
  return t;
}

function toSample(event: AggregatorEvent): SampleEntry {
  return {
    event_id: event.source_event_id,
    event_time_ms: event.event_time_ms,
    severity_number: event.severity_number,
    redacted_sample: event.redacted_sample,
  };
}

/**
 * The live, mutable accumulator of one open window (internal). It converts to and from the plain
 * {@link WindowState} at the edges.
 */
import { IdArena, IdSet } from './id-set.ts';
import { randomIndex, type Random } from './random.ts';
import {
  toSeverityCounts,
  toSeverityDistribution,
  toSeverityIndex,
  type SeverityCounts,
} from './severity.ts';
import { mergeSketches, SourceCounter, SourceInterner, toSketch } from './sources.ts';
import type { AggregatorEvent, SampleEntry } from './types.ts';
import { WINDOW_STATE_FORMAT, type WindowState } from './window-state.ts';

/** Per-window limits, fixed when the window is created. */
export interface WindowLimits {
  readonly reservoirSize: number;
  readonly sourceCapacity: number;
  readonly maxTrackedIds: number;
  /** Shared numbering of source strings (see {@link SourceInterner}); a private one when absent. */
  readonly interner?: SourceInterner;
  /** Shared storage of the id tables (see {@link IdArena}); a private one when absent. */
  readonly arena?: IdArena;
}

/** Where a window sits in time. */
export interface WindowBucket {
  readonly startMs: number;
  readonly sizeMs: number;
}

/** Source numbers below this are tracked in each window's bit set (four 32-bit words). */
const SOURCE_BITS = 128;

/**
 * Mutable accumulator of one window. Everything an ordinary event updates (count, severity
 * counts, first and last seen, template, the source bit set, the reservoir skip) is a field of
 * this one object, so an event touches it, its id table and little else: with thousands of
 * windows each of those is a cache miss, and the misses are what the hot path costs.
 */
export class WindowAccumulator extends IdSet {
  readonly fingerprintHash: string;
  readonly service: string;
  readonly bucketMs: number;
  readonly sizeMs: number;
  readonly reservoirSize: number;
  readonly maxTrackedIds: number;
  /** Hash of (fingerprint, service, bucket) in the aggregator's window index. */
  keyHash = 0;
  template: string;
  count = 0;
  untracked = 0;
  // First and last event time as offsets from the bucket start, so they stay small integers
  // (V8 keeps a double field in a separate box: one more cache miss per event).
  private firstOffset: number;
  private lastOffset = -1;
  // Severity counts by range index (see SEVERITY_RANGES), as fields rather than an array.
  private sev0 = 0;
  private sev1 = 0;
  private sev2 = 0;
  private sev3 = 0;
  private sev4 = 0;
  private sev5 = 0;
  private sev6 = 0;
  // Distinct sources numbered below SOURCE_BITS, as a bit set; `sources` holds the others.
  private src0 = 0;
  private src1 = 0;
  private src2 = 0;
  private src3 = 0;
  /** Bits set in src0..src3. */
  private bitSources = 0;
  /** Distinct sources in `sources` while exact. */
  private otherSources = 0;
  /** True once the distinct sources overflowed into the sketch (then `sources` holds it). */
  private sourceSketch = false;
  /**
   * The reservoir sample, flat: event id, event time, severity number and redacted sample of each
   * entry in turn. One array per window instead of an object per entry, so taking an event writes
   * four slots of one array (no allocation) and the sample is one object for the GC.
   */
  private samples: (string | number)[] = [];
  /**
   * Whether `samples` holds absolute event times rather than offsets from the bucket start; only
   * for a restored sample whose times lie so far outside the window that an offset is inexact.
   */
  private absoluteSampleTimes = false;
  /** The distinct sources not in the bit set (numbered from SOURCE_BITS, or strings); the sketch. */
  readonly sources: SourceCounter;
  private interner: SourceInterner;
  /** Count at which the next reservoir replacement happens; 0 before it is drawn. */
  nextReplacement = 0;
  /** Changed since it was last emitted (only meaningful once its bucket closed). */
  dirty = false;

  constructor(
    event: Pick<AggregatorEvent, 'fingerprint_hash' | 'service' | 'template'>,
    bucket: WindowBucket,
    limits: WindowLimits,
  ) {
    super(limits.arena ?? new IdArena());
    this.fingerprintHash = event.fingerprint_hash;
    this.service = event.service;
    this.template = event.template;
    this.bucketMs = bucket.startMs;
    this.sizeMs = bucket.sizeMs;
    this.firstOffset = bucket.sizeMs;
    this.reservoirSize = limits.reservoirSize;
    this.maxTrackedIds = Math.min(limits.maxTrackedIds, IdSet.MAX_SIZE);
    this.interner = limits.interner ?? new SourceInterner(limits.sourceCapacity + 1);
    this.sources = new SourceCounter(limits.sourceCapacity, this.interner);
  }

  /** First event time seen (`bucketMs + sizeMs` before any). */
  get firstSeen(): number {
    return this.bucketMs + this.firstOffset;
  }

  /** Last event time seen (`bucketMs - 1` before any). */
  get lastSeen(): number {
    return this.bucketMs + this.lastOffset;
  }

  /**
   * Adds one event of this window; `offset` is its `event_time_ms - bucketMs` (the caller has it
   * at hand, and reading the boxed start here would cost a cache miss). Returns false when its id
   * was already counted here.
   */
  add(event: AggregatorEvent, random: Random, offset: number): boolean {
    const severity = toSeverityIndex(event.severity_number);
    if (this.idCount < this.maxTrackedIds) {
      if (!this.addId(event.source_event_id, severity)) return false;
    } else if (this.idCount > 0 && this.hasId(event.source_event_id)) {
      return false;
    } else {
      this.untracked++;
    }
    const n = ++this.count;
    this.countSeverity(severity, 1);
    if (offset < this.firstOffset) this.firstOffset = offset;
    if (offset > this.lastOffset) this.lastOffset = offset;
    const template = event.template;
    if (template !== this.template && template < this.template) this.template = template;
    const source = event.source;
    if (source !== null) this.addSource(source);
    // Algorithm R (Vitter 1985): the n-th event replaces a random slot with probability K / n.
    // Vitter's Algorithm X draws the gap to the next replacement at once, so most events cost
    // one comparison; the gap distribution depends only on n, so it can be redrawn after a restore.
    const k = this.reservoirSize;
    if (n <= k) {
      this.putSample(this.samples.length, event, offset);
      return true;
    }
    if (this.nextReplacement < n) this.nextReplacement = nextReplacement(n - 1, k, random);
    if (n === this.nextReplacement) {
      // A sample short of K (restored with untracked events) takes the event as a new entry.
      this.putSample(Math.min(randomIndex(random, k) * 4, this.samples.length), event, offset);
      this.nextReplacement = nextReplacement(n, k, random);
    }
    return true;
  }

  /** Writes an event (at time offset `offset`) as the sample entry starting at flat index `at`. */
  private putSample(at: number, event: AggregatorEvent, offset: number): void {
    const samples = this.samples;
    samples[at] = event.source_event_id;
    samples[at + 1] = this.absoluteSampleTimes ? event.event_time_ms : offset;
    samples[at + 2] = event.severity_number;
    samples[at + 3] = event.redacted_sample;
  }

  /** The reservoir sample as independent entries. */
  sampleEntries(): SampleEntry[] {
    const samples = this.samples;
    const base = this.absoluteSampleTimes ? 0 : this.bucketMs;
    const out: SampleEntry[] = [];
    for (let at = 0; at < samples.length; at += 4) {
      out.push({
        event_id: samples[at] as string,
        event_time_ms: base + (samples[at + 1] as number),
        severity_number: samples[at + 2] as number,
        redacted_sample: samples[at + 3] as string,
      });
    }
    return out;
  }

  private addSource(source: string): void {
    if (this.sourceSketch) {
      this.sources.add(source);
      return;
    }
    const member = this.interner.encode(source);
    if (typeof member === 'number' && member < SOURCE_BITS) {
      // Most sources of a window are among the first numbered: a bit test on this object
      // then replaces a search through a list held elsewhere.
      const bit = 1 << (member & 31);
      switch (member >>> 5) {
        case 0:
          if ((this.src0 & bit) !== 0) return;
          this.src0 |= bit;
          break;
        case 1:
          if ((this.src1 & bit) !== 0) return;
          this.src1 |= bit;
          break;
        case 2:
          if ((this.src2 & bit) !== 0) return;
          this.src2 |= bit;
          break;
        default:
          if ((this.src3 & bit) !== 0) return;
          this.src3 |= bit;
      }
      this.bitSources++;
    } else {
      this.sources.add(source, member);
      if (this.sources.sketch !== null) {
        this.toSourceSketch();
        return;
      }
      this.otherSources = this.sources.count();
    }
    if (this.bitSources + this.otherSources > this.sources.capacity) this.toSourceSketch();
  }

  /** The sources of the bit set, in number order. */
  private bitSourceValues(): string[] {
    const out: string[] = [];
    const words = [this.src0, this.src1, this.src2, this.src3];
    for (let member = 0; member < SOURCE_BITS; member++) {
      if ((words[member >>> 5]! & (1 << (member & 31))) !== 0) {
        out.push(this.interner.decode(member));
      }
    }
    return out;
  }

  /** Switches to the KMV sketch of every distinct source (the union of both parts). */
  private toSourceSketch(): void {
    const capacity = this.sources.capacity;
    const bits = toSketch(this.bitSourceValues(), capacity);
    const others = this.sources.values();
    const rest = others === null ? this.sources.sketch! : toSketch(others, capacity);
    this.sources.load(null, mergeSketches(bits, rest, capacity));
    this.src0 = this.src1 = this.src2 = this.src3 = 0;
    this.bitSources = this.otherSources = 0;
    this.sourceSketch = true;
  }

  /** The distinct sources, sorted (independent of numbering), or `null` once sketched. */
  exactSources(): string[] | null {
    if (this.sourceSketch) return null;
    const values = this.bitSourceValues();
    for (const value of this.sources.values() ?? []) values.push(value);
    return values.sort();
  }

  /** Moves a restored window onto the aggregator's source numbering and id storage. */
  adopt(interner: SourceInterner, arena: IdArena): void {
    this.adoptArena(arena);
    this.adoptInterner(interner);
  }

  private adoptInterner(interner: SourceInterner): void {
    const values = this.exactSources();
    this.interner = interner;
    this.sources.adopt(interner);
    if (values === null) return;
    this.sources.load([], null);
    this.src0 = this.src1 = this.src2 = this.src3 = 0;
    this.bitSources = this.otherSources = 0;
    for (const value of values) this.addSource(value);
  }

  private countSeverity(index: number, by: number): void {
    switch (index) {
      case 0:
        this.sev0 += by;
        break;
      case 1:
        this.sev1 += by;
        break;
      case 2:
        this.sev2 += by;
        break;
      case 3:
        this.sev3 += by;
        break;
      case 4:
        this.sev4 += by;
        break;
      case 5:
        this.sev5 += by;
        break;
      default:
        this.sev6 += by;
    }
  }

  /** Counts per severity range, indexed like SEVERITY_RANGES. */
  severityCounts(): SeverityCounts {
    return [this.sev0, this.sev1, this.sev2, this.sev3, this.sev4, this.sev5, this.sev6];
  }

  /** Returns a plain, independent copy of the state. */
  toState(): WindowState {
    const { hashes, severities } = this.serializeIds();
    const exact = this.exactSources();
    return {
      format: WINDOW_STATE_FORMAT,
      fingerprint_hash: this.fingerprintHash,
      service: this.service,
      template: this.template,
      time_bucket_ms: this.bucketMs,
      window_size_ms: this.sizeMs,
      count: this.count,
      severity_distribution: toSeverityDistribution(this.severityCounts()),
      first_seen_ms: this.firstSeen,
      last_seen_ms: this.lastSeen,
      reservoir_size: this.reservoirSize,
      reservoir_sample: this.sampleEntries(),
      sources: exact,
      source_sketch: exact === null ? [...this.sources.sketch!] : null,
      source_capacity: this.sources.capacity,
      event_hashes: hashes,
      event_severity: severities,
      untracked_count: this.untracked,
    };
  }

  /**
   * Rebuilds an accumulator from a valid state; `maxTrackedIds` is the current id cap, `ids` the
   * event ids of its hashes when known (a snapshot keeps them, a merged state does not).
   */
  static fromState(
    state: WindowState,
    maxTrackedIds: number,
    ids?: readonly (string | null)[],
  ): WindowAccumulator {
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
    acc.firstOffset = state.first_seen_ms - state.time_bucket_ms;
    acc.lastOffset = state.last_seen_ms - state.time_bucket_ms;
    const counts = toSeverityCounts(state.severity_distribution);
    for (const [i, n] of counts.entries()) acc.countSeverity(i, n);
    const base = state.time_bucket_ms;
    // Entries are validated safe integers, but not to lie in the window: keep them absolute when
    // an offset would not give the time back exactly.
    acc.absoluteSampleTimes = state.reservoir_sample.some(
      (entry) => base + (entry.event_time_ms - base) !== entry.event_time_ms,
    );
    for (const entry of state.reservoir_sample) {
      acc.samples.push(
        entry.event_id,
        acc.absoluteSampleTimes ? entry.event_time_ms : entry.event_time_ms - base,
        entry.severity_number,
        entry.redacted_sample,
      );
    }
    acc.sources.load(state.sources, state.source_sketch);
    acc.sourceSketch = state.source_sketch !== null;
    acc.adoptInterner(acc.interner);
    acc.loadIds(state.event_hashes, state.event_severity, ids);
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

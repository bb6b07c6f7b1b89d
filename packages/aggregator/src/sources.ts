/**
 * Distinct `source` values of a window: an exact set while there are at most `capacity` of them,
 * then a K-minimum-values sketch (Bar-Yossef et al., 2002) of the `capacity` smallest 32-bit hashes,
 * whose relative standard error is about 1 / sqrt(capacity - 2). Both forms merge by union, so
 * merging is commutative, associative and idempotent.
 */

const TWO_POW_32 = 4_294_967_296;

/** FNV-1a over UTF-16 code units, finished with the murmur3 fmix32 avalanche; unsigned 32 bits. */
export function hashSource(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Estimates a distinct count from a full KMV sketch (sorted hashes, `length === capacity`). */
export function estimateFromSketch(sketch: readonly number[], capacity: number): number {
  if (sketch.length < capacity) return sketch.length;
  const kth = ((sketch[capacity - 1] ?? 0) + 1) / TWO_POW_32;
  return Math.max(capacity, Math.round((capacity - 1) / kth));
}

/** Inserts `hash` into a sorted sketch, keeping at most `capacity` smallest distinct hashes. */
export function insertIntoSketch(sketch: number[], hash: number, capacity: number): void {
  const n = sketch.length;
  if (n >= capacity && hash >= (sketch[n - 1] ?? 0)) return;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sketch[mid] ?? 0) < hash) lo = mid + 1;
    else hi = mid;
  }
  if (sketch[lo] === hash) return;
  sketch.splice(lo, 0, hash);
  if (sketch.length > capacity) sketch.pop();
}

/** Builds a sketch of the given values' hashes. */
export function toSketch(values: Iterable<string>, capacity: number): number[] {
  const sketch: number[] = [];
  for (const value of values) insertIntoSketch(sketch, hashSource(value), capacity);
  return sketch;
}

/** Merges two sketches into the `capacity` smallest distinct hashes of their union. */
export function mergeSketches(
  a: readonly number[],
  b: readonly number[],
  capacity: number,
): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (out.length < capacity && (i < a.length || j < b.length)) {
    const x = i < a.length ? (a[i] ?? 0) : Infinity;
    const y = j < b.length ? (b[j] ?? 0) : Infinity;
    const next = x <= y ? x : y;
    if (x === next) i++;
    if (y === next) j++;
    out.push(next);
  }
  return out;
}

/** Most distinct sources a {@link SourceInterner} numbers (about 6 MB of names and map entries). */
export const INTERNER_CAPACITY = 65_536;

/**
 * Numbers distinct source strings for all windows of one aggregator, so a window's exact set holds
 * small integers: checking a repeated source then touches one hot shared map and a short array of
 * numbers instead of a per-window hash set and the stored strings. It only grows, up to
 * `capacity`; sources arriving after that are stored as strings. It may be cleared only when no
 * window refers to it. Invariant: a window holds a source as a number exactly when the interner
 * knew it when it was added, and since the interner never forgets while windows exist, every
 * window encodes one source the same way, so membership checks stay exact.
 */
export class SourceInterner {
  private readonly ids = new Map<string, number>();
  /** Source of each number. */
  readonly names: string[] = [];
  readonly capacity: number;

  constructor(capacity: number = INTERNER_CAPACITY) {
    this.capacity = capacity;
  }

  /** The number of `source`, or the string itself once the interner is full and does not know it. */
  encode(source: string): number | string {
    const id = this.ids.get(source);
    if (id !== undefined) return id;
    const n = this.names.length;
    if (n >= this.capacity) return source;
    this.ids.set(source, n);
    this.names.push(source);
    return n;
  }

  /** The source string of an encoded member. */
  decode(member: number | string): string {
    return typeof member === 'number' ? this.names[member]! : member;
  }

  /** Distinct sources numbered so far. */
  get size(): number {
    return this.names.length;
  }

  /** Forgets every number; only safe when no window refers to them. */
  clear(): void {
    this.ids.clear();
    this.names.length = 0;
  }
}

/** Distinct sources of one window; `null` sources are not counted. */
export class SourceCounter {
  /** Encoded distinct sources in insertion order while small; `null` once the sketch took over. */
  private encoded: (number | string)[] | null = [];
  /** Sorted KMV sketch once the set outgrew `capacity`; `null` before. */
  sketch: number[] | null = null;
  readonly capacity: number;
  private interner: SourceInterner;

  constructor(capacity: number, interner: SourceInterner = new SourceInterner(capacity + 1)) {
    this.capacity = capacity;
    this.interner = interner;
  }

  /** The exact distinct sources in insertion order, or `null` once the sketch took over. */
  get exact(): Set<string> | null {
    const values = this.values();
    return values === null ? null : new Set(values);
  }

  /** The exact distinct sources in insertion order, or `null` once the sketch took over. */
  values(): string[] | null {
    const members = this.encoded;
    if (members === null) return null;
    const interner = this.interner;
    return members.map((m) => interner.decode(m));
  }

  /** The encoded exact members in insertion order, or `null` once the sketch took over. */
  members(): readonly (number | string)[] | null {
    return this.encoded;
  }

  /** Replaces the state: exact `values` (distinct), or a sketch when `values` is `null`. */
  load(values: readonly string[] | null, sketch: readonly number[] | null): void {
    const interner = this.interner;
    this.encoded = values === null ? null : values.map((v) => interner.encode(v));
    this.sketch = sketch === null ? null : [...sketch];
  }

  /** Re-encodes the exact set with another interner (a restored window joining an aggregator). */
  adopt(interner: SourceInterner): void {
    const values = this.values();
    this.interner = interner;
    if (values !== null) this.load(values, null);
  }

  /** Records one source value (`member`: its encoding by this counter's interner, if known). */
  add(source: string, member?: number | string): void {
    const members = this.encoded;
    if (members !== null) {
      member ??= this.interner.encode(source);
      if (members.includes(member)) return;
      members.push(member);
      if (members.length > this.capacity) {
        this.sketch = toSketch(this.values()!, this.capacity);
        this.encoded = null;
      }
      return;
    }
    insertIntoSketch(this.sketch!, hashSource(source), this.capacity);
  }

  /** Exact count while small, else the KMV estimate. */
  count(): number {
    if (this.encoded !== null) return this.encoded.length;
    return estimateFromSketch(this.sketch!, this.capacity);
  }
}

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

/** Distinct sources of one window; `null` sources are not counted. */
export class SourceCounter {
  /** Exact set while small; `null` once the sketch took over. */
  exact: Set<string> | null;
  /** Sorted KMV sketch once the set outgrew `capacity`; `null` before. */
  sketch: number[] | null;
  readonly capacity: number;

  constructor(
    capacity: number,
    exact: Set<string> | null = new Set(),
    sketch: number[] | null = null,
  ) {
    this.capacity = capacity;
    this.exact = exact;
    this.sketch = sketch;
  }

  /** Records one source value. */
  add(source: string): void {
    const exact = this.exact;
    if (exact !== null) {
      exact.add(source);
      if (exact.size > this.capacity) {
        this.sketch = toSketch(exact, this.capacity);
        this.exact = null;
      }
      return;
    }
    insertIntoSketch(this.sketch!, hashSource(source), this.capacity);
  }

  /** Exact count while small, else the KMV estimate. */
  count(): number {
    if (this.exact !== null) return this.exact.size;
    return estimateFromSketch(this.sketch!, this.capacity);
  }
}

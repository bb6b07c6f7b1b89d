/**
 * Merging two uniform reservoir samples of disjoint populations into one uniform sample of their
 * union: each of the `t` draws picks a side with probability proportional to the events of that
 * side not drawn yet (sequential hypergeometric draws), then a random not-yet-drawn entry of that
 * side's sample. A uniform subset of a uniform sample is uniform, so the result is exact whenever
 * each side's sample holds `min(K, population)` entries.
 */
import { randomIndex, type Random } from './random.ts';
import type { SampleEntry } from './types.ts';

/** One side of a reservoir merge: a uniform sample of `population` events. */
export interface WeightedSample {
  readonly sample: readonly SampleEntry[];
  readonly population: number;
}

/** Draws a uniform sample of at most `k` entries from the union of two disjoint populations. */
export function mergeSamples(
  a: WeightedSample,
  b: WeightedSample,
  options: { readonly k: number; readonly random: Random },
): SampleEntry[] {
  const { k, random } = options;
  const poolA = a.sample.slice();
  const poolB = b.sample.slice();
  let restA = a.population;
  let restB = b.population;
  const target = Math.min(k, restA + restB);
  const out: SampleEntry[] = [];
  while (out.length < target && (poolA.length > 0 || poolB.length > 0)) {
    // If one pool ran dry (only possible after an overlap left it thin), draw from the other.
    const fromA =
      poolB.length === 0 ||
      (poolA.length > 0 && restA > 0 && random.next() * (restA + restB) < restA);
    const pool = fromA ? poolA : poolB;
    const index = randomIndex(random, pool.length);
    out.push(pool[index]!);
    pool[index] = pool[pool.length - 1]!;
    pool.pop();
    if (fromA) restA--;
    else restB--;
  }
  return out;
}

/** Returns a uniform random subset of at most `k` entries of an already uniform sample. */
export function downsample(
  sample: readonly SampleEntry[],
  k: number,
  random: Random,
): SampleEntry[] {
  const pool = sample.slice();
  if (pool.length <= k) return pool;
  // Partial Fisher-Yates: the first k slots end up a uniform k-subset.
  const n = k;
  for (let i = 0; i < n; i++) {
    const j = i + randomIndex(random, pool.length - i);
    const tmp = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = tmp;
  }
  pool.length = n;
  return pool;
}

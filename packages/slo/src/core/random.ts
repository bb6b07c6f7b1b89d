/** A source of uniform numbers in [0, 1); pass one in so cores stay deterministic. */
export interface Random {
  next(): number;
}

/** A seeded PRNG (mulberry32): the same seed gives the same sequence on every platform. */
export function createSeededRandom(seed: number): Random {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
  };
}

/** A log-normally distributed sample with the given median and shape `sigma`. */
export function sampleLogNormal(random: Random, median: number, sigma: number): number {
  const u1 = Math.max(random.next(), 1e-12);
  const u2 = random.next();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * z);
}

/** Picks an index with probability proportional to `weights`. */
export function pickWeighted(random: Random, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let r = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** A lowercase hex id of `bytes` random bytes (trace ids: 16, span ids: 8). */
export function randomHex(random: Random, bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += Math.floor(random.next() * 256)
      .toString(16)
      .padStart(2, '0');
  return out;
}

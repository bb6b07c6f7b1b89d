/**
 * The injected source of randomness, and a small seeded PRNG: xoshiro128** (Blackman and Vigna,
 * 2018) whose 128-bit state is expanded from the seed with splitmix32. Written here from the
 * published algorithm so the package stays dependency-free and reproducible.
 */
import { AggregatorError } from './errors.ts';

/** A source of uniform random floats in [0, 1); inject a seeded one for reproducible samples. */
export interface Random {
  /** Returns a float uniformly distributed in [0, 1). */
  next(): number;
}

/** The full state of a {@link SeededRandom}: four unsigned 32-bit words, not all zero. */
export type RandomState = readonly [number, number, number, number];

/** A seeded {@link Random} whose state can be saved and resumed, for checkpoints. */
export interface SeededRandom extends Random {
  /** Returns an unsigned 32-bit integer. */
  nextUint32(): number;
  /** Returns the current state; `createRandom(state)` resumes the same sequence. */
  state(): RandomState;
}

const TWO_POW_32 = 4_294_967_296;
const TWO_POW_53 = 9_007_199_254_740_992;

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function seedState(seed: number): [number, number, number, number] {
  // Mix both halves of a safe integer so seeds 1 and 2**32 + 1 give different streams.
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  const next = splitmix32((seed >>> 0) ^ Math.imul(high, 0x27d4eb2d));
  const state: [number, number, number, number] = [next(), next(), next(), next()];
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  return state;
}

function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < TWO_POW_32;
}

/**
 * Creates a seeded xoshiro128** generator from a safe-integer seed or a saved {@link RandomState}.
 * @example const random = createRandom(42); random.next(); // 0 <= x < 1, same for every run
 */
export function createRandom(seed: number | RandomState): SeededRandom {
  let s0: number;
  let s1: number;
  let s2: number;
  let s3: number;
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) {
      throw new AggregatorError('INVALID_OPTIONS', `seed must be a safe integer, got ${seed}`);
    }
    [s0, s1, s2, s3] = seedState(seed);
  } else {
    const words: readonly unknown[] = seed;
    if (!Array.isArray(words) || words.length !== 4 || !words.every(isUint32)) {
      throw new AggregatorError('INVALID_OPTIONS', 'state must be four unsigned 32-bit integers');
    }
    [s0, s1, s2, s3] = seed;
    if ((s0 | s1 | s2 | s3) === 0) {
      throw new AggregatorError('INVALID_OPTIONS', 'state must not be all zero');
    }
  }

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };

  return {
    nextUint32,
    next: () => ((nextUint32() >>> 5) * 67_108_864 + (nextUint32() >>> 6)) / TWO_POW_53,
    state: () => [s0 >>> 0, s1 >>> 0, s2 >>> 0, s3 >>> 0],
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Returns a uniform integer in [0, n) drawn from `random`; `n` is a positive safe integer. */
export function randomIndex(random: Random, n: number): number {
  const index = Math.floor(random.next() * n);
  // Guards against a Random that returns exactly 1 by mistake.
  return index < n ? index : n - 1;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquarePValue, pearsonUniform } from '../test/chi-square.ts';
import { AggregatorError } from './errors.ts';
import { createRandom, randomIndex } from './random.ts';

describe('createRandom (xoshiro128**)', () => {
  it('matches the reference sequence for state [1, 2, 3, 4]', () => {
    // First outputs of the reference C implementation (xoshiro128starstar.c) from s = {1, 2, 3, 4}.
    const random = createRandom([1, 2, 3, 4]);
    expect([random.nextUint32(), random.nextUint32(), random.nextUint32()]).toEqual([
      11520, 0, 5927040,
    ]);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const take = (seed: number) => {
      const r = createRandom(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
    expect(take(1)).not.toEqual(take(2 ** 32 + 1));
  });

  it('resumes the same sequence from a saved state', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat({ max: 50 }), (seed, skip) => {
        const a = createRandom(seed);
        for (let i = 0; i < skip; i++) a.next();
        const b = createRandom(a.state());
        expect([a.next(), a.nextUint32()]).toEqual([b.next(), b.nextUint32()]);
      }),
    );
  });

  it('returns floats in [0, 1) spread uniformly over 20 cells', () => {
    const random = createRandom(7);
    const cells = new Array<number>(20).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const x = random.next();
      expect(x >= 0 && x < 1).toBe(true);
      cells[Math.floor(x * 20)]!++;
    }
    expect(chiSquarePValue(pearsonUniform(cells), 19)).toBeGreaterThan(0.01);
  });

  it('rejects bad seeds and states', () => {
    expect(() => createRandom(1.5)).toThrow(AggregatorError);
    expect(() => createRandom([0, 0, 0, 0])).toThrow(/all zero/);
    expect(() => createRandom([1, 2, 3] as unknown as [number, number, number, number])).toThrow(
      AggregatorError,
    );
  });

  it('randomIndex stays in range even for a Random that returns 1', () => {
    expect(randomIndex({ next: () => 1 }, 5)).toBe(4);
    expect(randomIndex({ next: () => 0 }, 5)).toBe(0);
  });
});

describe('chi-square helper', () => {
  it('agrees with closed forms and table values', () => {
    // df = 2: P(X >= x) = exp(-x / 2).
    expect(chiSquarePValue(3, 2)).toBeCloseTo(Math.exp(-1.5), 10);
    // Table: the 0.01 critical value of chi-square(14) is 29.141, of chi-square(49) 74.919.
    expect(chiSquarePValue(29.141, 14)).toBeCloseTo(0.01, 4);
    expect(chiSquarePValue(74.919, 49)).toBeCloseTo(0.01, 4);
    expect(chiSquarePValue(13.339, 14)).toBeCloseTo(0.5, 3);
  });
});

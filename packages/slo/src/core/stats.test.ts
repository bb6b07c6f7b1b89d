import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clopperPearsonLower, logGamma, quantileUpperRank, regularizedBeta } from './stats.ts';

/** P(Binomial(n, p) ≥ x) by direct summation, independent of the beta route. */
function binomialUpperTail(x: number, n: number, p: number): number {
  let s = 0;
  for (let k = x; k <= n; k++)
    s += Math.exp(
      logGamma(n + 1) -
        logGamma(k + 1) -
        logGamma(n - k + 1) +
        k * Math.log(p) +
        (n - k) * Math.log1p(-p),
    );
  return s;
}

describe('Clopper–Pearson', () => {
  it('has the closed form when every event is good', () => {
    expect(clopperPearsonLower(100, 100)).toBeCloseTo(0.05 ** (1 / 100), 12);
    expect(clopperPearsonLower(0, 100)).toBe(0);
  });
  it('solves P(Binomial(n, L) ≥ x) = α', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 400 })
          .chain((n) =>
            fc.tuple(fc.integer({ min: 1, max: n - 1 > 0 ? n - 1 : 1 }), fc.constant(n)),
          ),
        ([x, n]) => {
          fc.pre(x < n);
          const l = clopperPearsonLower(x, n);
          expect(l).toBeLessThan(x / n);
          expect(binomialUpperTail(x, n, l)).toBeCloseTo(0.05, 6);
        },
      ),
      { numRuns: 60 },
    );
  });
  it('grows with volume at the same observed ratio', () => {
    let last = 0;
    for (const n of [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]) {
      const l = clopperPearsonLower(n * 0.999, n);
      expect(l).toBeGreaterThan(last);
      expect(l).toBeLessThan(0.999);
      last = l;
    }
  });
  it('matches the regularized beta symmetry', () => {
    expect(regularizedBeta(0.3, 2, 5) + regularizedBeta(0.7, 5, 2)).toBeCloseTo(1, 12);
  });
});

describe('quantileUpperRank', () => {
  it('is above the quantile rank and within n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(0.95, 0.99), (n, q) => {
        const k = quantileUpperRank(n, q);
        expect(k).toBeGreaterThanOrEqual(Math.min(n, Math.ceil(n * q)));
        expect(k).toBeLessThanOrEqual(n);
      }),
    );
  });
});

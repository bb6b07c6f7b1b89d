import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SEVERITY_RANGES,
  toSeverityCounts,
  toSeverityDistribution,
  toSeverityIndex,
} from './severity.ts';

describe('toSeverityIndex', () => {
  it.each([
    [0, 'unspecified'],
    [1, 'trace'],
    [4, 'trace'],
    [5, 'debug'],
    [8, 'debug'],
    [9, 'info'],
    [12, 'info'],
    [13, 'warn'],
    [16, 'warn'],
    [17, 'error'],
    [20, 'error'],
    [21, 'fatal'],
    [24, 'fatal'],
    [25, 'unspecified'],
    [-1, 'unspecified'],
    [9.5, 'unspecified'],
    [Number.NaN, 'unspecified'],
  ])('severity %d is %s', (n, range) => {
    expect(SEVERITY_RANGES[toSeverityIndex(n)]).toBe(range);
  });

  it('groups 1-24 in fours, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), (n) => {
        expect(toSeverityIndex(n)).toBe(Math.ceil(n / 4));
      }),
    );
  });

  it('converts counts to a distribution and back', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 7, maxLength: 7 }), (counts) => {
        expect(toSeverityCounts(toSeverityDistribution(counts))).toEqual(counts);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyValue, nanosToMs, toNumber } from './values.ts';

describe('nanosToMs', () => {
  it('gives the exact millisecond of any epoch time with microsecond precision, read as a double', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }), // up to 2100
        fc.integer({ min: 0, max: 999 }),
        (ms, micros) => {
          const text = (BigInt(ms) * 1_000_000n + BigInt(micros) * 1000n).toString();
          expect(nanosToMs(toNumber(text)!)).toBe(ms);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('anyValue', () => {
  it('reads a negative zero double as 0, as JSON encoders write it', () => {
    expect(Object.is(anyValue({ doubleValue: -0 }), 0)).toBe(true);
    expect(Object.is(anyValue({ doubleValue: '-0' }), 0)).toBe(true);
    expect(anyValue({ doubleValue: -1.5 })).toBe(-1.5);
    expect(anyValue({ doubleValue: 'NaN' })).toBeNaN();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_DEFAULT_RANGE, RANGE_CHOICES, historyRange, rangeChoice } from './range.ts';

describe('historyRange', () => {
  it('ends on the step boundary after the anchor and spans exactly the choice', () => {
    expect(historyRange(1_000_000, 3_600_000, 300_000)).toEqual({
      fromMs: 1_200_000 - 3_600_000,
      toMs: 1_200_000,
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 42 }),
        fc.constantFrom(...RANGE_CHOICES),
        fc.integer({ min: 1000, max: 3_600_000 }),
        (anchor, choice, step) => {
          const r = historyRange(anchor, choice.spanMs, step);
          expect(r.toMs - r.fromMs).toBe(choice.spanMs);
          expect(r.toMs).toBeGreaterThan(anchor);
          expect(r.toMs - anchor).toBeLessThanOrEqual(step);
          expect(r.toMs % step).toBe(0);
        },
      ),
    );
  });
  it('falls back to the API default for an unknown choice', () => {
    expect(rangeChoice('nope').id).toBe(API_DEFAULT_RANGE);
    expect(rangeChoice('7d').spanMs).toBe(7 * 86_400_000);
  });
});

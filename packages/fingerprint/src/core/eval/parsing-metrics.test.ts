import { describe, expect, it } from 'vitest';
import { scoreParsing } from './parsing-metrics.ts';

describe('scoreParsing', () => {
  it('scores a perfect parse as 1 everywhere', () => {
    const s = scoreParsing({
      predictedGroup: [1, 1, 2],
      predictedTemplate: ['a <*>', 'a <*>', 'b'],
      truthTemplate: ['a <*>', 'a <*>', 'b'],
    });
    expect(s).toEqual({ ga: 1, fga: 1, pa: 1, fta: 1 });
  });

  it('penalises a merged group in GA and FGA, a wrong string in PA and FTA', () => {
    const s = scoreParsing({
      predictedGroup: [1, 1, 1, 2],
      predictedTemplate: ['x <*>', 'x <*>', 'x <*>', 'c  d'],
      truthTemplate: ['x <*>', 'x <*>', 'y', 'c d'],
    });
    expect(s.ga).toBe(0.25); // only the singleton group is exact
    expect(s.fga).toBeCloseTo((2 * 0.5 * (1 / 3)) / (0.5 + 1 / 3));
    expect(s.pa).toBe(0.75); // whitespace is normalised
    expect(s.fta).toBeCloseTo((2 * 0.5 * (1 / 3)) / (0.5 + 1 / 3));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GoodTotalPoint } from '../api/types.ts';
import { alertsInRange, budgetSummary, toChartPoints, trimEmpty, yFloor } from './budget.ts';

const pts = (rows: readonly [number, number][]): GoodTotalPoint[] =>
  rows.map(([good, total], i) => ({ tMs: i * 300_000, good, total }));

const series = fc.array(
  fc.record({ good: fc.nat(1000), extra: fc.nat(50) }).map(({ good, extra }) => ({
    good,
    total: good + extra,
  })),
  { maxLength: 60 },
);

describe('budgetSummary', () => {
  it('computes the consumed budget: 10 bad of 1000 at 99.9% is 10× the budget', () => {
    const b = budgetSummary(
      pts([
        [495, 500],
        [495, 500],
      ]),
      0.999,
    );
    expect(b.bad).toBe(10);
    expect(b.allowedBad).toBeCloseTo(1);
    expect(b.consumed).toBeCloseTo(10);
    expect(b.remaining).toBeCloseTo(-9);
    expect(b.ratio).toBeCloseTo(0.99);
  });
  it('is zero without bad events and has no ratio without events', () => {
    expect(budgetSummary(pts([[10, 10]]), 0.99).consumed).toBe(0);
    expect(budgetSummary([], 0.99).ratio).toBeNull();
  });
  it('clamps impossible counts (good > total, negatives)', () => {
    const b = budgetSummary(
      [
        { tMs: 0, good: 12, total: 10 },
        { tMs: 1, good: -3, total: -1 },
      ],
      0.9,
    );
    expect(b).toMatchObject({ good: 10, total: 10, bad: 0 });
  });
});

describe('toChartPoints', () => {
  it('ends at the whole history’s consumption, whatever the order of points', () => {
    fc.assert(
      fc.property(series, fc.double({ min: 0.5, max: 0.9999, noNaN: true }), (rows, target) => {
        const points = rows.map((r, i) => ({ tMs: (rows.length - i) * 1000, ...r }));
        const chart = toChartPoints(points, target);
        expect(chart.map((c) => c.tMs)).toEqual([...chart.map((c) => c.tMs)].sort((a, b) => a - b));
        const last = chart[chart.length - 1];
        if (last !== undefined)
          expect(last.consumed).toBeCloseTo(budgetSummary(points, target).consumed, 9);
        for (let i = 1; i < chart.length; i++) {
          // Cumulative bad never falls, so consumption only falls while good traffic dilutes it.
          if (chart[i]!.total > chart[i]!.good) expect(chart[i]!.consumed).toBeGreaterThan(0);
        }
      }),
    );
  });
  it('gives a step ratio and a burn rate of 1 when bad events match the budget', () => {
    const [p] = toChartPoints([{ tMs: 0, good: 990, total: 1000 }], 0.99);
    expect(p!.ratio).toBeCloseTo(0.99);
    expect(p!.burnRate).toBeCloseTo(1);
    const [empty] = toChartPoints([{ tMs: 0, good: 0, total: 0 }], 0.99);
    expect(empty!.ratio).toBeNull();
    expect(empty!.burnRate).toBeNull();
  });
});

describe('trimEmpty', () => {
  it('drops only leading and trailing empty steps', () => {
    const t = trimEmpty(
      pts([
        [0, 0],
        [1, 2],
        [0, 0],
        [3, 3],
        [0, 0],
      ]),
    );
    expect(t.map((p) => p.total)).toEqual([2, 0, 3]);
    expect(trimEmpty(pts([[0, 0]]))).toEqual([]);
  });
});

describe('yFloor', () => {
  it('sits below both the data and the target', () => {
    fc.assert(
      fc.property(series, fc.double({ min: 0.5, max: 0.9999, noNaN: true }), (rows, target) => {
        const chart = toChartPoints(pts(rows.map((r) => [r.good, r.total])), target);
        const floor = yFloor(chart, target);
        expect(floor).toBeLessThan(target);
        expect(floor).toBeGreaterThanOrEqual(0);
        for (const p of chart) if (p.ratio !== null) expect(floor).toBeLessThanOrEqual(p.ratio);
      }),
    );
  });
});

describe('alertsInRange', () => {
  it('clips to the range, drops alerts outside it, and draws tickets before pages', () => {
    const a = alertsInRange(
      [
        { severity: 'page', startMs: 50, endMs: 150 },
        { severity: 'ticket', startMs: 120, endMs: 400 },
        { severity: 'page', startMs: 500, endMs: 600 },
      ],
      100,
      300,
    );
    expect(a).toEqual([
      { severity: 'ticket', startMs: 120, endMs: 300 },
      { severity: 'page', startMs: 100, endMs: 150 },
    ]);
  });
});

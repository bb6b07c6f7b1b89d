/**
 * Error-budget math over an SLI's good/total history. Pure: points in, series and figures out.
 * Budget = (1 − target) × total events; consumed = bad / budget (1 means exactly spent).
 */
import type { BacktestAlert, GoodTotalPoint } from '../api/types.ts';

/** One step of the chart: the good ratio (null without traffic) and the budget burn so far. */
export interface ChartPoint {
  readonly tMs: number;
  /** good / total of this step, null when there were no events. */
  readonly ratio: number | null;
  /** Bad events of this step divided by the step's budget: 1 = burning exactly at the target rate. */
  readonly burnRate: number | null;
  /** Budget consumed from the first point up to and including this one, 0..∞. */
  readonly consumed: number;
  readonly good: number;
  readonly total: number;
}

/** Budget figures of a whole history. */
export interface BudgetSummary {
  readonly good: number;
  readonly total: number;
  readonly bad: number;
  /** Bad events the target allows over these events. */
  readonly allowedBad: number;
  /** Fraction of the budget spent (bad / allowedBad); Infinity when the target allows none. */
  readonly consumed: number;
  /** 1 − consumed; negative when the budget is overspent. */
  readonly remaining: number;
  /** good / total over the whole history, null without events. */
  readonly ratio: number | null;
}

const clampCounts = (p: GoodTotalPoint): { good: number; total: number } => {
  const total = Number.isFinite(p.total) && p.total > 0 ? p.total : 0;
  const good = Number.isFinite(p.good) ? Math.min(Math.max(p.good, 0), total) : 0;
  return { good, total };
};

/** Budget figures of a history against a target (0 < target < 1). */
export function budgetSummary(points: readonly GoodTotalPoint[], target: number): BudgetSummary {
  let good = 0;
  let total = 0;
  for (const p of points) {
    const c = clampCounts(p);
    good += c.good;
    total += c.total;
  }
  const bad = total - good;
  const allowedBad = (1 - target) * total;
  const consumed = bad === 0 ? 0 : allowedBad > 0 ? bad / allowedBad : Number.POSITIVE_INFINITY;
  return {
    good,
    total,
    bad,
    allowedBad,
    consumed,
    remaining: 1 - consumed,
    ratio: total > 0 ? good / total : null,
  };
}

/** Per-step ratio, burn rate and cumulative budget consumption, in time order. */
export function toChartPoints(points: readonly GoodTotalPoint[], target: number): ChartPoint[] {
  const sorted = [...points].sort((a, b) => a.tMs - b.tMs);
  const perEvent = 1 - target;
  let bad = 0;
  let total = 0;
  return sorted.map((p) => {
    const c = clampCounts(p);
    bad += c.total - c.good;
    total += c.total;
    const stepBad = c.total - c.good;
    return {
      tMs: p.tMs,
      good: c.good,
      total: c.total,
      ratio: c.total > 0 ? c.good / c.total : null,
      burnRate: c.total > 0 && perEvent > 0 ? stepBad / (perEvent * c.total) : null,
      consumed: bad === 0 ? 0 : perEvent > 0 ? bad / (perEvent * total) : Number.POSITIVE_INFINITY,
    };
  });
}

/** Drops leading and trailing steps without events, so a wide range does not squash the data. */
export function trimEmpty<T extends { readonly total: number }>(points: readonly T[]): T[] {
  let start = 0;
  let end = points.length;
  while (start < end && !(points[start]!.total > 0)) start++;
  while (end > start && !(points[end - 1]!.total > 0)) end--;
  return points.slice(start, end);
}

/** The lowest ratio worth showing on the chart's y axis: a little below the lower of data and target. */
export function yFloor(points: readonly ChartPoint[], target: number | undefined): number {
  let min = target ?? 1;
  for (const p of points) if (p.ratio !== null && p.ratio < min) min = p.ratio;
  const gap = 1 - min;
  const floor = min - Math.max(gap * 0.25, 0.0005);
  return Math.max(0, Math.floor(floor * 10_000) / 10_000);
}

/** Alerts clipped to a time range, longest-severity first so pages draw over tickets. */
export function alertsInRange(
  alerts: readonly BacktestAlert[],
  fromMs: number,
  toMs: number,
): BacktestAlert[] {
  return alerts
    .filter((a) => a.endMs >= fromMs && a.startMs <= toMs)
    .map((a) => ({ ...a, startMs: Math.max(a.startMs, fromMs), endMs: Math.min(a.endMs, toMs) }))
    .sort((a, b) =>
      a.severity === b.severity ? a.startMs - b.startMs : a.severity === 'ticket' ? -1 : 1,
    );
}

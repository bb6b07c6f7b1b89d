/** Good and total event counts in one time step. */
export interface GoodTotalPoint {
  readonly tMs: number;
  readonly good: number;
  readonly total: number;
}

/** A latency histogram in one time step: `counts[i]` falls in (bounds[i−1], bounds[i]], last is +Inf. */
export interface HistogramPoint {
  readonly tMs: number;
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
}

/** Good/total per point for a latency threshold that is one of the histogram bounds. */
export function toLatencySeries(
  points: readonly HistogramPoint[],
  thresholdSeconds: number,
): GoodTotalPoint[] {
  return points.map((p) => {
    let good = 0;
    let total = 0;
    p.counts.forEach((c, i) => {
      total += c;
      const upper = p.bounds[i];
      if (upper !== undefined && upper <= thresholdSeconds + 1e-12) good += c;
    });
    return { tMs: p.tMs, good, total };
  });
}

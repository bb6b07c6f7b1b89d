import type { Journey, Sli, SloSpec } from '@slo-scout/schema';
import { SloError, fail, ok, type Result } from '../../errors.ts';
import { toSloSpec } from '../sli/spec.ts';
import { clopperPearsonLower, quantileUpperRank } from '../stats.ts';
import { toLatencySeries, type GoodTotalPoint, type HistogramPoint } from './series.ts';

/** Candidate targets, highest first. */
export const TARGET_LADDER: readonly number[] = [
  0.9999, 0.9995, 0.999, 0.995, 0.99, 0.98, 0.95, 0.9,
];

const DAY_MS = 86_400_000;

/** Options of {@link fitTarget}. */
export interface FitTargetOptions {
  /** Confidence of the one-sided lower bound; default 0.95. */
  readonly confidence?: number;
  /** Share of daily windows that must meet the target; default 0.9. */
  readonly dailyShare?: number;
  /** Length of a compliance window; default one day. */
  readonly windowMs?: number;
  /** Fewer events per hour than this flags low traffic; default 60. */
  readonly lowTrafficPerHour?: number;
  readonly ladder?: readonly number[];
}

/** Why each candidate target was accepted or rejected. */
export interface CandidateVerdict {
  readonly target: number;
  readonly accepted: boolean;
  readonly reason: 'ok' | 'above-lower-bound' | 'daily-windows' | 'too-few-events';
  readonly dailyCompliance: number;
  readonly eventsRequired: number;
}

/** The statistics behind a target. */
export interface TargetFit {
  readonly target: number;
  readonly good: number;
  readonly total: number;
  readonly observed: number;
  readonly lowerBound: number;
  readonly windows: number;
  readonly windowsMet: number;
  readonly eventsRequired: number;
  readonly lowTraffic: boolean;
  readonly confidence: number;
  readonly confidenceParts: {
    readonly volume: number;
    readonly stability: number;
    readonly coverage: number;
  };
  readonly candidates: readonly CandidateVerdict[];
}

/**
 * Picks the highest ladder target at or below the one-sided Clopper–Pearson lower bound of the
 * good ratio, met in at least 90% of daily windows, with at least 10/(1−T) events in the history.
 */
export function fitTarget(
  series: readonly GoodTotalPoint[],
  options: FitTargetOptions = {},
): Result<TargetFit> {
  const alpha = 1 - (options.confidence ?? 0.95);
  const dailyShare = options.dailyShare ?? 0.9;
  const windowMs = options.windowMs ?? DAY_MS;
  const ladder = [...(options.ladder ?? TARGET_LADDER)].sort((a, b) => b - a);
  if (!(alpha > 0 && alpha < 1) || !(dailyShare > 0 && dailyShare <= 1) || !(windowMs > 0))
    throw new SloError(
      'INVALID_OPTIONS',
      'fitTarget: confidence, dailyShare in (0, 1], windowMs > 0',
    );
  const points = [...series]
    .sort((a, b) => a.tMs - b.tMs)
    .filter((p) => p.total > 0 && Number.isFinite(p.good) && Number.isFinite(p.total));
  let good = 0;
  let total = 0;
  for (const p of points) {
    good += Math.min(p.good, p.total);
    total += p.total;
  }
  if (total <= 0) return fail('NO_DATA', 'no events in the history');
  const days = dailyRatios(points, windowMs);
  const observed = good / total;
  const lowerBound = clopperPearsonLower(Math.floor(good), Math.ceil(total), alpha);
  const candidates = ladder.map((target): CandidateVerdict => {
    const eventsRequired = Math.ceil(10 / (1 - target) - 1e-9);
    const met = days.filter((d) => d.ratio >= target - 1e-12).length;
    const dailyCompliance = days.length === 0 ? 0 : met / days.length;
    const reason =
      target > lowerBound
        ? 'above-lower-bound'
        : dailyCompliance < dailyShare
          ? 'daily-windows'
          : total < eventsRequired
            ? 'too-few-events'
            : 'ok';
    return { target, accepted: reason === 'ok', reason, dailyCompliance, eventsRequired };
  });
  const chosen = candidates.find((c) => c.accepted);
  const spanMs = Math.max(
    windowMs / 24,
    (points.at(-1)?.tMs ?? 0) - (points[0]?.tMs ?? 0) + stepOf(points),
  );
  const perHour = total / (spanMs / 3_600_000);
  const lowTraffic = perHour < (options.lowTrafficPerHour ?? 60);
  const parts = confidenceParts({ total, days, points, series, windowMs });
  const confidence =
    Math.round(parts.volume ** 0.5 * parts.stability ** 0.25 * parts.coverage ** 0.25 * 1000) /
    1000;
  if (chosen === undefined)
    return {
      ok: false,
      error: new SloError(
        'NO_TARGET',
        `no target qualifies: observed ${pct(observed)} of ${total} events, lower bound ${pct(lowerBound)}${lowTraffic ? ' (low traffic)' : ''}`,
      ),
    };
  const windowsMet = Math.round(chosen.dailyCompliance * days.length);
  return ok({
    target: chosen.target,
    good,
    total,
    observed,
    lowerBound,
    windows: days.length,
    windowsMet,
    eventsRequired: chosen.eventsRequired,
    lowTraffic,
    confidence,
    confidenceParts: parts,
    candidates,
  });
}

function stepOf(points: readonly GoodTotalPoint[]): number {
  return points.length >= 2 ? points[1]!.tMs - points[0]!.tMs : 0;
}

function dailyRatios(
  points: readonly GoodTotalPoint[],
  windowMs: number,
): { ratio: number; total: number }[] {
  const by = new Map<number, { good: number; total: number }>();
  for (const p of points) {
    const k = Math.floor(p.tMs / windowMs);
    const cur = by.get(k) ?? { good: 0, total: 0 };
    cur.good += Math.min(p.good, p.total);
    cur.total += p.total;
    by.set(k, cur);
  }
  return [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, v]) => ({ ratio: v.good / v.total, total: v.total }));
}

function confidenceParts(o: {
  total: number;
  days: { ratio: number }[];
  points: readonly GoodTotalPoint[];
  series: readonly GoodTotalPoint[];
  windowMs: number;
}): { volume: number; stability: number; coverage: number } {
  // Volume: 10k events give 0.5, 100k give 0.91. Stability and coverage do not depend on scale.
  const volume = o.total / (o.total + 10_000);
  const errs = o.days.map((d) => 1 - d.ratio);
  const mean = errs.reduce((s, e) => s + e, 0) / Math.max(1, errs.length);
  const sd = Math.sqrt(errs.reduce((s, e) => s + (e - mean) ** 2, 0) / Math.max(1, errs.length));
  const stability = errs.length < 2 ? 0.5 : 1 / (1 + sd / Math.max(mean, 1e-4));
  const filled = o.series.length === 0 ? 0 : o.points.length / o.series.length;
  const coverage = Math.min(1, o.days.length / 28) ** 0.5 * filled;
  return { volume: round3(volume), stability: round3(stability), coverage: round3(coverage) };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const pct = (x: number): string => `${(Math.round(x * 1e6) / 1e4).toString()}%`;

/** A recommended SLO with the evidence behind it. */
export interface Recommendation {
  readonly spec: SloSpec;
  readonly fit: TargetFit;
  /** For latency SLIs: the threshold and the quantile bound it came from. */
  readonly latency?: {
    readonly quantile: number;
    readonly upperBoundSeconds: number;
    readonly thresholdSeconds: number;
  };
  readonly rationale: string;
}

/** Input of {@link recommendSlo}. */
export interface RecommendInput {
  readonly journey: Journey;
  readonly sli: Sli;
  /** History of good/total counts of the SLI. */
  readonly history: readonly GoodTotalPoint[];
  readonly window?: string;
  readonly options?: FitTargetOptions;
}

/** Recommends a target for an SLI from its history and wraps it into a valid SloSpec. */
export function recommendSlo(input: RecommendInput): Result<Recommendation> {
  const fit = fitTarget(input.history, input.options);
  if (!fit.ok) return fit;
  const f = fit.value;
  const rationale = explain(input.sli.name, f);
  const spec = toSloSpec(input.sli, input.journey, {
    target: f.target,
    window: input.window ?? '30d',
    minEvents: lowTrafficGuard(f),
    annotations: { 'slo-scout/rationale': rationale, 'slo-scout/confidence': String(f.confidence) },
  });
  return ok({ spec, fit: f, rationale });
}

/** Events an hour below which paging would be noise; used as the alerting guard. */
function lowTrafficGuard(f: TargetFit): number {
  return Math.max(1, Math.ceil(1 / (1 - f.target)));
}

/** Input of {@link recommendLatencySlo}. */
export interface RecommendLatencyInput {
  readonly journey: Journey;
  /** The latency SLI; its threshold is replaced by the one fitted here. */
  readonly sli: Sli;
  readonly history: readonly HistogramPoint[];
  /** 0.95 or 0.99; default 0.99. */
  readonly quantile?: number;
  readonly window?: string;
  readonly options?: FitTargetOptions;
}

/**
 * Fits a latency threshold as the 95% upper confidence bound of the p95/p99, rounded up to a
 * histogram bucket boundary, then a target for the share of requests under it.
 */
export function recommendLatencySlo(input: RecommendLatencyInput): Result<Recommendation> {
  const q = input.quantile ?? 0.99;
  const bounds = input.history[0]?.bounds ?? [];
  const merged = new Array<number>(bounds.length + 1).fill(0);
  for (const p of input.history) p.counts.forEach((c, i) => (merged[i] = (merged[i] ?? 0) + c));
  const n = merged.reduce((s, c) => s + c, 0);
  if (n <= 0) return fail('NO_DATA', 'no latency observations');
  const rank = quantileUpperRank(Math.round(n), q);
  let cum = 0;
  let bucket = -1;
  for (let i = 0; i < merged.length; i++) {
    cum += merged[i]!;
    if (cum >= rank) {
      bucket = i;
      break;
    }
  }
  const threshold = bounds[bucket];
  if (threshold === undefined)
    return fail('NO_TARGET', `the p${q * 100} upper bound falls in the +Inf bucket`);
  const sli: Sli = {
    ...input.sli,
    thresholdSeconds: threshold,
    ratio: withLe(input.sli, threshold),
  };
  const rec = recommendSlo({
    journey: input.journey,
    sli,
    history: toLatencySeries(input.history, threshold),
    ...(input.window === undefined ? {} : { window: input.window }),
    ...(input.options === undefined ? {} : { options: input.options }),
  });
  if (!rec.ok) return rec;
  const rationale = `Threshold ${threshold} s: the 95% upper confidence bound of p${q * 100} over ${n} requests (order statistic ${rank}) rounded up to a bucket boundary. ${rec.value.rationale}`;
  return ok({
    ...rec.value,
    latency: { quantile: q, upperBoundSeconds: threshold, thresholdSeconds: threshold },
    rationale,
  });
}

function withLe(sli: Sli, threshold: number): Sli['ratio'] {
  if (sli.ratio.good === undefined || sli.thresholdSeconds === threshold) return sli.ratio;
  return {
    good: sli.ratio.good.replace(/le="[^"]*"/, `le="${threshold}"`),
    total: sli.ratio.total,
  };
}

function explain(name: string, f: TargetFit): string {
  const rejected = f.candidates
    .filter((c) => c.target > f.target)
    .slice(-1)
    .map((c) =>
      c.reason === 'above-lower-bound'
        ? `${pct(c.target)} is above the lower bound`
        : c.reason === 'daily-windows'
          ? `${pct(c.target)} was met in only ${Math.round(c.dailyCompliance * 100)}% of daily windows`
          : `${pct(c.target)} needs ${c.eventsRequired} events`,
    );
  return (
    `${name}: observed ${pct(f.observed)} good (${f.good} of ${f.total} events, ${f.windows} daily windows); ` +
    `one-sided 95% Clopper–Pearson lower bound ${pct(f.lowerBound)}. ` +
    `Target ${pct(f.target)}: met in ${f.windowsMet} of ${f.windows} daily windows, ${f.total} ≥ ${f.eventsRequired} events required` +
    (rejected.length > 0 ? `; ${rejected.join('; ')}` : '') +
    `. Confidence ${f.confidence} (volume ${f.confidenceParts.volume}, stability ${f.confidenceParts.stability}, coverage ${f.confidenceParts.coverage})` +
    (f.lowTraffic ? '; low traffic: page only with enough events.' : '.')
  );
}

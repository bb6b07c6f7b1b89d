/**
 * Analysis: journeys and SLIs from spans, then recommendations — a target fitted on each SLI's
 * history, backtested, with the evidence that backs it — as the records the store keeps.
 */
import type { Journey, Sli, SloSpec, TelemetryEvent } from '@slo-scout/schema';
import {
  backtest,
  discoverJourneys,
  generateSlis,
  recommendLatencySlo,
  recommendSlo,
  toJourneyHistory,
  toLatencySeries,
  type GoodTotalPoint,
  type JourneyHistory,
  type MetricFamily,
  type Recommendation as SloRecommendation,
} from '@slo-scout/slo';
import type { Redactor } from '@slo-scout/fingerprint';
import type { Evidence } from '@slo-scout/rag';
import type { Recommendation } from '@slo-scout/store';
import { LATENCY_BOUNDS } from './families.ts';
import { fail, ok, type Result } from './errors.ts';
import type { BacktestSummary, RecommendationView, TimeRange } from './types.ts';

/** Journeys worth an SLO: ranked, without the `other` groups, at most `max`. */
export function pickJourneys(journeys: readonly Journey[], max: number): Journey[] {
  return journeys.filter((j) => j.key.type !== 'other').slice(0, max);
}

/**
 * Discovers journeys and writes their SLIs. Names and keys pass the redactor: a badly
 * instrumented span name may carry an e-mail or a token, and journeys are stored and shown.
 */
export function toJourneysAndSlis(
  spans: readonly TelemetryEvent[],
  o: { families: readonly MetricFamily[]; redactor: Redactor; maxJourneys: number },
): { journeys: Journey[]; slis: Sli[] } {
  const journeys = discoverJourneys(spans).map((j) => o.redactor.redactValue(j).value);
  const slis = pickJourneys(journeys, o.maxJourneys).flatMap((j) => generateSlis(j, o.families));
  return { journeys, slis };
}

/** Per-journey history over the range at the given step. */
export function toHistories(
  spans: readonly TelemetryEvent[],
  journeys: readonly Journey[],
  o: { range: TimeRange; stepMs: number },
): Map<string, JourneyHistory> {
  return toJourneyHistory(spans, journeys, {
    fromMs: o.range.fromMs,
    toMs: o.range.toMs,
    stepMs: o.stepMs,
    bounds: LATENCY_BOUNDS,
  });
}

/** Good/total series of an SLI (latency SLIs at their threshold). */
export function sliSeries(sli: Sli, history: JourneyHistory): GoodTotalPoint[] {
  return sli.kind === 'latency' && sli.thresholdSeconds !== undefined
    ? toLatencySeries(history.latency, sli.thresholdSeconds)
    : history.availability;
}

/** Fits a target for one SLI from its journey's history. */
export function recommendFor(
  journey: Journey,
  sli: Sli,
  history: JourneyHistory,
): Result<SloRecommendation> {
  const r =
    sli.kind === 'latency'
      ? recommendLatencySlo({ journey, sli, history: history.latency })
      : sli.kind === 'availability'
        ? recommendSlo({ journey, sli, history: history.availability })
        : undefined;
  if (r === undefined) return fail('INVALID_INPUT', `SLI kind ${sli.kind} has no span history`);
  if (!r.ok) return fail('NO_DATA', `${sli.name}: ${r.error.message}`, { cause: r.error });
  return ok(r.value);
}

/** Replays the recommended target's alerts over the history. */
export function summariseBacktest(
  series: readonly GoodTotalPoint[],
  spec: SloSpec,
): BacktestSummary {
  const result = backtest(series, { target: spec.spec.objectives[0]?.target ?? 0.99 });
  return {
    budgetConsumed: result.budgetConsumed,
    pages: result.alerts.filter((a) => a.severity === 'page').length,
    tickets: result.alerts.filter((a) => a.severity === 'ticket').length,
    alerts: result.alerts,
  };
}

/** What the engine keeps in a recommendation's evidence facts, besides fingerprints. */
export interface RecommendationFacts {
  readonly journeyId: string;
  readonly sliName: string;
  readonly spec: SloSpec;
  readonly backtest: BacktestSummary;
  readonly range: TimeRange;
  readonly observed: number;
  readonly total: number;
  readonly lowTraffic: boolean;
  /** The error capsules cited as evidence when the recommendation was made. */
  readonly capsules: readonly Evidence[];
}

/** Reads the engine's facts back from a stored recommendation. */
export function toRecommendationView(r: Recommendation): Result<RecommendationView> {
  const f = r.evidence.facts as Partial<RecommendationFacts>;
  if (typeof f.journeyId !== 'string' || f.spec === undefined || f.backtest === undefined)
    return fail('INVALID_INPUT', `recommendation ${r.id} was not written by the engine`);
  return ok({
    ...r,
    journeyId: f.journeyId,
    sliName: f.sliName ?? r.sliId,
    spec: f.spec,
    backtest: f.backtest,
    capsules: f.capsules ?? [],
  });
}

/** A recommendation id: stable for the same SLI and range, so a re-run updates, not duplicates. */
export function toRecommendationId(sliId: string, range: TimeRange): string {
  return `rec-${sliId}-${range.fromMs.toString(36)}-${range.toMs.toString(36)}`;
}

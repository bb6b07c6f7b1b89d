import { SloError } from '../../errors.ts';
import type { GoodTotalPoint } from '../recommend/series.ts';

/** One multi-window burn-rate condition: both windows must burn at least `factor` times budget. */
export interface BurnRateRule {
  readonly severity: 'page' | 'ticket';
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  readonly factor: number;
}

const M = 60_000;
const H = 60 * M;

/** The Google SRE workbook's multi-window multi-burn-rate table (as data, like Sloth). */
export const BURN_RATE_RULES: readonly BurnRateRule[] = [
  { severity: 'page', longWindowMs: H, shortWindowMs: 5 * M, factor: 14.4 },
  { severity: 'page', longWindowMs: 6 * H, shortWindowMs: 30 * M, factor: 6 },
  { severity: 'ticket', longWindowMs: 24 * H, shortWindowMs: 2 * H, factor: 3 },
  { severity: 'ticket', longWindowMs: 72 * H, shortWindowMs: 6 * H, factor: 1 },
];

/** A labelled incident: when it started and ended. */
export interface LabelledIncident {
  readonly startMs: number;
  readonly endMs: number;
  readonly label?: string;
}

/** Options of {@link backtest}. */
export interface BacktestOptions {
  /** The SLO target, 0 < target < 1. */
  readonly target: number;
  readonly rules?: readonly BurnRateRule[];
  readonly incidents?: readonly LabelledIncident[];
  /** Minimum events in the long window before a rule may fire; default 0. */
  readonly minEvents?: number;
  /** An alert up to this long after an incident ends still belongs to it; default 1 h. */
  readonly graceMs?: number;
}

/** One alert as it would have fired: a run of consecutive evaluations where a rule held. */
export interface BacktestAlert {
  readonly severity: 'page' | 'ticket';
  readonly startMs: number;
  readonly endMs: number;
}

/** What happened to one labelled incident. */
export interface IncidentOutcome {
  readonly label: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Milliseconds from the incident start to the first page, or null when none fired. */
  readonly pageDelayMs: number | null;
  readonly ticketDelayMs: number | null;
}

/** The replay of a history against an SLO and its alerts. */
export interface BacktestResult {
  readonly good: number;
  readonly total: number;
  /** Bad events divided by the budget (1 − target) × total; 1 means exactly spent. */
  readonly budgetConsumed: number;
  readonly alerts: readonly BacktestAlert[];
  readonly incidents: readonly IncidentOutcome[];
  /** Pages that started outside every incident (plus grace). */
  readonly falsePages: number;
  readonly quietDays: number;
  readonly falsePagesPerDay: number;
}

/**
 * Replays good/total counts against an SLO's multi-window multi-burn-rate alerts, evaluated at
 * every point as Prometheus would over the trailing windows.
 */
export function backtest(
  series: readonly GoodTotalPoint[],
  options: BacktestOptions,
): BacktestResult {
  const { target } = options;
  if (!(target > 0 && target < 1))
    throw new SloError('INVALID_OPTIONS', 'backtest: target must be between 0 and 1');
  const rules = options.rules ?? BURN_RATE_RULES;
  const graceMs = options.graceMs ?? H;
  const minEvents = options.minEvents ?? 0;
  const points = [...series].sort((a, b) => a.tMs - b.tMs);
  const n = points.length;
  const badPrefix = new Float64Array(n + 1);
  const totPrefix = new Float64Array(n + 1);
  points.forEach((p, i) => {
    badPrefix[i + 1] = badPrefix[i]! + Math.max(0, p.total - p.good);
    totPrefix[i + 1] = totPrefix[i]! + Math.max(0, p.total);
  });
  const budget = 1 - target;
  /** First index whose time is inside (t − w, t]. */
  const starts = (w: number): Int32Array => {
    const out = new Int32Array(n);
    let j = 0;
    for (let i = 0; i < n; i++) {
      while (points[j]!.tMs <= points[i]!.tMs - w) j++;
      out[i] = j;
    }
    return out;
  };
  const cache = new Map<number, Int32Array>();
  const startOf = (w: number): Int32Array => {
    let s = cache.get(w);
    if (s === undefined) cache.set(w, (s = starts(w)));
    return s;
  };
  const burn = (i: number, w: number): { burn: number; total: number } => {
    const j = startOf(w)[i]!;
    const total = totPrefix[i + 1]! - totPrefix[j]!;
    const bad = badPrefix[i + 1]! - badPrefix[j]!;
    return { burn: total > 0 ? bad / total / budget : 0, total };
  };
  const alerts: BacktestAlert[] = [];
  for (const severity of ['page', 'ticket'] as const) {
    const mine = rules.filter((r) => r.severity === severity);
    let openStart = -1;
    let openEnd = -1;
    for (let i = 0; i < n; i++) {
      const firing = mine.some((r) => {
        const long = burn(i, r.longWindowMs);
        return (
          long.total >= minEvents &&
          long.burn >= r.factor &&
          burn(i, r.shortWindowMs).burn >= r.factor
        );
      });
      const t = points[i]!.tMs;
      if (firing) {
        if (openStart < 0) openStart = t;
        openEnd = t;
      } else if (openStart >= 0) {
        alerts.push({ severity, startMs: openStart, endMs: openEnd });
        openStart = -1;
      }
    }
    if (openStart >= 0) alerts.push({ severity, startMs: openStart, endMs: openEnd });
  }
  alerts.sort((a, b) => a.startMs - b.startMs || (a.severity < b.severity ? -1 : 1));
  const incidents = (options.incidents ?? []).map((inc, k): IncidentOutcome => {
    const delay = (severity: 'page' | 'ticket'): number | null => {
      const hit = alerts.find(
        (a) =>
          a.severity === severity && a.endMs >= inc.startMs && a.startMs <= inc.endMs + graceMs,
      );
      return hit === undefined ? null : Math.max(0, hit.startMs - inc.startMs);
    };
    return {
      label: inc.label ?? `incident-${k}`,
      startMs: inc.startMs,
      endMs: inc.endMs,
      pageDelayMs: delay('page'),
      ticketDelayMs: delay('ticket'),
    };
  });
  const inIncident = (t: number): boolean =>
    (options.incidents ?? []).some((i) => t >= i.startMs && t <= i.endMs + graceMs);
  const falsePages = alerts.filter((a) => a.severity === 'page' && !inIncident(a.startMs)).length;
  const step = n >= 2 ? (points[n - 1]!.tMs - points[0]!.tMs) / (n - 1) : 0;
  const quietMs = points.filter((p) => !inIncident(p.tMs)).length * step;
  const quietDays = quietMs / (24 * H);
  const good = points.reduce((s, p) => s + Math.min(p.good, p.total), 0);
  const total = totPrefix[n]!;
  return {
    good,
    total,
    budgetConsumed: total > 0 ? badPrefix[n]! / (budget * total) : 0,
    alerts,
    incidents,
    falsePages,
    quietDays,
    falsePagesPerDay: quietDays > 0 ? falsePages / quietDays : 0,
  };
}

import { fail, ok, type Result } from '../../errors.ts';
import type { GoodTotalPoint, HistogramPoint } from '../recommend/series.ts';

/** One PetShop `metrics.csv`: timestamps and columns keyed `component|metric|statistic`. */
export interface PetshopMetrics {
  readonly timestampsMs: readonly number[];
  readonly columns: ReadonlyMap<string, readonly (number | null)[]>;
}

/** A PetShop issue's `target.json`: where the symptom shows and when the fault started. */
export interface PetshopTarget {
  readonly node: string;
  readonly metric: string;
  readonly timestampMs: number;
  readonly rootCause: string;
}

/** Parses a PetShop `metrics.csv` (3-row header: component, metric, statistic; index epoch s). */
export function parsePetshopMetrics(csv: string): Result<PetshopMetrics> {
  const rows = csv
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .map(splitCsv);
  const [components, metrics, statistics] = rows;
  if (components === undefined || metrics === undefined || statistics === undefined)
    return fail('PARSE_FAILED', 'metrics.csv needs three header rows');
  const keys = components.map((c, i) => `${c}|${metrics[i] ?? ''}|${statistics[i] ?? ''}`);
  const data = rows
    .slice(3)
    .filter((r) => r[0] !== undefined && Number.isFinite(Number.parseFloat(r[0])));
  if (data.length === 0) return fail('PARSE_FAILED', 'metrics.csv has no data rows');
  const columns = new Map<string, (number | null)[]>();
  keys.forEach((k, i) => {
    if (i === 0 || columns.has(k)) return; // the first column is the index; keep the first duplicate
    columns.set(
      k,
      data.map((r) => toNumber(r[i])),
    );
  });
  return ok({
    timestampsMs: data.map((r) => Math.round(Number.parseFloat(r[0]!) * 1000)),
    columns,
  });
}

/** Parses an issue's `target.json`. */
export function parsePetshopTarget(json: string): Result<PetshopTarget> {
  try {
    const v = JSON.parse(json) as {
      target?: { node?: unknown; metric?: unknown; timestamp?: unknown };
      root_cause?: { node?: unknown };
    };
    const t = v.target;
    if (
      typeof t?.node !== 'string' ||
      typeof t.metric !== 'string' ||
      typeof t.timestamp !== 'number'
    )
      return fail('PARSE_FAILED', 'target.json needs target.node, target.metric, target.timestamp');
    return ok({
      node: t.node,
      metric: t.metric,
      timestampMs: t.timestamp * 1000,
      rootCause: typeof v.root_cause?.node === 'string' ? v.root_cause.node : '',
    });
  } catch (e) {
    return fail('PARSE_FAILED', `target.json: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Good/total requests of a component: total = `requests|Sum`, good = total × `availability|Average` / 100. */
export function toPetshopAvailability(m: PetshopMetrics, component: string): GoodTotalPoint[] {
  const req = m.columns.get(`${component}|requests|Sum`) ?? [];
  const av = m.columns.get(`${component}|availability|Average`) ?? [];
  return m.timestampsMs.map((tMs, i) => {
    const total = req[i] ?? null;
    const a = av[i] ?? null;
    if (total === null || a === null || total <= 0) return { tMs, good: 0, total: 0 };
    const t = Math.round(total);
    return { tMs, good: Math.round((t * Math.min(100, Math.max(0, a))) / 100), total: t };
  });
}

/**
 * Per-interval latency histograms of a component rebuilt from its percentiles (p50, p90, p95, p99):
 * the CDF is interpolated linearly between them, and assumed to reach 1 at p99 + (p99 − p50)
 * (the dataset has no tail beyond p99). Counts are requests × the CDF mass in each bucket.
 */
export function toPetshopLatency(
  m: PetshopMetrics,
  o: { component: string; bounds: readonly number[] },
): HistogramPoint[] {
  const col = (s: string): readonly (number | null)[] =>
    m.columns.get(`${o.component}|latency|${s}`) ?? [];
  const [p50, p90, p95, p99] = ['p50', 'p90', 'p95', 'p99'].map(col) as [
    readonly (number | null)[],
    readonly (number | null)[],
    readonly (number | null)[],
    readonly (number | null)[],
  ];
  const req = m.columns.get(`${o.component}|requests|Sum`) ?? [];
  return m.timestampsMs.map((tMs, i) => {
    const qs = [p50[i], p90[i], p95[i], p99[i]];
    const n = req[i] ?? null;
    const counts = new Array<number>(o.bounds.length + 1).fill(0);
    if (n === null || n <= 0 || qs.some((q) => q === null || q === undefined))
      return { tMs, bounds: o.bounds, counts };
    const [a, b, c, d] = qs as [number, number, number, number];
    const knots: [number, number][] = [
      [0, 0],
      [a, 0.5],
      [Math.max(a, b), 0.9],
      [Math.max(a, b, c), 0.95],
      [Math.max(a, b, c, d), 0.99],
      [Math.max(a, b, c, d) + Math.max(1e-9, d - a), 1],
    ];
    let prev = 0;
    o.bounds.forEach((bound, k) => {
      const f = cdf(knots, bound);
      counts[k] = n * (f - prev);
      prev = f;
    });
    counts[o.bounds.length] = n * (1 - prev);
    return { tMs, bounds: o.bounds, counts };
  });
}

function cdf(knots: readonly [number, number][], x: number): number {
  for (let i = 1; i < knots.length; i++) {
    const [x1, y1] = knots[i]!;
    const [x0, y0] = knots[i - 1]!;
    if (x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return 1;
}

function toNumber(cell: string | undefined): number | null {
  if (cell === undefined || cell.trim() === '') return null;
  const v = Number.parseFloat(cell);
  return Number.isFinite(v) ? v : null;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

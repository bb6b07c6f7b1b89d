import type { CapsuleWindow, Journey, JourneyKey, Sli, SliKind, SliRatio } from '@slo-scout/schema';
import { fail, ok, type Result } from '../../errors.ts';
import { LABELS, pickLabel, quote, unitScale, type MetricFamily } from './families.ts';

/** Options of {@link generateSlis}. */
export interface GenerateSlisOptions {
  /** Wanted latency threshold; rounded up to an existing `le` bucket. Default: the journey's p99. */
  readonly latencyThresholdSeconds?: number;
}

const GRPC_FAULT_NAMES = 'Unknown|DeadlineExceeded|Internal|Unavailable|DataLoss';
const GRPC_FAULT_CODES = '2|4|13|14|15';

/**
 * Proposes availability and latency SLIs for a journey as PromQL good/total (or bad/total) queries
 * with Sloth's `{{.window}}` range, over the metric families Prometheus actually has: OpenTelemetry
 * `http.server.request.duration`, classic and native histograms, `*_requests_total`, spanmetrics.
 * Availability counts only server errors (5xx, gRPC faults, error status) as bad.
 */
export function generateSlis(
  journey: Journey,
  families: readonly MetricFamily[],
  options: GenerateSlisOptions = {},
): Sli[] {
  const out: Sli[] = [];
  const avail = availability(journey, families);
  if (avail !== undefined) out.push(avail);
  const p99 = journey.evidence.latencyMs?.p99;
  const wanted = options.latencyThresholdSeconds ?? (p99 === undefined ? 0.3 : p99 / 1000);
  const lat = latency(journey, { families, wanted });
  if (lat.ok) out.push(lat.value);
  return out;
}

/** A DNS-1123 SLI name of at most 63 characters: the journey id and the kind. */
export function toSliName(journeyId: string, kind: SliKind): string {
  const room = 63 - kind.length - 1;
  return `${journeyId.slice(0, room).replace(/-+$/, '')}-${kind}`;
}

function selectorFor(key: JourneyKey, family: MetricFamily): string[] | undefined {
  const m: string[] = [];
  const service = pickLabel(family, LABELS.service);
  if (key.type === 'sequence') return undefined;
  if (service !== undefined) m.push(`${service}=${quote(key.service)}`);
  if (key.type === 'http') {
    const route = pickLabel(family, LABELS.route);
    const method = pickLabel(family, LABELS.method);
    const span = pickLabel(family, LABELS.spanName);
    if (route !== undefined) {
      m.push(`${route}=${quote(key.route)}`);
      if (method !== undefined) m.push(`${method}=${quote(key.method)}`);
      return m;
    }
    if (span !== undefined) return [...m, `${span}=${quote(`${key.method} ${key.route}`)}`];
    return undefined;
  }
  if (key.type === 'rpc') {
    const rs = pickLabel(family, LABELS.rpcService);
    const rm = pickLabel(family, LABELS.rpcMethod);
    const span = pickLabel(family, LABELS.spanName);
    if (rs !== undefined && rm !== undefined)
      return [...m, `${rs}=${quote(key.rpcService)}`, `${rm}=${quote(key.rpcMethod)}`];
    if (span !== undefined) return [...m, `${span}=${quote(`${key.rpcService}/${key.rpcMethod}`)}`];
    return undefined;
  }
  const span = pickLabel(family, LABELS.spanName);
  if (key.type === 'span' && span !== undefined) return [...m, `${span}=${quote(key.spanName)}`];
  if (key.type === 'other' && service !== undefined) return m;
  return undefined;
}

function badMatcher(family: MetricFamily, key: JourneyKey): string | undefined {
  if (key.type === 'rpc') {
    const s = pickLabel(family, LABELS.rpcStatus);
    if (s === 'grpc_code') return `${s}=~"${GRPC_FAULT_NAMES}"`;
    if (s !== undefined) return `${s}=~"${GRPC_FAULT_CODES}"`;
  }
  if (pickLabel(family, LABELS.spanName) !== undefined && family.labels.includes('status_code'))
    return 'status_code="STATUS_CODE_ERROR"';
  const s = pickLabel(family, LABELS.httpStatus);
  return s === undefined ? undefined : `${s}=~"5.."`;
}

const series = (name: string, m: readonly string[]): string =>
  m.length === 0 ? name : `${name}{${m.join(', ')}}`;
const rate = (name: string, m: readonly string[]): string =>
  `sum(rate(${series(name, m)}[{{.window}}]))`;
const nativeCount = (name: string, m: readonly string[]): string =>
  `sum(histogram_count(rate(${series(name, m)}[{{.window}}])))`;

function availability(journey: Journey, families: readonly MetricFamily[]): Sli | undefined {
  // Counters first, then histogram counts, then native histograms.
  const rank = { counter: 0, histogram: 1, native_histogram: 2 } as Record<string, number>;
  const candidates = families
    .filter((f) => rank[f.type] !== undefined)
    .sort((a, b) => rank[a.type]! - rank[b.type]! || (a.name < b.name ? -1 : 1));
  for (const family of candidates) {
    const sel = selectorFor(journey.key, family);
    const bad = badMatcher(family, journey.key);
    if (sel === undefined || bad === undefined) continue;
    let ratio: SliRatio;
    if (family.type === 'native_histogram')
      ratio = {
        bad: nativeCount(family.name, [...sel, bad]),
        total: nativeCount(family.name, sel),
      };
    else {
      const name = family.type === 'histogram' ? `${family.name}_count` : family.name;
      ratio = { bad: rate(name, [...sel, bad]), total: rate(name, sel) };
    }
    return {
      id: toSliName(journey.id, 'availability'),
      journeyId: journey.id,
      kind: 'availability',
      name: toSliName(journey.id, 'availability'),
      description: `Share of ${journey.name} requests that do not fail with a server error (${bad}).`,
      ratio,
      metric: family.name,
    };
  }
  return undefined;
}

function latency(
  journey: Journey,
  o: { families: readonly MetricFamily[]; wanted: number },
): Result<Sli> {
  const candidates = o.families
    .filter((f) => f.type === 'histogram' || f.type === 'native_histogram')
    .sort((a, b) =>
      a.type === b.type ? (a.name < b.name ? -1 : 1) : a.type === 'histogram' ? -1 : 1,
    );
  for (const family of candidates) {
    const sel = selectorFor(journey.key, family);
    if (sel === undefined) continue;
    const scale = unitScale(family);
    if (family.type === 'native_histogram') {
      const t = Math.round(o.wanted * 1000) / 1000;
      const h = `sum(rate(${series(family.name, sel)}[{{.window}}]))`;
      return ok(
        latencySli(journey, {
          family,
          threshold: t,
          ratio: {
            good: `histogram_fraction(0, ${t / scale}, ${h}) * histogram_count(${h})`,
            total: `histogram_count(${h})`,
          },
        }),
      );
    }
    const pick = pickBucketAtLeast(family, o.wanted / scale);
    if (pick === undefined) continue;
    return ok(
      latencySli(journey, {
        family,
        threshold: pick.bound * scale,
        ratio: {
          good: rate(`${family.name}_bucket`, [...sel, `le=${quote(pick.label)}`]),
          total: rate(`${family.name}_count`, sel),
        },
      }),
    );
  }
  return fail('NO_METRIC', `no histogram with labels for ${journey.name}`);
}

function latencySli(
  journey: Journey,
  o: { family: MetricFamily; threshold: number; ratio: SliRatio },
): Sli {
  const name = toSliName(journey.id, 'latency');
  return {
    id: name,
    journeyId: journey.id,
    kind: 'latency',
    name,
    description: `Share of ${journey.name} requests served within ${o.threshold} s.`,
    ratio: o.ratio,
    thresholdSeconds: o.threshold,
    metric: o.family.name,
  };
}

/** The smallest finite `le` bound ≥ `wanted` (or the largest one), with its stored label. */
export function pickBucketAtLeast(
  family: MetricFamily,
  wanted: number,
): { bound: number; label: string } | undefined {
  const bounds = (family.buckets ?? []).map((b, i) => ({
    bound: b,
    label: family.bucketLabels?.[i] ?? String(b),
  }));
  const finite = bounds.filter((b) => Number.isFinite(b.bound)).sort((a, b) => a.bound - b.bound);
  return finite.find((b) => b.bound >= wanted - 1e-12) ?? finite[finite.length - 1];
}

/** Core Web Vitals "good" thresholds, in seconds for LCP/INP and unitless for CLS. */
export const WEB_VITAL_THRESHOLDS = { lcp: 2.5, inp: 0.2, cls: 0.1 } as const;

/**
 * RUM SLIs: the share of good Core Web Vitals (LCP ≤ 2.5 s, INP ≤ 200 ms, CLS ≤ 0.1) for each vital
 * histogram found, using the largest `le` bucket that does not exceed the standard threshold.
 */
export function generateRumSlis(journey: Journey, families: readonly MetricFamily[]): Sli[] {
  const out: Sli[] = [];
  for (const [vital, threshold] of Object.entries(WEB_VITAL_THRESHOLDS)) {
    const family = families.find(
      (f) => f.type === 'histogram' && new RegExp(`(^|_)${vital}(_|$)`).test(f.name),
    );
    if (family === undefined) continue;
    const scale = vital === 'cls' ? 1 : unitScale(family);
    const le = (family.buckets ?? [])
      .map((b, i) => ({ bound: b, label: family.bucketLabels?.[i] ?? String(b) }))
      .filter((b) => b.bound <= threshold / scale + 1e-12)
      .sort((a, b) => b.bound - a.bound)[0];
    if (le === undefined) continue;
    const service = pickLabel(family, LABELS.service);
    const sel =
      service === undefined || journey.key.type === 'sequence'
        ? []
        : [`${service}=${quote(journey.entryService)}`];
    const name = toSliName(`${journey.id.slice(0, 40)}-${vital}`, 'rum');
    out.push({
      id: name,
      journeyId: journey.id,
      kind: 'rum',
      name,
      description: `Share of ${vital.toUpperCase()} measurements rated good (≤ ${le.bound * scale}).`,
      ratio: {
        good: rate(`${family.name}_bucket`, [...sel, `le=${quote(le.label)}`]),
        total: rate(`${family.name}_count`, sel),
      },
      thresholdSeconds: le.bound * scale,
      metric: family.name,
    });
  }
  return out;
}

/**
 * An error SLI from log capsule severities, over a counter of capsule events with a severity
 * label (as the aggregator exports): bad = ERROR and FATAL, total = all severities.
 */
export function generateErrorSli(journey: Journey, family: MetricFamily): Result<Sli> {
  const sev = pickLabel(family, LABELS.severity);
  const service = pickLabel(family, LABELS.service);
  if (sev === undefined || service === undefined || journey.key.type === 'sequence')
    return fail('NO_METRIC', `${family.name} has no severity and service labels`);
  const sel = [`${service}=${quote(journey.entryService)}`];
  const name = toSliName(journey.id, 'errors');
  return ok({
    id: name,
    journeyId: journey.id,
    kind: 'errors',
    name,
    description: `Share of ${journey.entryService} log events below ERROR severity.`,
    ratio: {
      bad: rate(family.name, [...sel, `${sev}=~"(?i)error|fatal"`]),
      total: rate(family.name, sel),
    },
    metric: family.name,
  });
}

/** Good/total counts per time bucket of a service's log capsules: good = below ERROR severity. */
export function toCapsuleErrorSeries(
  windows: readonly CapsuleWindow[],
  service: string,
): { tMs: number; good: number; total: number }[] {
  const byBucket = new Map<number, { good: number; total: number }>();
  for (const w of windows) {
    if (w.service !== service) continue;
    const d = w.severity_distribution;
    const total = d.unspecified + d.trace + d.debug + d.info + d.warn + d.error + d.fatal;
    const cur = byBucket.get(w.time_bucket_ms) ?? { good: 0, total: 0 };
    cur.good += total - d.error - d.fatal;
    cur.total += total;
    byBucket.set(w.time_bucket_ms, cur);
  }
  return [...byBucket.entries()].sort((a, b) => a[0] - b[0]).map(([tMs, v]) => ({ tMs, ...v }));
}

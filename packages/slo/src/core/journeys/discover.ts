import type { Journey, JourneyKey, TelemetryEvent } from '@slo-scout/schema';
import type { GoodTotalPoint, HistogramPoint } from '../recommend/series.ts';
import { SloError } from '../../errors.ts';
import { percentile } from '../stats.ts';
import { isCriticalKey, isServerError, toJourneyId, toJourneyKey, toJourneyName } from './keys.ts';

/** Options of {@link discoverJourneys}. */
export interface DiscoverJourneysOptions {
  /** Journeys with a smaller share of entry traffic are grouped as `other`; default 0.01. */
  readonly minShare?: number;
  /** Example trace ids kept per journey; default 3. */
  readonly maxExamples?: number;
}

interface Hit {
  readonly key: JourneyKey;
  readonly traceId: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly error: boolean;
  readonly userFacing: boolean;
  readonly services: ReadonlySet<string>;
}

/**
 * Finds the journeys users take from trace spans: one hit per trace at its top entry span (a root,
 * or a SERVER/CONSUMER span whose parent is in another service). Route-less roots (a gateway or a
 * frontend that sees every request) are keyed on the downstream call signature instead.
 * Ranked by traffic share, user-facing, critical and error/latency variability; rare keys become
 * one `other` journey per service.
 */
export function discoverJourneys(
  events: readonly TelemetryEvent[],
  options: DiscoverJourneysOptions = {},
): Journey[] {
  const minShare = options.minShare ?? 0.01;
  const maxExamples = options.maxExamples ?? 3;
  if (!(minShare >= 0 && minShare < 1))
    throw new SloError('INVALID_OPTIONS', 'discoverJourneys: minShare must be in [0, 1)');
  if (!Number.isInteger(maxExamples) || maxExamples < 0)
    throw new SloError('INVALID_OPTIONS', 'discoverJourneys: maxExamples must be a whole number');
  const hits = collectHits(events);
  const total = hits.length;
  if (total === 0) return [];
  const groups = groupBy(hits, (h) => JSON.stringify(h.key));
  const rareByService = new Map<string, Hit[]>();
  const journeys: Journey[] = [];
  for (const group of groups.values()) {
    const key = group[0]!.key;
    if (group.length / total < minShare && key.type !== 'other') {
      const service = 'service' in key ? key.service : 'unknown';
      rareByService.set(service, [...(rareByService.get(service) ?? []), ...group]);
    } else journeys.push(toJourney(key, { hits: group, total, maxExamples }));
  }
  for (const [service, group] of rareByService)
    journeys.push(
      toJourney({ type: 'other', service }, { hits: group, total, maxExamples, critical: false }),
    );
  return journeys.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

function collectHits(events: readonly TelemetryEvent[]): Hit[] {
  const traces = groupBy(
    events.filter((e) => e.kind === 'trace' && e.trace_id !== null && e.span_id !== null),
    (e) => e.trace_id!,
  );
  const tops: {
    span: TelemetryEvent;
    downstream: TelemetryEvent | null;
    trace: TelemetryEvent[];
  }[] = [];
  for (const trace of traces.values()) {
    const byId = new Map(trace.map((s) => [s.span_id!, s]));
    const isEntry = (s: TelemetryEvent): boolean => {
      const parent = s.parent_span_id === null ? undefined : byId.get(s.parent_span_id);
      if (parent === undefined) return true;
      return (
        (s.span_kind === 'SERVER' || s.span_kind === 'CONSUMER') && parent.service !== s.service
      );
    };
    const entryAncestor = (s: TelemetryEvent): TelemetryEvent | null => {
      let p = s.parent_span_id === null ? undefined : byId.get(s.parent_span_id);
      while (p !== undefined) {
        if (isEntry(p)) return p;
        p = p.parent_span_id === null ? undefined : byId.get(p.parent_span_id);
      }
      return null;
    };
    const entries = trace.filter(isEntry);
    for (const top of entries.filter((s) => entryAncestor(s) === null)) {
      const first = entries
        .filter((s) => entryAncestor(s) === top && s.span_kind === 'SERVER')
        .sort((a, b) => a.event_time_ms - b.event_time_ms)[0];
      tops.push({ span: top, downstream: first ?? null, trace });
    }
  }
  // A route-less root whose traces fan out to several downstream signatures is an opaque edge.
  const signatures = new Map<string, Set<string>>();
  for (const t of tops) {
    const k = JSON.stringify(toJourneyKey(t.span));
    const set = signatures.get(k) ?? new Set<string>();
    if (t.downstream !== null) set.add(JSON.stringify(toJourneyKey(t.downstream)));
    signatures.set(k, set);
  }
  return tops.map(({ span, downstream, trace }) => {
    const rootKey = toJourneyKey(span);
    const opaque =
      rootKey.type === 'span' &&
      downstream !== null &&
      (span.attributes['http.request.method'] !== undefined ||
        (signatures.get(JSON.stringify(rootKey))?.size ?? 0) >= 2);
    return {
      key: opaque ? toJourneyKey(downstream) : rootKey,
      traceId: span.trace_id!,
      startMs: span.event_time_ms,
      durationMs: span.duration_ms ?? 0,
      error: isServerError(span),
      userFacing:
        opaque ||
        span.attributes['session.id'] !== undefined ||
        (span.parent_span_id === null && span.span_kind === 'SERVER'),
      services: new Set(trace.map((s) => s.service)),
    };
  });
}

/** Options of {@link toJourneyHistory}. */
export interface JourneyHistoryOptions {
  readonly fromMs: number;
  readonly toMs: number;
  /** Length of one point. */
  readonly stepMs: number;
  /** Finite latency histogram bounds in seconds, ascending (`le` buckets); +Inf is implied. */
  readonly bounds: readonly number[];
}

/** A journey's history as its entry spans saw it: availability and latency per step. */
export interface JourneyHistory {
  /** Good = not a server error (5xx, gRPC fault, error status), one point per step. */
  readonly availability: GoodTotalPoint[];
  /** Entry-span durations per step in the `bounds` buckets. */
  readonly latency: HistogramPoint[];
}

/**
 * Replays the entry spans of each trace into per-journey series, the way the journey's metrics
 * would have counted them: the same entry-span rule as {@link discoverJourneys}, keys not among
 * `journeys` folded into their service's `other` journey when it is there, otherwise left out.
 * Every step of the range gets a point (zero when idle), so coverage is measured honestly.
 */
export function toJourneyHistory(
  events: readonly TelemetryEvent[],
  journeys: readonly Journey[],
  options: JourneyHistoryOptions,
): Map<string, JourneyHistory> {
  const { fromMs, toMs, stepMs, bounds } = options;
  if (!(Number.isFinite(fromMs) && Number.isFinite(toMs) && toMs > fromMs))
    throw new SloError('INVALID_OPTIONS', 'toJourneyHistory: fromMs must be before toMs');
  if (!(Number.isInteger(stepMs) && stepMs > 0))
    throw new SloError('INVALID_OPTIONS', 'toJourneyHistory: stepMs must be a positive integer');
  if (bounds.some((b, i) => !(b > 0) || (i > 0 && b <= bounds[i - 1]!)))
    throw new SloError(
      'INVALID_OPTIONS',
      'toJourneyHistory: bounds must be positive and ascending',
    );
  const steps = Math.ceil((toMs - fromMs) / stepMs);
  const ids = new Set(journeys.map((j) => j.id));
  const out = new Map<string, JourneyHistory>();
  for (const id of ids) {
    const availability: GoodTotalPoint[] = [];
    const latency: HistogramPoint[] = [];
    for (let i = 0; i < steps; i++) {
      availability.push({ tMs: fromMs + i * stepMs, good: 0, total: 0 });
      latency.push({
        tMs: fromMs + i * stepMs,
        bounds,
        counts: new Array<number>(bounds.length + 1).fill(0),
      });
    }
    out.set(id, { availability, latency });
  }
  for (const hit of collectHits(events)) {
    if (hit.startMs < fromMs || hit.startMs >= toMs) continue;
    let id = toJourneyId(hit.key);
    if (!ids.has(id) && 'service' in hit.key)
      id = toJourneyId({ type: 'other', service: hit.key.service });
    const history = out.get(id);
    if (history === undefined) continue;
    const i = Math.floor((hit.startMs - fromMs) / stepMs);
    const a = history.availability[i]!;
    history.availability[i] = {
      tMs: a.tMs,
      good: a.good + (hit.error ? 0 : 1),
      total: a.total + 1,
    };
    const seconds = hit.durationMs / 1000;
    const bucket = bounds.findIndex((b) => seconds <= b + 1e-12);
    const counts = history.latency[i]!.counts as number[];
    const at = bucket < 0 ? bounds.length : bucket;
    counts[at] = (counts[at] ?? 0) + 1;
  }
  return out;
}

function toJourney(
  key: JourneyKey,
  o: { hits: Hit[]; total: number; maxExamples: number; critical?: boolean },
): Journey {
  const { hits } = o;
  const durations = hits.map((h) => h.durationMs).sort((a, b) => a - b);
  const errors = hits.filter((h) => h.error).length;
  const share = hits.length / o.total;
  const userFacing = hits.filter((h) => h.userFacing).length * 2 > hits.length;
  const critical = o.critical ?? isCriticalKey(key);
  const mean = durations.reduce((s, d) => s + d, 0) / durations.length;
  const sd = Math.sqrt(durations.reduce((s, d) => s + (d - mean) ** 2, 0) / durations.length);
  const cv = mean > 0 ? sd / mean : 0;
  const errorRate = errors / hits.length;
  const score =
    share +
    (userFacing ? 0.25 : 0) +
    (critical ? 0.25 : 0) +
    0.1 * Math.min(1, errorRate * 20) +
    0.1 * Math.min(1, cv / 2);
  const examples = [...hits]
    .sort((a, b) => a.startMs - b.startMs || (a.traceId < b.traceId ? -1 : 1))
    .slice(0, o.maxExamples)
    .map((h) => h.traceId);
  const services = new Set<string>();
  for (const h of hits) for (const s of h.services) services.add(s);
  return {
    id: toJourneyId(key),
    name: toJourneyName(key),
    key,
    entryService: key.type === 'sequence' ? 'rum' : key.service,
    trafficShare: share,
    userFacing,
    critical,
    score: Math.round(score * 1e6) / 1e6,
    evidence: {
      traceCount: hits.length,
      errorCount: errors,
      exampleTraceIds: examples,
      services: [...services].sort(),
      latencyMs: {
        p50: percentile(durations, 0.5),
        p95: percentile(durations, 0.95),
        p99: percentile(durations, 0.99),
      },
    },
  };
}

/** Groups items by a string key, keeping first-seen order. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}

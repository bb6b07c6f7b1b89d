import { createTelemetryEvent, type MetricType, type TelemetryEvent } from '@slo-scout/schema';
import { CollectorError, err, ok, type Result } from '../errors.ts';
import { toEventId } from '../hash.ts';
import { formatLabelSet } from '../loki/labels.ts';
import { decodeMessage, encodeMessage } from '../proto/decode.ts';
import { messages } from '../proto/messages.ts';
import { snappyCompress, snappyDecompress } from '../snappy.ts';
import { arrayField, toNumber, toSafeKey, type Obj } from '../values.ts';

/** A label matcher of a remote-read query. */
export interface LabelMatcher {
  readonly type: '=' | '!=' | '=~' | '!~';
  readonly name: string;
  readonly value: string;
}

/** One remote-read query: matchers and an inclusive millisecond range. */
export interface ReadQuery {
  readonly matchers: readonly LabelMatcher[];
  readonly startMs: number;
  readonly endMs: number;
}

/** A series of samples returned by remote read. */
export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly { readonly timestampMs: number; readonly value: number }[];
}

const MATCHER_TYPES = { '=': 0, '!=': 1, '=~': 2, '!~': 3 } as const;

/** Encodes a snappy-compressed ReadRequest asking for SAMPLES responses. */
export function encodeReadRequest(queries: readonly ReadQuery[]): Uint8Array {
  for (const q of queries) {
    if (!(q.startMs <= q.endMs) || q.matchers.length === 0) {
      throw new CollectorError('INVALID_OPTIONS', 'a query needs matchers and startMs <= endMs');
    }
  }
  const request = {
    queries: queries.map((q) => ({
      startTimestampMs: q.startMs,
      endTimestampMs: q.endMs,
      matchers: q.matchers.map((m) => ({
        type: MATCHER_TYPES[m.type],
        name: m.name,
        value: m.value,
      })),
    })),
    acceptedResponseTypes: [0],
  };
  return snappyCompress(encodeMessage(messages.readRequest, request));
}

/** Decodes a snappy-compressed ReadResponse into one list of series per query. */
export function decodeReadResponse(body: Uint8Array, maxDecodedBytes: number): Result<Series[][]> {
  const raw = snappyDecompress(body, maxDecodedBytes);
  if (!raw.ok) return raw;
  const decoded = decodeMessage(messages.readResponse, raw.value);
  if (!decoded.ok) return decoded;
  const out: Series[][] = [];
  for (const result of arrayField(decoded.value as Obj, 'results') ?? []) {
    const list: Series[] = [];
    for (const ts of arrayField(result as Obj, 'timeseries') ?? []) {
      const labels: Record<string, string> = {};
      for (const l of arrayField(ts as Obj, 'labels') ?? []) {
        const label = l as Obj;
        labels[String(label['name'])] = String(label['value']);
      }
      const samples = [];
      for (const s of arrayField(ts as Obj, 'samples') ?? []) {
        const sample = s as Obj;
        const t = toNumber(sample['timestamp']);
        const v = sample['value'];
        if (t === undefined || typeof v !== 'number') {
          return err(new CollectorError('BAD_PROTOBUF', 'ReadResponse: malformed sample'));
        }
        samples.push({ timestampMs: t, value: v });
      }
      list.push({ labels, samples });
    }
    out.push(list);
  }
  return ok(out);
}

/** Guesses the metric type from Prometheus naming conventions. */
export function metricTypeOf(name: string): MetricType {
  if (name.endsWith('_bucket')) return 'histogram';
  if (name.endsWith('_total') || name.endsWith('_count') || name.endsWith('_sum')) return 'counter';
  return 'gauge';
}

const SERVICE_LABELS = ['service_name', 'service', 'job'];

/** Converts series to `metric` TelemetryEvents; event_id hashes the series and timestamp. */
export function seriesToEvents(
  series: readonly Series[],
  observedTimeMs: number,
): TelemetryEvent[] {
  const events: TelemetryEvent[] = [];
  for (const s of series) {
    const name = s.labels['__name__'] ?? '';
    const metricLabels: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.labels))
      if (k !== '__name__') metricLabels[toSafeKey(k)] = v;
    const key = formatLabelSet(s.labels);
    const service = SERVICE_LABELS.map((k) => s.labels[k]).find((v) => v) ?? 'unknown_service';
    for (const sample of s.samples) {
      events.push(
        createTelemetryEvent({
          event_id: toEventId('prom', [key, sample.timestampMs]),
          kind: 'metric',
          service,
          event_time_ms: sample.timestampMs,
          observed_time_ms: observedTimeMs,
          metric_name: name,
          metric_type: metricTypeOf(name),
          metric_value: sample.value,
          metric_labels: metricLabels,
        }),
      );
    }
  }
  return events;
}

/** Metric names grouped by what the SLI generator can build from them. */
export interface MetricCatalog {
  /** Histogram base names (from `<base>_bucket`), e.g. `http_server_request_duration_seconds`. */
  readonly histograms: string[];
  /** Request counters: `*_requests_total`. */
  readonly requestCounters: string[];
  /** OpenTelemetry spanmetrics connector outputs (`*calls_total`, `*duration*_bucket`). */
  readonly spanmetrics: string[];
  /** Every other name. */
  readonly other: string[];
}

/** Classifies metric names (pure: the adapter fetches them from `/api/v1/label/__name__/values`). */
export function classifyMetricNames(names: readonly string[]): MetricCatalog {
  const catalog: MetricCatalog = {
    histograms: [],
    requestCounters: [],
    spanmetrics: [],
    other: [],
  };
  for (const name of [...new Set(names)].sort()) {
    const isSpanmetric =
      /(^|_)(calls_total|duration_(milliseconds|seconds)_bucket)$/.test(name) &&
      (name.startsWith('traces_spanmetrics_') ||
        name.startsWith('calls_total') ||
        name.startsWith('duration_') ||
        name.includes('spanmetrics'));
    if (isSpanmetric) catalog.spanmetrics.push(name);
    if (name.endsWith('_bucket')) catalog.histograms.push(name.slice(0, -'_bucket'.length));
    else if (name.endsWith('_requests_total')) catalog.requestCounters.push(name);
    else if (!isSpanmetric && !name.endsWith('_sum') && !name.endsWith('_count'))
      catalog.other.push(name);
  }
  return catalog;
}

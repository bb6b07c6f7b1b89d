/**
 * Hand-written TypeScript types of the wire records. `records.test.ts` proves at compile time that
 * each one equals the type derived from its Avro schema, so the two cannot drift apart.
 */

/** A scalar attribute value (OpenTelemetry AnyValue narrowed to what the pipeline keeps). */
export type AttributeValue = string | number | boolean | null;

/** Attributes by key. */
export type Attributes = Record<string, AttributeValue>;

/** What a telemetry item is. */
export type TelemetryKind = 'metric' | 'trace' | 'log' | 'rum';

/** OpenTelemetry span kind. */
export type SpanKind = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';

/** OpenTelemetry span status code. */
export type StatusCode = 'UNSET' | 'OK' | 'ERROR';

/** Prometheus / OpenTelemetry metric type. */
export type MetricType = 'gauge' | 'counter' | 'histogram' | 'summary';

/** What a RUM event reports. */
export type RumEventType =
  'page_view' | 'route_change' | 'web_vital' | 'js_error' | 'resource_error';

/** An explicit-bucket histogram: `counts` has `bounds.length + 1` entries (the last is +Inf). */
export interface Histogram {
  bounds: number[];
  counts: number[];
  sum: number | null;
  count: number;
}

/** Real-user-monitoring fields of a `rum` event. */
export interface RumFields {
  session_id: string;
  event_type: RumEventType;
  route: string | null;
  journey: string | null;
  step: string | null;
  vital_name: string | null;
  vital_value: number | null;
  vital_rating: string | null;
  user_agent: string | null;
}

/** One normalised telemetry item: a metric sample, a span, a log record or a RUM event. */
export interface TelemetryEvent {
  event_id: string;
  kind: TelemetryKind;
  service: string;
  event_time_ms: number;
  observed_time_ms: number;
  severity_number: number | null;
  severity_text: string | null;
  body: string | null;
  attributes: Attributes;
  resource_attributes: Attributes;
  trace_id: string | null;
  span_id: string | null;
  parent_span_id: string | null;
  span_name: string | null;
  span_kind: SpanKind | null;
  status_code: StatusCode | null;
  duration_ms: number | null;
  metric_name: string | null;
  metric_type: MetricType | null;
  metric_value: number | null;
  metric_labels: Record<string, string>;
  histogram: Histogram | null;
  rum: RumFields | null;
}

/** Where a capsule's message came from. */
export type CapsuleSource = 'log' | 'trace' | 'rum';

/** A fingerprinted message; `redaction_applied` must be true before it is stored or embedded. */
export interface CapsuleEvent {
  fingerprint_hash: string;
  template: string;
  service: string;
  severity_number: number;
  severity_text: string | null;
  event_time_ms: number;
  redacted_sample: string;
  redaction_applied: boolean;
  source_event_id: string;
  source_kind: CapsuleSource;
  parameters: string[];
  trace_id: string | null;
  source: string | null;
}

/** Counts by OpenTelemetry severity range (1-4 TRACE, 5-8 DEBUG, ... 21-24 FATAL, 0 unspecified). */
export interface SeverityDistribution {
  unspecified: number;
  trace: number;
  debug: number;
  info: number;
  warn: number;
  error: number;
  fatal: number;
}

/** One event kept in a window's reservoir sample. */
export interface SampleEntry {
  event_id: string;
  event_time_ms: number;
  severity_number: number;
  redacted_sample: string;
}

/** Aggregate of one fingerprint in one service over one time bucket. */
export interface CapsuleWindow {
  fingerprint_hash: string;
  service: string;
  template: string;
  time_bucket_ms: number;
  window_size_ms: number;
  count: number;
  severity_distribution: SeverityDistribution;
  reservoir_sample: SampleEntry[];
  distinct_sources: number;
  first_seen_ms: number;
  last_seen_ms: number;
}

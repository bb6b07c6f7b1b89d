/** A metric family as a Prometheus discovery returns it: its name, type, label names and buckets. */
export interface MetricFamily {
  /** Base name: `http_requests_total`, or a histogram's name without `_bucket`/`_count`. */
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'native_histogram' | 'summary';
  readonly labels: readonly string[];
  /** Classic histograms: the finite `le` bounds, in the family's unit. */
  readonly buckets?: readonly number[];
  /** Classic histograms: the `le` label values exactly as stored (`"0.25"`, `"1.0"`), same order. */
  readonly bucketLabels?: readonly string[];
}

/** Label names that carry each piece of a journey, most specific first. */
export const LABELS = {
  service: ['service_name', 'service', 'job'],
  route: ['http_route', 'route', 'handler'],
  method: ['http_request_method', 'method', 'http_method'],
  httpStatus: ['http_response_status_code', 'code', 'status_code', 'status', 'http_status_code'],
  rpcService: ['rpc_service', 'grpc_service'],
  rpcMethod: ['rpc_method', 'grpc_method'],
  rpcStatus: ['rpc_grpc_status_code', 'grpc_code'],
  spanName: ['span_name'],
  severity: ['severity', 'severity_text', 'level'],
  vital: ['vital', 'name', 'metric'],
} as const;

/** The first of `candidates` the family has, if any. */
export function pickLabel(family: MetricFamily, candidates: readonly string[]): string | undefined {
  return candidates.find((c) => family.labels.includes(c));
}

/** Seconds per unit of a family's values (`_milliseconds` and spanmetrics `latency` are ms). */
export function unitScale(family: MetricFamily): number {
  return /_milliseconds$|_ms$|^latency$|_latency$/.test(family.name) ? 0.001 : 1;
}

/** Formats a PromQL label matcher value with the escapes PromQL needs. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/**
 * The metric families SLIs are written against when no Prometheus discovery is at hand: what the
 * OpenTelemetry SDKs export by semantic convention (HTTP and RPC server durations in seconds) and
 * the collector's spanmetrics for internal jobs. All latency buckets are in seconds, so the
 * history replayed from spans and the generated `le` selectors agree.
 */
import type { MetricFamily } from '@slo-scout/slo';

/** The OpenTelemetry default explicit bucket bounds for durations in seconds. */
export const LATENCY_BOUNDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

const bucketLabels = LATENCY_BOUNDS.map(String);

/** Families of an OpenTelemetry-instrumented system (HTTP and RPC servers, spanmetrics). */
export const DEFAULT_FAMILIES: readonly MetricFamily[] = [
  {
    name: 'http_server_request_duration_seconds',
    type: 'histogram',
    labels: [
      'service_name',
      'http_route',
      'http_request_method',
      'http_response_status_code',
      'le',
    ],
    buckets: LATENCY_BOUNDS,
    bucketLabels,
  },
  {
    name: 'rpc_server_call_duration_seconds',
    type: 'histogram',
    labels: ['service_name', 'rpc_service', 'rpc_method', 'rpc_grpc_status_code', 'le'],
    buckets: LATENCY_BOUNDS,
    bucketLabels,
  },
  {
    name: 'traces_span_metrics_duration_seconds',
    type: 'histogram',
    labels: ['service_name', 'span_name', 'span_kind', 'status_code', 'le'],
    buckets: LATENCY_BOUNDS,
    bucketLabels,
  },
];

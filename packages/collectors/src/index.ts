export { CollectorError, toCollectorError, ok, err } from './core/errors.ts';
export type { CollectorErrorCode, Result } from './core/errors.ts';
export { hash128, toEventId } from './core/hash.ts';
export { snappyCompress, snappyDecompress } from './core/snappy.ts';
export { createMemorySink } from './core/sink.ts';
export type { Sink, MemorySink, MemorySinkOptions } from './core/sink.ts';
export { createRateLimiter } from './core/limits/rate-limiter.ts';
export type { RateLimiter, RateLimiterOptions } from './core/limits/rate-limiter.ts';
export type { NormaliseContext, NormalisedBatch, OtlpEncoding } from './core/otlp/common.ts';
export { normaliseOtlpTraces, decodeOtlpTraces } from './core/otlp/traces.ts';
export { normaliseOtlpLogs, decodeOtlpLogs, encodeOtlpResponse } from './core/otlp/logs.ts';
export {
  decodeLokiPush,
  normaliseLokiStreams,
  parseLokiJsonStreams,
  toSeverity,
} from './core/loki/push.ts';
export type { LokiEntry, LokiStream, LokiPushContext } from './core/loki/push.ts';
export { parseLabelSet, formatLabelSet } from './core/loki/labels.ts';
export {
  decodeRumBeacon,
  validateRumBeacon,
  normaliseRumBeacon,
  RUM_MAX_EVENTS,
} from './core/rum/beacon.ts';
export type { RumBeacon, RumBeaconEvent, RumContext } from './core/rum/beacon.ts';
export {
  encodeReadRequest,
  decodeReadResponse,
  seriesToEvents,
  classifyMetricNames,
  metricTypeOf,
} from './core/prometheus/remote-read.ts';
export type {
  LabelMatcher,
  ReadQuery,
  Series,
  MetricCatalog,
} from './core/prometheus/remote-read.ts';
export { parseLokiQueryRange } from './core/pull/loki-query.ts';
export { parseSearchPage, readPath } from './core/pull/elasticsearch.ts';
export type { SearchPage } from './core/pull/elasticsearch.ts';
export { parseLogLine, splitLines } from './core/logs/line.ts';
export type { LineOrigin } from './core/logs/line.ts';

export { createLokiPuller } from './loki.ts';
export type { LokiPuller, LokiPullerOptions, LokiCheckpoint } from './loki.ts';
export { createElasticsearchPuller } from './elasticsearch.ts';
export type {
  ElasticsearchPuller,
  ElasticsearchPullerOptions,
  ElasticsearchCheckpoint,
} from './elasticsearch.ts';
export type { FetchLike } from './http.ts';
export { createPrometheusReader } from './prometheus.ts';
export type {
  PrometheusReader,
  PrometheusReaderOptions,
  PrometheusCheckpoint,
  MetricDiscovery,
} from './prometheus.ts';

import type { TelemetryEvent } from '@slo-scout/schema';
import { CollectorError, err, ok, type Result } from '../../core/errors.ts';
import {
  classifyMetricNames,
  decodeReadResponse,
  encodeReadRequest,
  seriesToEvents,
  type LabelMatcher,
  type MetricCatalog,
  type ReadQuery,
  type Series,
} from '../../core/prometheus/remote-read.ts';
import { fetchJson, type FetchLike } from './http.ts';

/** Options of {@link createPrometheusReader}. */
export interface PrometheusReaderOptions {
  /** Prometheus base URL, e.g. `http://prometheus:9090`. */
  readonly url: string;
  /** Largest decompressed response, bytes. Default 64 MiB. */
  readonly maxResponseBytes?: number;
  readonly headers?: Record<string, string>;
  readonly fetch?: FetchLike;
  readonly clock?: () => number;
}

/** Where an incremental pull resumes: every sample up to `lastMs` was already read. */
export interface PrometheusCheckpoint {
  readonly lastMs: number;
}

/** Discovered metric names and the label sets of the SLI-relevant ones. */
export interface MetricDiscovery extends MetricCatalog {
  /** Label sets (without `__name__`) of each SLI-relevant metric, by metric name. */
  readonly labelSets: Record<string, Record<string, string>[]>;
}

/** A Prometheus remote-read client with incremental pulls and metric discovery. */
export interface PrometheusReader {
  /** Runs remote-read queries (SAMPLES mode). */
  read(queries: readonly ReadQuery[]): Promise<Result<Series[][]>>;
  /** Pulls samples after the checkpoint up to `untilMs` as TelemetryEvents. */
  pull(
    matchers: readonly LabelMatcher[],
    from: PrometheusCheckpoint,
    untilMs: number,
  ): Promise<Result<{ events: TelemetryEvent[]; next: PrometheusCheckpoint }>>;
  /** Lists metric names and the label sets of histograms, request counters and spanmetrics. */
  discover(): Promise<Result<MetricDiscovery>>;
}

/** Creates a {@link PrometheusReader}. */
export function createPrometheusReader(options: PrometheusReaderOptions): PrometheusReader {
  const base = options.url.replace(/\/$/, '');
  const fetcher = options.fetch ?? fetch;
  const clock = options.clock ?? Date.now;
  const maxBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
  const read = async (queries: readonly ReadQuery[]): Promise<Result<Series[][]>> => {
    let res: Response;
    try {
      res = await fetcher(`${base}/api/v1/read`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'snappy',
          'x-prometheus-remote-read-version': '0.1.0',
          ...options.headers,
        },
        body: encodeReadRequest(queries),
      });
    } catch (cause) {
      return err(new CollectorError('UPSTREAM_FAILED', 'remote read request failed', { cause }));
    }
    const body = new Uint8Array(await res.arrayBuffer());
    if (!res.ok) {
      const text = new TextDecoder().decode(body.subarray(0, 300));
      return err(new CollectorError('UPSTREAM_FAILED', `remote read: HTTP ${res.status}: ${text}`));
    }
    return decodeReadResponse(body, maxBytes);
  };
  return {
    read,
    async pull(matchers, from, untilMs) {
      if (untilMs <= from.lastMs) return ok({ events: [], next: from });
      const result = await read([{ matchers, startMs: from.lastMs + 1, endMs: untilMs }]);
      if (!result.ok) return result;
      const series = result.value[0] ?? [];
      return ok({ events: seriesToEvents(series, clock()), next: { lastMs: untilMs } });
    },
    async discover() {
      const names = await fetchJson(fetcher, `${base}/api/v1/label/__name__/values`, {
        headers: options.headers ?? {},
      });
      if (!names.ok) return names;
      const data = (names.value as { data?: unknown }).data;
      if (!Array.isArray(data) || !data.every((n) => typeof n === 'string')) {
        return err(new CollectorError('BAD_SHAPE', 'label values: data must be a string array'));
      }
      const catalog = classifyMetricNames(data);
      const relevant = [
        ...catalog.histograms.map((h) => `${h}_bucket`),
        ...catalog.requestCounters,
        ...catalog.spanmetrics,
      ];
      const labelSets: Record<string, Record<string, string>[]> = {};
      for (const name of new Set(relevant)) {
        const params = new URLSearchParams({ 'match[]': name });
        const series = await fetchJson(fetcher, `${base}/api/v1/series?${params.toString()}`, {
          headers: options.headers ?? {},
        });
        if (!series.ok) return series;
        const list = (series.value as { data?: unknown }).data;
        if (!Array.isArray(list))
          return err(new CollectorError('BAD_SHAPE', 'series: data must be an array'));
        labelSets[name] = (list as Record<string, string>[]).map((l) => {
          const { __name__: _name, ...rest } = l;
          return rest;
        });
      }
      return ok({ ...catalog, labelSets });
    },
  };
}

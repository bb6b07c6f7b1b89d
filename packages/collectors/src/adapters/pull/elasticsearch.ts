import type { TelemetryEvent } from '@slo-scout/schema';
import { CollectorError, ok, type Result } from '../../core/errors.ts';
import { parseSearchPage } from '../../core/pull/elasticsearch.ts';
import { fetchJson, type FetchLike } from './http.ts';

/** Options of {@link createElasticsearchPuller}. */
export interface ElasticsearchPullerOptions {
  /** Cluster URL, e.g. `http://es:9200`. */
  readonly url: string;
  /** Index or pattern, e.g. `logs-*`. */
  readonly index: string;
  /** Extra query clauses ANDed with the time range (Query DSL). */
  readonly filter?: readonly Record<string, unknown>[];
  /** Timestamp field. Default `@timestamp`. */
  readonly timestampField?: string;
  /** A unique, sortable tiebreaker field for stable `search_after`. Default `event.id`. */
  readonly tiebreakerField?: string;
  /** Hits per page. Default 1000. */
  readonly pageSize?: number;
  readonly headers?: Record<string, string>;
  readonly fetch?: FetchLike;
  readonly clock?: () => number;
}

/** Where the next pull resumes: the last hit's sort values, or the start of the range. */
export interface ElasticsearchCheckpoint {
  readonly fromMs: number;
  readonly searchAfter: readonly unknown[] | null;
}

/** Pulls documents from Elasticsearch/OpenSearch with `_search` and `search_after`. */
export interface ElasticsearchPuller {
  /** Pulls every document from the checkpoint to `toMs` (exclusive), page by page. */
  pull(
    from: ElasticsearchCheckpoint,
    toMs: number,
  ): Promise<Result<{ events: TelemetryEvent[]; next: ElasticsearchCheckpoint }>>;
}

/** Creates an {@link ElasticsearchPuller}. */
export function createElasticsearchPuller(
  options: ElasticsearchPullerOptions,
): ElasticsearchPuller {
  const size = options.pageSize ?? 1000;
  if (!Number.isInteger(size) || size < 1 || size > 10_000) {
    throw new CollectorError('INVALID_OPTIONS', 'pageSize must be an integer in 1..10000');
  }
  const ts = options.timestampField ?? '@timestamp';
  const tiebreaker = options.tiebreakerField ?? 'event.id';
  const fetcher = options.fetch ?? fetch;
  const clock = options.clock ?? Date.now;
  const url = `${options.url.replace(/\/$/, '')}/${encodeURIComponent(options.index)}/_search`;
  return {
    async pull(from, toMs) {
      const events: TelemetryEvent[] = [];
      let searchAfter = from.searchAfter;
      for (;;) {
        const body: Record<string, unknown> = {
          size,
          query: {
            bool: {
              filter: [
                { range: { [ts]: { gte: from.fromMs, lt: toMs, format: 'epoch_millis' } } },
                ...(options.filter ?? []),
              ],
            },
          },
          sort: [{ [ts]: 'asc' }, { [tiebreaker]: 'asc' }],
          ...(searchAfter ? { search_after: searchAfter } : {}),
        };
        const res = await fetchJson(fetcher, url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...options.headers },
          body: JSON.stringify(body),
        });
        if (!res.ok) return res;
        const page = parseSearchPage(res.value, { observedTimeMs: clock(), timestampField: ts });
        if (!page.ok) return page;
        events.push(...page.value.events);
        if (page.value.lastSort) searchAfter = page.value.lastSort;
        if (page.value.hits < size)
          return ok({ events, next: { fromMs: from.fromMs, searchAfter } });
      }
    },
  };
}

import type { TelemetryEvent } from '@slo-scout/schema';
import { CollectorError, ok, type Result } from '../../core/errors.ts';
import { normaliseLokiStreams } from '../../core/loki/push.ts';
import { parseLokiQueryRange } from '../../core/pull/loki-query.ts';
import { fetchJson, type FetchLike } from './http.ts';

/** Options of {@link createLokiPuller}. */
export interface LokiPullerOptions {
  /** Loki base URL, e.g. `http://loki:3100`. */
  readonly url: string;
  /** A LogQL log query, e.g. `{app="shop"}`. */
  readonly query: string;
  /** Entries per page. Default 1000. */
  readonly limit?: number;
  /** Extra headers (X-Scope-OrgID, Authorization). */
  readonly headers?: Record<string, string>;
  readonly fetch?: FetchLike;
  readonly clock?: () => number;
}

/** A checkpoint: pull resumes from this nanosecond timestamp (inclusive). */
export interface LokiCheckpoint {
  readonly startNs: string;
}

/** Pulls logs from Loki's `query_range` API. */
export interface LokiPuller {
  /** Pulls every entry from the checkpoint up to `endNs`, page by page (direction=forward). */
  pull(
    from: LokiCheckpoint,
    endNs: string,
  ): Promise<Result<{ events: TelemetryEvent[]; next: LokiCheckpoint }>>;
}

/**
 * Creates a Loki puller. Pages advance by the last timestamp seen (Loki's `start` is inclusive);
 * entries at that boundary are recognised by their deterministic event_id and skipped.
 */
export function createLokiPuller(options: LokiPullerOptions): LokiPuller {
  const limit = options.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new CollectorError('INVALID_OPTIONS', 'limit must be a positive integer');
  }
  const fetcher = options.fetch ?? fetch;
  const clock = options.clock ?? Date.now;
  const base = options.url.replace(/\/$/, '');
  return {
    async pull(from, endNs) {
      const events: TelemetryEvent[] = [];
      let start = BigInt(from.startNs);
      let boundary = new Set<string>();
      for (;;) {
        const params = new URLSearchParams({
          query: options.query,
          start: start.toString(),
          end: endNs,
          limit: String(limit),
          direction: 'forward',
        });
        const body = await fetchJson(
          fetcher,
          `${base}/loki/api/v1/query_range?${params.toString()}`,
          {
            headers: options.headers ?? {},
          },
        );
        if (!body.ok) return body;
        const streams = parseLokiQueryRange(body.value);
        if (!streams.ok) return streams;
        const page = normaliseLokiStreams(streams.value, { observedTimeMs: clock() });
        const entries = streams.value.flatMap((s) => s.entries);
        const fresh = page.filter((e) => !boundary.has(e.event_id));
        events.push(...fresh);
        if (entries.length < limit || fresh.length === 0) {
          const last = entries.reduce(
            (m, e) => (BigInt(e.timestampNs) > m ? BigInt(e.timestampNs) : m),
            start - 1n,
          );
          return ok({ events, next: { startNs: (last + 1n).toString() } });
        }
        const maxTs = entries.reduce(
          (m, e) => (BigInt(e.timestampNs) > m ? BigInt(e.timestampNs) : m),
          0n,
        );
        if (maxTs === start) boundary = new Set([...boundary, ...page.map((e) => e.event_id)]);
        else
          boundary = new Set(
            page.filter((_, i) => BigInt(tsOf(streams.value, i)) === maxTs).map((e) => e.event_id),
          );
        start = maxTs;
      }
    },
  };
}

function tsOf(
  streams: readonly { entries: readonly { timestampNs: string }[] }[],
  index: number,
): string {
  let i = index;
  for (const s of streams) {
    if (i < s.entries.length) return s.entries[i]!.timestampNs;
    i -= s.entries.length;
  }
  return '0';
}

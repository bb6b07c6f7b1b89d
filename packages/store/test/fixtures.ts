/** Window states built the real way: by the aggregator, from capsule events. */
import {
  createAggregator,
  createRandom,
  isWindowOutput,
  type WindowState,
  type AggregatorEvent,
} from '@slo-scout/aggregator';

/** Events of one fingerprint/service spread over `buckets` hours starting at `startMs`. */
export function makeEvents(opts: {
  fingerprint: string;
  service: string;
  startMs: number;
  n: number;
  idPrefix: string;
  spreadMs?: number;
}): AggregatorEvent[] {
  const out: AggregatorEvent[] = [];
  for (let i = 0; i < opts.n; i++) {
    out.push({
      fingerprint_hash: opts.fingerprint,
      template: 'user <*> logged in',
      service: opts.service,
      severity_number: [9, 13, 17, 21][i % 4]!,
      event_time_ms:
        opts.startMs + Math.floor((((i * 7919) % opts.n) * (opts.spreadMs ?? 3_600_000)) / opts.n),
      redacted_sample: `user <USER> logged in #${i}`,
      source_event_id: `${opts.idPrefix}-${i}`,
      source: `host-${i % 5}`,
    });
  }
  return out;
}

/** Aggregates events into final window states (flushes everything). */
export function toStates(
  events: readonly AggregatorEvent[],
  seed = 1,
  windowMs?: number,
): WindowState[] {
  const agg = createAggregator(
    windowMs === undefined
      ? { random: createRandom(seed) }
      : { random: createRandom(seed), windowMs },
  );
  // In time order: the aggregator drops events later than its allowed lateness.
  for (const e of [...events].sort((x, y) => x.event_time_ms - y.event_time_ms)) agg.add(e);
  agg.flush();
  return agg
    .drain()
    .filter(isWindowOutput)
    .map((o) => o.state);
}

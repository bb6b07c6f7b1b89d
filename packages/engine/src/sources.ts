import type { Store } from '@slo-scout/store';
import type { TelemetryEvent } from '@slo-scout/schema';
import type { TelemetrySource, TimeRange } from './types.ts';

/** A telemetry source over events already in memory (tests, the demo, a file import). */
export function createMemoryTelemetrySource(events: readonly TelemetryEvent[]): TelemetrySource {
  const spans = events.filter((e) => e.kind === 'trace');
  return {
    traces: (range: TimeRange) =>
      Promise.resolve(
        spans.filter((e) => e.event_time_ms >= range.fromMs && e.event_time_ms < range.toMs),
      ),
  };
}

/** A telemetry source over the store's `spans` table (what the pipeline's spans role writes). */
export function createStoreTelemetrySource(store: Pick<Store, 'listSpans'>): TelemetrySource {
  return { traces: (range: TimeRange) => store.listSpans(range) };
}

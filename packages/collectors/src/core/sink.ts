import type { TelemetryEvent } from '@slo-scout/schema';
import { CollectorError, err, ok, type Result } from './errors.ts';

/**
 * Where collectors publish. `publish` resolves `ok` only once the events are durably accepted (for
 * Kafka: acknowledged by the brokers), so a receiver answers 2xx only for data it will not lose. A
 * saturated sink answers `SINK_SATURATED` with `retryAfterMs` and accepts nothing of that batch.
 */
export interface Sink {
  /** Publishes a batch atomically from the caller's point of view. */
  publish(events: readonly TelemetryEvent[]): Promise<Result<void>>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}

/** Options of {@link createMemorySink}. */
export interface MemorySinkOptions {
  /** Most events held before `publish` answers `SINK_SATURATED`. Default 1,000,000. */
  readonly capacity?: number;
  /** `retryAfterMs` reported when saturated. Default 1000. */
  readonly retryAfterMs?: number;
}

/** The embedded sink: an in-process, bounded, idempotent (upsert by `event_id`) event buffer. */
export interface MemorySink extends Sink {
  /** Number of distinct events held. */
  readonly size: number;
  /** A snapshot of the held events in first-accepted order. */
  events(): TelemetryEvent[];
  /** Removes and returns up to `max` events in first-accepted order (frees capacity). */
  drain(max?: number): TelemetryEvent[];
  /** Calls `listener` with every accepted batch; returns an unsubscribe function. */
  subscribe(listener: (events: readonly TelemetryEvent[]) => void): () => void;
}

/** Creates the embedded {@link MemorySink}. */
export function createMemorySink(options: MemorySinkOptions = {}): MemorySink {
  const capacity = options.capacity ?? 1_000_000;
  const retryAfterMs = options.retryAfterMs ?? 1000;
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new CollectorError(
      'INVALID_OPTIONS',
      `capacity must be a positive integer, got ${capacity}`,
    );
  }
  const held = new Map<string, TelemetryEvent>();
  const listeners = new Set<(events: readonly TelemetryEvent[]) => void>();
  let closed = false;
  return {
    get size() {
      return held.size;
    },
    publish(events) {
      if (closed) return Promise.resolve(err(new CollectorError('SINK_FAILED', 'sink is closed')));
      let fresh = 0;
      for (const e of events) if (!held.has(e.event_id)) fresh++;
      if (held.size + fresh > capacity) {
        return Promise.resolve(
          err(
            new CollectorError('SINK_SATURATED', `embedded sink full (${held.size}/${capacity})`, {
              retryAfterMs,
            }),
          ),
        );
      }
      for (const e of events) held.set(e.event_id, e);
      for (const l of listeners) l(events);
      return Promise.resolve(ok(undefined));
    },
    events() {
      return [...held.values()];
    },
    drain(max = Infinity) {
      const out: TelemetryEvent[] = [];
      for (const [id, e] of held) {
        if (out.length >= max) break;
        out.push(e);
        held.delete(id);
      }
      return out;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}

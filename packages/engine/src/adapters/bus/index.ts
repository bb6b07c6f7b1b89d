/**
 * A telemetry source that reads trace spans back from the `raw-telemetry` topic (embedded bus or
 * Kafka): a fresh consumer group reads every partition from the beginning up to the end offsets
 * seen when the read started, and never commits.
 */
import type { Bus } from '@slo-scout/bus';
import {
  createAvroSerde,
  telemetryEventType,
  toValueSubject,
  TOPICS,
  type SchemaRegistry,
  type TelemetryEvent,
} from '@slo-scout/schema';
import { EngineError } from '../../errors.ts';
import type { TelemetrySource, TimeRange } from '../../types.ts';

/** Options of {@link createBusTelemetrySource}. */
export interface BusTelemetrySourceOptions {
  readonly bus: Bus;
  /** The raw telemetry topic, with the pipeline's prefix if it has one. */
  readonly topic: string;
  readonly registry: SchemaRegistry;
  /** Give up when no partition advances for this long. Default 30 s. */
  readonly idleTimeoutMs?: number;
}

let reads = 0;

/** Reads spans of a time range from the raw telemetry topic. */
export function createBusTelemetrySource(options: BusTelemetrySourceOptions): TelemetrySource {
  const serde = createAvroSerde(
    options.registry,
    toValueSubject(TOPICS.rawTelemetry),
    telemetryEventType,
  );
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  return {
    async traces(range: TimeRange): Promise<readonly TelemetryEvent[]> {
      const groupId = `slo-scout-read-${process.pid}-${Date.now()}-${reads++}`;
      const ends = new Map<number, number>();
      for (const l of await options.bus.lag(groupId, options.topic))
        if (l.endOffset > 0) ends.set(l.partition, l.endOffset);
      if (ends.size === 0) return [];
      const out: TelemetryEvent[] = [];
      const consumer = await options.bus.consumer({
        groupId,
        fromBeginning: true,
        maxBatchSize: 2000,
      });
      try {
        await consumer.subscribe([options.topic]);
        await new Promise<void>((resolve, reject) => {
          let timer = setTimeout(idle, idleTimeoutMs);
          function idle(): void {
            reject(
              new EngineError(
                'UPSTREAM_FAILED',
                `reading ${options.topic}: no progress for ${idleTimeoutMs} ms with ${ends.size} partitions left`,
              ),
            );
          }
          consumer
            .run(async (batch) => {
              clearTimeout(timer);
              timer = setTimeout(idle, idleTimeoutMs);
              for (const m of batch.messages) {
                const d = await serde.decode(m.value);
                // Undecodable records are the fingerprint job's to dead-letter; analysis skips them.
                if (!d.ok || d.value.kind !== 'trace') continue;
                const t = d.value.event_time_ms;
                if (t >= range.fromMs && t < range.toMs) out.push(d.value);
              }
              const end = ends.get(batch.partition);
              if (end !== undefined && batch.nextOffset >= end) ends.delete(batch.partition);
              if (ends.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            })
            .catch((e: unknown) => {
              clearTimeout(timer);
              reject(e instanceof Error ? e : new Error(String(e)));
            });
        });
      } finally {
        await consumer.close();
      }
      return out;
    },
  };
}

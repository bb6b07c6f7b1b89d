/** A collectors {@link Sink} that produces Confluent-framed Avro TelemetryEvents to a bus topic. */
import type { Bus, BusProducer } from '@slo-scout/bus';
import { CollectorError, type Sink } from '@slo-scout/collectors';
import {
  createAvroSerde,
  telemetryEventType,
  toValueSubject,
  TOPICS,
  type SchemaRegistry,
} from '@slo-scout/schema';

/** Options of {@link createBusSink}. */
export interface BusSinkOptions {
  readonly bus: Bus;
  /** Where the TelemetryEvent schema is registered (the frame carries its id). */
  readonly registry: SchemaRegistry;
  /** The pipeline's raw-telemetry topic (with its prefix). */
  readonly topic: string;
}

/** Keyed by service, like the Kafka sink, so one service's events stay in order in one partition. */
export async function createBusSink(options: BusSinkOptions): Promise<Sink> {
  const serde = createAvroSerde(
    options.registry,
    toValueSubject(TOPICS.rawTelemetry),
    telemetryEventType,
  );
  const producer: BusProducer = await options.bus.producer();
  let closed = false;
  return {
    async publish(events) {
      if (closed) return { ok: false, error: new CollectorError('SINK_FAILED', 'sink is closed') };
      try {
        const records = await Promise.all(
          events.map(async (e) => ({
            topic: options.topic,
            key: e.service,
            value: await serde.encode(e),
          })),
        );
        await producer.send(records);
        return { ok: true, value: undefined };
      } catch (cause) {
        return {
          ok: false,
          error: new CollectorError('SINK_FAILED', 'producing to the bus failed', { cause }),
        };
      }
    },
    async close() {
      closed = true;
      await producer.close();
    },
  };
}

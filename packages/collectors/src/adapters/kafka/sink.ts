import {
  createAvroSerde,
  telemetryEventType,
  toValueSubject,
  TOPICS,
  type SchemaRegistry,
  type TelemetryEvent,
  type TopicName,
} from '@slo-scout/schema';
import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import { CollectorError, err, ok } from '../../core/errors.ts';
import type { Sink } from '../../core/sink.ts';

/** Options of {@link createKafkaSink}. */
export interface KafkaSinkOptions {
  /** A configured kafkajs client. */
  readonly kafka: Kafka;
  /** Where the TelemetryEvent Avro schema is registered (the frame carries its id). */
  readonly registry: SchemaRegistry;
  /** Target topic. Default `raw-telemetry`. */
  readonly topic?: TopicName;
  /** Most events in flight before `publish` answers `SINK_SATURATED`. Default 50,000. */
  readonly maxPendingEvents?: number;
  /** `retryAfterMs` reported when saturated. Default 1000. */
  readonly retryAfterMs?: number;
}

/** A Kafka-backed {@link Sink}; call `connect` before publishing. */
export interface KafkaSink extends Sink {
  /** Connects the idempotent producer. */
  connect(): Promise<void>;
  /** Events currently in flight. */
  readonly pending: number;
}

/**
 * Creates a sink that publishes Confluent-framed Avro TelemetryEvents with a kafkajs idempotent
 * producer (acks=all, GZIP), keyed by `service` so one service's events stay ordered in one
 * partition. `publish` resolves ok once the brokers acknowledged the whole batch.
 */
export function createKafkaSink(options: KafkaSinkOptions): KafkaSink {
  const topic = options.topic ?? TOPICS.rawTelemetry;
  const maxPending = options.maxPendingEvents ?? 50_000;
  const retryAfterMs = options.retryAfterMs ?? 1000;
  if (!Number.isInteger(maxPending) || maxPending < 1) {
    throw new CollectorError('INVALID_OPTIONS', 'maxPendingEvents must be a positive integer');
  }
  const serde = createAvroSerde(options.registry, toValueSubject(topic), telemetryEventType);
  const producer: Producer = options.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  let pending = 0;
  let connected = false;

  return {
    get pending() {
      return pending;
    },
    async connect() {
      await producer.connect();
      connected = true;
    },
    async publish(events: readonly TelemetryEvent[]) {
      if (!connected) return err(new CollectorError('SINK_FAILED', 'Kafka sink is not connected'));
      if (events.length === 0) return ok(undefined);
      if (pending + events.length > maxPending) {
        return err(
          new CollectorError('SINK_SATURATED', `Kafka sink has ${pending} events in flight`, {
            retryAfterMs,
          }),
        );
      }
      pending += events.length;
      try {
        const messages = await Promise.all(
          events.map(async (e) => ({ key: e.service, value: await serde.encode(e) })),
        );
        await producer.send({ topic, messages, acks: -1, compression: CompressionTypes.GZIP });
        return ok(undefined);
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : String(cause);
        return err(
          new CollectorError('SINK_FAILED', `Kafka publish failed: ${message}`, {
            cause,
            retryAfterMs,
          }),
        );
      } finally {
        pending -= events.length;
      }
    },
    async close() {
      if (connected) await producer.disconnect();
      connected = false;
    },
  };
}

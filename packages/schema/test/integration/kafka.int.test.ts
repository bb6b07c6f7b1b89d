import { loadConnection } from '@slo-scout/testkit';
import fc from 'fast-check';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createAvroSerde,
  createMemorySchemaRegistry,
  parseFrame,
  telemetryEventType,
  toValueSubject,
  TOPICS,
  type TelemetryEvent,
} from '../../src/index.ts';
import { telemetryEventArb } from '../arbitraries.ts';

const { brokers } = loadConnection('kafka');
const kafka = new Kafka({
  clientId: 'schema-int',
  brokers: [...brokers],
  logLevel: logLevel.ERROR,
});
const admin = kafka.admin();

afterAll(async () => {
  await admin.disconnect();
});

describe('framed Avro TelemetryEvents through a real Kafka broker', () => {
  it('produces and consumes 500 events keyed by service, all decoding to what was sent', async () => {
    const topic = `${TOPICS.rawTelemetry}-${randomUUID()}`;
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

    const registry = createMemorySchemaRegistry();
    const serde = createAvroSerde(
      registry,
      toValueSubject(TOPICS.rawTelemetry),
      telemetryEventType,
    );
    const events = fc
      .sample(telemetryEventArb, { numRuns: 500, seed: 42 })
      .map((e, i) => ({ ...e, event_id: `evt-${i}` }));

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic,
      messages: await Promise.all(
        events.map(async (e) => ({ key: e.service, value: await serde.encode(e) })),
      ),
    });
    await producer.disconnect();

    const received = new Map<string, TelemetryEvent>();
    const partitionsByService = new Map<string, Set<number>>();
    const consumer = kafka.consumer({ groupId: `g-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => { reject(new Error(`only ${received.size} of 500 arrived`)); },
        60_000,
      );
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          expect(parseFrame(message.value!).schemaId).toBeGreaterThan(0);
          const decoded = await serde.decode(message.value!);
          if (!decoded.ok) throw decoded.error;
          received.set(decoded.value.event_id, decoded.value);
          const key = message.key!.toString();
          const set = partitionsByService.get(key) ?? new Set<number>();
          set.add(partition);
          partitionsByService.set(key, set);
          if (received.size === events.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();

    for (const e of events) expect(received.get(e.event_id)).toEqual(e);
    // Keyed by service: every service's events live in exactly one partition.
    for (const parts of partitionsByService.values()) expect(parts.size).toBe(1);
    await admin.deleteTopics({ topics: [topic] });
  });
});

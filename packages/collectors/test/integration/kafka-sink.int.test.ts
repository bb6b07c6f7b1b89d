import {
  createAvroSerde,
  createMemorySchemaRegistry,
  telemetryEventType,
  toValueSubject,
  TOPICS,
  type TelemetryEvent,
} from '@slo-scout/schema';
import { loadConnection } from '@slo-scout/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createCollectorServer } from '../../src/adapters/http/index.ts';
import { createKafkaSink } from '../../src/adapters/kafka/index.ts';

const { brokers } = loadConnection('kafka');
const kafka = new Kafka({
  clientId: 'collectors-int',
  brokers: [...brokers],
  logLevel: logLevel.ERROR,
});
const admin = kafka.admin();
afterAll(() => admin.disconnect());

const span = (service: string, n: number) => ({
  resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
  scopeSpans: [
    {
      spans: [
        {
          traceId: 'aa'.repeat(16),
          spanId: n.toString(16).padStart(16, '0'),
          name: `op-${n}`,
          kind: 2,
          startTimeUnixNano: String(1_700_000_000_000_000_000 + n * 1_000_000),
          endTimeUnixNano: String(1_700_000_000_000_000_000 + n * 1_000_000 + 5_000_000),
        },
      ],
    },
  ],
});

describe('Kafka sink against a real broker', () => {
  it('publishes framed Avro events keyed by service once the OTLP receiver answers 200', async () => {
    const topic = `${TOPICS.rawTelemetry}-${randomUUID()}` as typeof TOPICS.rawTelemetry;
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    const registry = createMemorySchemaRegistry();
    const sink = createKafkaSink({ kafka, registry, topic });
    await sink.connect();
    const server = createCollectorServer({ sink });
    const port = await server.listen();
    const services = ['cart', 'checkout', 'search', 'auth', 'web'];
    const total = 200;
    for (let batch = 0; batch < total / 20; batch++) {
      const body = JSON.stringify({
        resourceSpans: Array.from({ length: 20 }, (_, i) => {
          const n = batch * 20 + i;
          return span(services[n % services.length]!, n + 1);
        }),
      });
      const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(200);
    }
    await server.close();
    await sink.close();

    const serde = createAvroSerde(registry, toValueSubject(topic), telemetryEventType);
    const received = new Map<string, TelemetryEvent>();
    const partitions = new Map<string, Set<number>>();
    const consumer = kafka.consumer({ groupId: `g-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`only ${received.size} of ${total} arrived`));
      }, 60_000);
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          const decoded = await serde.decode(message.value!);
          if (!decoded.ok) throw decoded.error;
          const e = decoded.value;
          expect(message.key!.toString()).toBe(e.service);
          received.set(e.event_id, e);
          const set = partitions.get(e.service) ?? new Set<number>();
          set.add(partition);
          partitions.set(e.service, set);
          if (received.size === total) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect(received.size).toBe(total);
    const first = [...received.values()].find((e) => e.span_name === 'op-1')!;
    expect(first).toMatchObject({ kind: 'trace', service: 'cart', span_kind: 'SERVER' });
    for (const set of partitions.values()) expect(set.size).toBe(1);
    await admin.deleteTopics({ topics: [topic] });
  });
});

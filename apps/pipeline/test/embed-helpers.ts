/** Helpers of the embed job tests: bus recorders, drains and vector store listings. */
import type { Bus, BusMessage } from '@slo-scout/bus';
import type { VectorStore } from '@slo-scout/rag';
import {
  capsuleEventType,
  createAvroSerde,
  createMemorySchemaRegistry,
  telemetryEventType,
  toValueSubject,
  TOPICS,
} from '@slo-scout/schema';

const registry = createMemorySchemaRegistry();
export const telemetrySerde = createAvroSerde(
  registry,
  toValueSubject(TOPICS.rawTelemetry),
  telemetryEventType,
);
export const capsuleSerde = createAvroSerde(
  registry,
  toValueSubject(TOPICS.capsuleEvents),
  capsuleEventType,
);

export async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const caughtUp = async (bus: Bus, group: string, topic: string): Promise<boolean> =>
  (await bus.lag(group, topic)).every((l) => l.lag === 0);

/**
 * Records every message of a topic. Subscribe before anything is sent: the embedded bus trims
 * messages every subscribed group has committed, and a recorder never commits.
 */
export async function record(
  bus: Bus,
  topic: string,
): Promise<{ all(): Promise<BusMessage[]>; close(): Promise<void> }> {
  const groupId = `recorder-${topic}`;
  const out: BusMessage[] = [];
  const consumer = await bus.consumer({ groupId });
  await consumer.subscribe([topic]);
  await consumer.run((batch) => {
    out.push(...batch.messages);
    return Promise.resolve();
  });
  return {
    async all() {
      await until(async () => {
        const lags = await bus.lag(groupId, topic);
        return out.length >= lags.reduce((s, l) => s + l.endOffset, 0);
      });
      return [...out];
    },
    close: () => consumer.close(),
  };
}

/** A recorder's messages (see {@link record}). */
export type Recorder = Awaited<ReturnType<typeof record>>;

/** Every document of a vector store (searched exactly, so nothing is missed). */
export async function allDocuments(
  vectors: VectorStore,
): Promise<{ id: string; fp: string; service: string; template: string }[]> {
  const probe = new Float32Array(vectors.info.dimension).fill(
    1 / Math.sqrt(vectors.info.dimension),
  );
  const hits = await vectors.search({ vector: probe, limit: 10_000, exact: true });
  if (!hits.ok) throw hits.error;
  return hits.value.map((h) => ({
    id: h.capsule.id,
    fp: h.capsule.fingerprint,
    service: h.capsule.service,
    template: h.capsule.template,
  }));
}

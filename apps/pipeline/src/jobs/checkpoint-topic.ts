/**
 * Job state checkpoints kept in a bus topic (compacted on Kafka), written inside the same
 * transaction as the job's outputs and offsets, so state and progress can never disagree.
 */
import { randomUUID } from 'node:crypto';
import type { Bus, ProduceRecord } from '@slo-scout/bus';

/** The topic holding job checkpoints, keyed `<job>/<partition>`. */
export const CHECKPOINT_TOPIC = 'pipeline-checkpoints';

/** Makes sure the checkpoint topic exists (one partition: readers scan it whole). */
export async function ensureCheckpointTopic(bus: Bus): Promise<void> {
  await bus.createTopics([{ topic: CHECKPOINT_TOPIC, partitions: 1, compacted: true }]);
}

/** A checkpoint record for one job partition. */
export function toCheckpointRecord(job: string, partition: number, state: unknown): ProduceRecord {
  return {
    topic: CHECKPOINT_TOPIC,
    key: `${job}/${partition}`,
    value: new TextEncoder().encode(JSON.stringify(state)),
  };
}

/** Reads the latest checkpoint of every key by scanning the topic to its current end. */
export async function readCheckpoints(bus: Bus, timeoutMs = 60_000): Promise<Map<string, unknown>> {
  const groupId = `checkpoint-reader-${randomUUID()}`;
  const ends = await bus.lag(groupId, CHECKPOINT_TOPIC);
  const latest = new Map<string, unknown>();
  const target = new Map(ends.map((e) => [e.partition, e.endOffset]));
  if ([...target.values()].every((end) => end === 0)) return latest;
  const consumer = await bus.consumer({ groupId, fromBeginning: true });
  await consumer.subscribe([CHECKPOINT_TOPIC]);
  const reached = new Map<number, number>();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`checkpoint topic not read to its end within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): boolean => [...target].every(([p, end]) => (reached.get(p) ?? 0) >= end);
      void consumer.run(async (batch) => {
        for (const m of batch.messages) {
          if (m.key) latest.set(m.key, JSON.parse(new TextDecoder().decode(m.value)) as unknown);
        }
        reached.set(batch.partition, batch.nextOffset);
        if (done()) {
          clearTimeout(timer);
          resolve();
        }
        return Promise.resolve();
      });
    });
  } finally {
    await consumer.close();
  }
  return latest;
}

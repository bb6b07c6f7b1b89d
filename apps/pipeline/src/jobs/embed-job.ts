/**
 * The embed job: `capsule-events` → capsules of (fingerprint, service) pairs not embedded yet →
 * embedder (batches of 100) → vector store → `capsule-embeddings`.
 *
 * Exactly one document per (fingerprint, service): its id is `fingerprint:service`, and the store
 * upserts by id, so embedding a pair again (a replay after a crash, a pair forgotten by the
 * bounded seen-set, a partition moved to another worker) replaces the document instead of adding
 * one. Order per batch: upsert the vectors, then one bus transaction with the embedding records,
 * the dead letters and the input offsets. A crash between the two replays the batch, which
 * re-upserts the same documents: harmless.
 *
 * Redaction: a capsule whose `redaction_applied` is not literally `true` is never embedded; it
 * goes to `dead-letter` with code `UNREDACTED` (the embedder and the stores check it again).
 */
import type { Bus, BusBatch, ProduceRecord } from '@slo-scout/bus';
import { isRedacted, type Embedder, type VectorStore } from '@slo-scout/rag';
import {
  capsuleEventType,
  createAvroSerde,
  toValueSubject,
  TOPICS,
  type CapsuleEvent,
  type SchemaRegistry,
} from '@slo-scout/schema';
import type { Logger } from 'pino';
import { toCapsuleEmbeddingRecord, toEmbeddingId } from '../capsule-embedding.ts';
import type { PipelineMetrics } from '../metrics.ts';
import { createSeenSet } from './seen-set.ts';
import {
  createCrashWatch,
  runConsumerJob,
  toDeadLetter,
  type Job,
  type PipelineTopics,
} from './job.ts';

const JOB = 'embed';
const encoder = new TextEncoder();

/** Options of {@link startEmbedJob}. */
export interface EmbedJobOptions {
  readonly bus: Bus;
  readonly registry: SchemaRegistry;
  readonly embedder: Embedder;
  readonly vectors: VectorStore;
  readonly metrics: PipelineMetrics;
  readonly log: Logger;
  /** Unique per worker process (Kafka fences producers by it). */
  readonly transactionalId: string;
  readonly topics: PipelineTopics;
  readonly groupId?: string;
  /** (fingerprint, service) pairs remembered as embedded. Default 100 000. */
  readonly seenCapacity?: number;
  /** Largest batch of capsule events consumed at once. Default 1 000. */
  readonly maxBatchSize?: number;
  /** Time bucket of a document (the bucket of the capsule it was built from). Default 60 s. */
  readonly bucketMs?: number;
}

/** Starts the embed job; resolves once it consumes. */
export async function startEmbedJob(options: EmbedJobOptions): Promise<Job> {
  const { bus, metrics, log, embedder, vectors } = options;
  const groupId = options.groupId ?? 'slo-embed';
  const seen = createSeenSet(options.seenCapacity ?? 100_000);
  const input = createAvroSerde(
    options.registry,
    toValueSubject(TOPICS.capsuleEvents),
    capsuleEventType,
  );
  const deadTarget = { job: JOB, topic: options.topics.deadLetter };
  const producer = await bus.producer({ transactionalId: options.transactionalId });
  const crash = createCrashWatch(JOB, log);
  const consumer = await bus.consumer({
    groupId,
    maxBatchSize: options.maxBatchSize ?? 1_000,
    onCrash: crash.onCrash,
  });

  /** Embeds and stores the batch's new pairs; returns their `capsule-embeddings` records. */
  const embedNew = async (fresh: readonly CapsuleEvent[]): Promise<ProduceRecord[]> => {
    if (fresh.length === 0) return [];
    const stopTimer = metrics.embedSeconds.startTimer();
    const embedded = await embedder.embedCapsules(
      fresh,
      options.bucketMs === undefined ? {} : { bucketMs: options.bucketMs },
    );
    if (!embedded.ok) throw embedded.error;
    const documents = embedded.value.map((e) => ({
      ...e,
      document: { ...e.document, id: toEmbeddingId(e.document.fingerprint, e.document.service) },
    }));
    const written = await vectors.upsert(documents);
    if (!written.ok) throw written.error;
    stopTimer();
    metrics.embedded.inc({ model: embedder.model }, documents.length);
    return documents.map((d) => ({
      topic: options.topics.capsuleEmbeddings,
      key: d.document.fingerprint,
      value: encoder.encode(JSON.stringify(toCapsuleEmbeddingRecord(d))),
      headers: { 'content-type': 'application/json', 'x-slo-model': d.model },
    }));
  };

  const handle = async (batch: BusBatch): Promise<void> => {
    const stopTimer = metrics.batchSeconds.startTimer({ job: JOB });
    const dead: ProduceRecord[] = [];
    const fresh = new Map<string, CapsuleEvent>();
    for (const m of batch.messages) {
      const decoded = await input.decode(m.value);
      if (!decoded.ok) {
        dead.push(toDeadLetter(deadTarget, m, decoded.error));
        metrics.deadLetters.inc({ job: JOB, code: decoded.error.code });
        continue;
      }
      const capsule = decoded.value;
      if (!isRedacted(capsule)) {
        dead.push(
          toDeadLetter(deadTarget, m, {
            code: 'UNREDACTED',
            message: `capsule ${capsule.fingerprint_hash} of service ${capsule.service} has no redaction_applied = true; refused, not embedded`,
          }),
        );
        metrics.deadLetters.inc({ job: JOB, code: 'UNREDACTED' });
        metrics.embedRefused.inc({ reason: 'unredacted' });
        continue;
      }
      const key = toEmbeddingId(capsule.fingerprint_hash, capsule.service);
      if (fresh.has(key) || seen.has(key)) {
        metrics.skipped.inc({ job: JOB, reason: 'embedded' });
        continue;
      }
      fresh.set(key, capsule);
    }
    const records = await embedNew([...fresh.values()]);
    const tx = await producer.transaction();
    try {
      await tx.send([...records, ...dead]);
      await tx.sendOffsets(groupId, [
        { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset },
      ]);
      await tx.commit();
    } catch (e) {
      await tx.abort().catch(() => undefined);
      throw e;
    }
    for (const key of fresh.keys()) seen.add(key);
    metrics.eventsIn.inc({ job: JOB }, batch.messages.length);
    metrics.eventsOut.inc({ job: JOB }, records.length);
    stopTimer();
  };

  return runConsumerJob({
    name: JOB,
    consumer,
    topic: options.topics.capsuleEvents,
    groupId,
    handle,
    metrics,
    crash,
    closeAfter: () => producer.close(),
  });
}

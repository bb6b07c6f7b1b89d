/**
 * The fingerprint job: `raw-telemetry` → redact, mine, fingerprint → `capsule-events`, keyed by
 * fingerprint_hash, exactly once: each batch's capsules, dead letters and input offsets are one
 * bus transaction.
 *
 * Fingerprint stability: raw-telemetry is keyed by service, so one partition holds all of a
 * service's messages and one miner (per partition) learns that service's templates. Whenever a
 * batch changed the miner, its state is saved to the shared state store BEFORE the transaction
 * commits, so the saved state is never older than the committed offsets (it may be newer when a
 * commit fails; replaying messages a miner already knows leaves its templates as they are). A
 * worker that gains a partition (restart or rebalance), or sees a batch that does not continue
 * where it left off, reloads that partition's miner from the saved state before going on.
 *
 * An ambiguous commit (Kafka: EndTxn fails although the coordinator committed, e.g. a timeout)
 * leaves the batch's fate unknown, and kafkajs delivers the batch again from its in-memory
 * position. So after a failed transaction the next batch of that partition first settles it (on
 * Kafka a fresh producer, whose InitProducerId completes or aborts it), then reads the group's
 * committed offset and drops the messages below it: they were published already.
 */
import type { Bus, BusBatch, ProduceRecord } from '@slo-scout/bus';
import type { Redactor } from '@slo-scout/fingerprint';
import {
  capsuleEventType,
  createAvroSerde,
  frameSchemaId,
  telemetryEventType,
  toValueSubject,
  TOPICS,
  type SchemaRegistry,
} from '@slo-scout/schema';
import type { Logger } from 'pino';
import type { PipelineMetrics } from '../metrics.ts';
import { OUTCOME } from './fingerprint-batch.ts';
import {
  createInlineEngine,
  createThreadEngine,
  type FingerprintEngine,
} from './fingerprint-engine.ts';
import type { StateStore } from './state-store.ts';
import {
  createCrashWatch,
  runConsumerJob,
  toDeadLetter,
  type Job,
  type PipelineTopics,
} from './job.ts';

const JOB = 'fingerprint';

/** Options of {@link startFingerprintJob}. */
export interface FingerprintJobOptions {
  readonly bus: Bus;
  readonly registry: SchemaRegistry;
  /** The redactor of the job's own thread (`thread: false`); the worker thread builds the default. */
  readonly redactor: Redactor;
  readonly metrics: PipelineMetrics;
  readonly log: Logger;
  /** Unique per worker process (Kafka fences producers by it). */
  readonly transactionalId: string;
  readonly topics: PipelineTopics;
  /** Where miner states are saved (shared by every worker of the group). */
  readonly states: StateStore;
  readonly groupId?: string;
  readonly maxTemplates?: number;
  readonly maxBatchSize?: number;
  /**
   * Redact, mine and serialise on a worker thread (with the default redactor, `createRedactor()`),
   * so that work uses a second core. Default false: on the job's thread with `redactor`.
   */
  readonly thread?: boolean;
}

/** Starts the fingerprint job; resolves once it consumes. */
export async function startFingerprintJob(options: FingerprintJobOptions): Promise<Job> {
  const { bus, metrics, log } = options;
  const groupId = options.groupId ?? 'slo-fingerprint';
  const inputSubject = toValueSubject(TOPICS.rawTelemetry);
  const outputSubject = toValueSubject(TOPICS.capsuleEvents);
  const input = createAvroSerde(options.registry, inputSubject, telemetryEventType);
  const output = createAvroSerde(options.registry, outputSubject, capsuleEventType);
  const inputId = await input.schemaId();
  const outputId = await output.schemaId();
  const engine: FingerprintEngine = options.thread
    ? await createThreadEngine({ [inputSubject]: inputId, [outputSubject]: outputId })
    : createInlineEngine({ input, output, redactor: options.redactor });
  /** Per partition, the offset the engine's miner continues from. */
  const continues = new Map<number, number>();
  /** Partitions whose last commit failed: it may have taken effect all the same. */
  const uncertain = new Set<number>();
  const stateKey = (partition: number): string =>
    `${options.topics.rawTelemetry}/${JOB}/${partition}`;

  const producer = await bus.producer({ transactionalId: options.transactionalId });
  const crash = createCrashWatch(JOB, log);
  const consumer = await bus.consumer({
    groupId,
    maxBatchSize: options.maxBatchSize ?? 1000,
    onCrash: crash.onCrash,
  });

  /**
   * After a failed commit: settles it, then returns the messages of `batch` at or above the
   * group's committed offset, the only ones it did not publish. Opening a transaction settles the
   * failed one (on Kafka the bus then starts a fresh producer, whose InitProducerId completes or
   * aborts it); this one is empty, so aborting it sends nothing.
   */
  const unpublished = async (batch: BusBatch): Promise<BusBatch['messages']> => {
    await (await producer.transaction()).abort();
    const committed =
      (await consumer.committed(batch.topic)).find((c) => c.partition === batch.partition)
        ?.offset ?? 0;
    const messages = batch.messages.filter((m) => m.offset >= committed);
    if (messages.length < batch.messages.length) {
      log.warn(
        { partition: batch.partition, committed, first: batch.messages[0]!.offset },
        'the failed commit took effect: skipping the messages it published',
      );
    }
    return messages;
  };

  const handle = async (delivered: BusBatch): Promise<void> => {
    const stopTimer = metrics.batchSeconds.startTimer({ job: JOB });
    const { partition } = delivered;
    let batch = delivered;
    if (uncertain.has(partition)) {
      const messages = await unpublished(delivered);
      uncertain.delete(partition);
      // All of it published: its offsets were committed with it. The miner was forgotten with
      // the failed commit, so the next batch reloads the saved one.
      if (messages.length === 0) return;
      batch = { ...delivered, messages };
    }
    const first = batch.messages[0]!.offset;
    let reset: { saved: unknown } | undefined;
    if (continues.get(partition) !== first) {
      const saved = await options.states.load(stateKey(partition));
      log.info({ partition, saved: saved !== undefined }, 'miner loaded from its saved state');
      reset = { saved };
    }
    // Frames written with another schema (or none) are decoded here, against the registry: the
    // undecodable become dead letters, the rest are handed over re-encoded with the own schema.
    const values: Uint8Array[] = [];
    const early = new Map<number, { code: string; message: string }>();
    for (const [i, m] of batch.messages.entries()) {
      if (frameSchemaId(m.value) === inputId) {
        values.push(m.value);
        continue;
      }
      const decoded = await input.decode(m.value);
      if (decoded.ok) values.push(await input.encode(decoded.value));
      else early.set(i, decoded.error);
    }
    // Until this batch commits, the partition's miner is not known to match the committed
    // offsets (an error anywhere below, or a failed commit): the next batch reloads it.
    continues.delete(partition);
    const result = await engine.run({
      partition,
      values,
      ...(reset ? { reset } : {}),
      ...(options.maxTemplates === undefined ? {} : { maxTemplates: options.maxTemplates }),
    });
    const records: ProduceRecord[] = [];
    const deadLetter = (
      m: (typeof batch.messages)[number],
      e: { code: string; message: string },
    ) => {
      records.push(toDeadLetter({ job: JOB, topic: options.topics.deadLetter }, m, e));
      metrics.deadLetters.inc({ job: JOB, code: e.code });
      dead++;
    };
    let dead = 0;
    let v = 0;
    let capsule = 0;
    let deadAt = 0;
    let skippedAt = 0;
    for (const [i, m] of batch.messages.entries()) {
      const e = early.get(i);
      if (e) {
        deadLetter(m, e);
        continue;
      }
      const outcome = result.outcomes[v++];
      if (outcome === OUTCOME.capsule) {
        records.push({
          topic: options.topics.capsuleEvents,
          key: result.keys[capsule]!,
          value: result.capsules[capsule]!,
        });
        capsule++;
      } else if (outcome === OUTCOME.dead) {
        deadLetter(m, result.dead[deadAt++]!);
      } else {
        metrics.skipped.inc({ job: JOB, reason: result.skipped[skippedAt++]! });
      }
    }
    if (result.state) await options.states.save(stateKey(partition), result.state);
    const tx = await producer.transaction();
    try {
      await tx.send(records);
      await tx.sendOffsets(groupId, [
        { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset },
      ]);
      await tx.commit();
    } catch (e) {
      // The miner learned from a batch that did not commit: forget it, reload on redelivery.
      // The commit itself may have taken effect: the partition's next batch checks.
      engine.forget(partition);
      uncertain.add(partition);
      await tx.abort().catch(() => undefined);
      throw e;
    }
    continues.set(partition, batch.nextOffset);
    metrics.eventsIn.inc({ job: JOB }, batch.messages.length);
    metrics.eventsOut.inc({ job: JOB }, records.length - dead);
    stopTimer();
  };

  return runConsumerJob({
    name: JOB,
    consumer,
    topic: options.topics.rawTelemetry,
    groupId,
    handle,
    metrics,
    crash,
    closeAfter: async () => {
      await producer.close();
      await engine.close();
    },
  });
}

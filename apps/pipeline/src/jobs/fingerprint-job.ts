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
 */
import type { Bus, BusBatch, ProduceRecord } from '@slo-scout/bus';
import {
  createTemplateMiner,
  parseMinerState,
  type Redactor,
  type TemplateMiner,
} from '@slo-scout/fingerprint';
import {
  capsuleEventType,
  createAvroSerde,
  telemetryEventType,
  toValueSubject,
  TOPICS,
  type SchemaRegistry,
} from '@slo-scout/schema';
import type { Logger } from 'pino';
import { toCapsuleEvent, toCapsuleInput } from '../capsule.ts';
import type { PipelineMetrics } from '../metrics.ts';
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
}

/** Starts the fingerprint job; resolves once it consumes. */
export async function startFingerprintJob(options: FingerprintJobOptions): Promise<Job> {
  const { bus, metrics, log } = options;
  const groupId = options.groupId ?? 'slo-fingerprint';
  const input = createAvroSerde(
    options.registry,
    toValueSubject(TOPICS.rawTelemetry),
    telemetryEventType,
  );
  const output = createAvroSerde(
    options.registry,
    toValueSubject(TOPICS.capsuleEvents),
    capsuleEventType,
  );
  const miners = new Map<number, { miner: TemplateMiner; nextOffset: number }>();
  const stateKey = (partition: number): string =>
    `${options.topics.rawTelemetry}/${JOB}/${partition}`;

  const loadMiner = async (partition: number): Promise<TemplateMiner> => {
    const saved = await options.states.load(stateKey(partition));
    const state = saved === undefined ? undefined : parseMinerState(saved);
    if (state && !state.ok) throw state.error;
    log.info(
      { partition, templates: state?.value.templates.length ?? 0 },
      'miner loaded from its saved state',
    );
    return createTemplateMiner({
      ...(options.maxTemplates === undefined ? {} : { maxTemplates: options.maxTemplates }),
      ...(state ? { state: state.value } : {}),
    });
  };

  const producer = await bus.producer({ transactionalId: options.transactionalId });
  const crash = createCrashWatch(JOB, log);
  const consumer = await bus.consumer({
    groupId,
    maxBatchSize: options.maxBatchSize ?? 1000,
    onCrash: crash.onCrash,
  });

  const handle = async (batch: BusBatch): Promise<void> => {
    const stopTimer = metrics.batchSeconds.startTimer({ job: JOB });
    const first = batch.messages[0]!.offset;
    let entry = miners.get(batch.partition);
    if (entry?.nextOffset !== first) {
      entry = { miner: await loadMiner(batch.partition), nextOffset: first };
      miners.set(batch.partition, entry);
    }
    const records: ProduceRecord[] = [];
    let changed = false;
    let dead = 0;
    for (const m of batch.messages) {
      const decoded = await input.decode(m.value);
      if (!decoded.ok) {
        records.push(
          toDeadLetter({ job: JOB, topic: options.topics.deadLetter }, m, decoded.error),
        );
        metrics.deadLetters.inc({ job: JOB, code: decoded.error.code });
        dead++;
        continue;
      }
      const what = toCapsuleInput(decoded.value);
      if (!what.ok) {
        metrics.skipped.inc({ job: JOB, reason: what.reason });
        continue;
      }
      const { capsule, isNew } = toCapsuleEvent(decoded.value, what, {
        redactor: options.redactor,
        miner: entry.miner,
      });
      changed ||= isNew;
      records.push({
        topic: options.topics.capsuleEvents,
        key: capsule.fingerprint_hash,
        value: await output.encode(capsule),
      });
    }
    if (changed) await options.states.save(stateKey(batch.partition), entry.miner.save());
    const tx = await producer.transaction();
    try {
      await tx.send(records);
      await tx.sendOffsets(groupId, [
        { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset },
      ]);
      await tx.commit();
    } catch (e) {
      // The miner learned from a batch that did not commit: forget it, reload on redelivery.
      miners.delete(batch.partition);
      await tx.abort().catch(() => undefined);
      throw e;
    }
    entry.nextOffset = batch.nextOffset;
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
    closeAfter: () => producer.close(),
  });
}

/**
 * The spans job: `raw-telemetry` → trace spans reduced to what journey discovery reads
 * (`toJourneySpan`, name and strings redacted) → the store's `spans` table. At least once with an
 * idempotent sink: the offsets are committed after the upsert, and a redelivered batch inserts
 * nothing new (the key is trace id + span id). Undecodable records are left to the fingerprint
 * job, which dead-letters them; here they are only counted.
 */
import type { Bus, BusBatch } from '@slo-scout/bus';
import type { Redactor } from '@slo-scout/fingerprint';
import {
  createAvroSerde,
  telemetryEventType,
  toValueSubject,
  TOPICS,
  type SchemaRegistry,
} from '@slo-scout/schema';
import { toJourneySpan } from '@slo-scout/slo';
import type { SpanInput, Store } from '@slo-scout/store';
import type { Logger } from 'pino';
import type { PipelineMetrics } from '../metrics.ts';
import { createCrashWatch, runConsumerJob, type Job, type PipelineTopics } from './job.ts';

const JOB = 'spans';

/** Options of {@link startSpansJob}. */
export interface SpansJobOptions {
  readonly bus: Bus;
  readonly registry: SchemaRegistry;
  readonly redactor: Redactor;
  readonly store: Store;
  readonly metrics: PipelineMetrics;
  readonly log: Logger;
  readonly topics: PipelineTopics;
  readonly groupId?: string;
  readonly maxBatchSize?: number;
}

/** Starts the spans job; resolves once it consumes. */
export async function startSpansJob(options: SpansJobOptions): Promise<Job> {
  const { bus, metrics, log, store } = options;
  const groupId = options.groupId ?? 'slo-spans';
  const input = createAvroSerde(
    options.registry,
    toValueSubject(TOPICS.rawTelemetry),
    telemetryEventType,
  );
  const redact = (t: string): string => options.redactor.redact(t).text;
  const crash = createCrashWatch(JOB, log);
  const consumer = await bus.consumer({
    groupId,
    maxBatchSize: options.maxBatchSize ?? 2000,
    onCrash: crash.onCrash,
  });

  const handle = async (batch: BusBatch): Promise<void> => {
    const stopTimer = metrics.batchSeconds.startTimer({ job: JOB });
    const spans: SpanInput[] = [];
    for (const m of batch.messages) {
      const decoded = await input.decode(m.value);
      if (!decoded.ok) {
        metrics.skipped.inc({ job: JOB, reason: 'undecodable' });
        continue;
      }
      const span = toJourneySpan(decoded.value, redact);
      if (span !== undefined) spans.push({ span, redactionApplied: true });
    }
    if (spans.length > 0) {
      const r = await store.upsertSpans(spans);
      if (!r.ok) throw r.error;
    }
    await consumer.commit([
      { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset },
    ]);
    metrics.eventsIn.inc({ job: JOB }, batch.messages.length);
    metrics.eventsOut.inc({ job: JOB }, spans.length);
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
  });
}

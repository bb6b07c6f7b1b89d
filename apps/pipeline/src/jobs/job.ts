/** What every stream job shares: a name, readiness and a graceful stop. */
import type {
  BatchHandler,
  BusConsumer,
  BusMessage,
  CrashInfo,
  ProduceRecord,
} from '@slo-scout/bus';
import type { Logger } from 'pino';
import type { PipelineMetrics } from '../metrics.ts';
import { TOPICS } from '@slo-scout/schema';

/** A running stream job. */
export interface Job {
  readonly name: string;
  /** True once the job consumes. */
  ready(): boolean;
  /** The error that stopped the job, if it crashed. */
  failure(): unknown;
  /** Stops consuming, finishes the batch in flight and commits it. */
  stop(): Promise<void>;
}

/** The topics a pipeline uses; a prefix lets several pipelines share one Kafka cluster. */
export interface PipelineTopics {
  readonly rawTelemetry: string;
  readonly capsuleEvents: string;
  readonly capsuleWindows: string;
  readonly capsuleEmbeddings: string;
  readonly deadLetter: string;
}

/** The pipeline's topic names, each with `prefix` in front. */
export function toPipelineTopics(prefix = ''): PipelineTopics {
  return {
    rawTelemetry: `${prefix}${TOPICS.rawTelemetry}`,
    capsuleEvents: `${prefix}${TOPICS.capsuleEvents}`,
    capsuleWindows: `${prefix}${TOPICS.capsuleWindows}`,
    capsuleEmbeddings: `${prefix}${TOPICS.capsuleEmbeddings}`,
    deadLetter: `${prefix}${TOPICS.deadLetter}`,
  };
}

/** A dead-letter record for `message`: the original bytes, with the reason in the headers. */
export function toDeadLetter(
  target: { readonly job: string; readonly topic: string },
  message: BusMessage,
  error: { readonly code: string; readonly message: string },
): ProduceRecord {
  const { job } = target;
  return {
    topic: target.topic,
    key: message.key,
    value: message.value,
    headers: {
      'x-slo-job': job,
      'x-slo-error-code': error.code,
      'x-slo-reason': error.message,
      'x-slo-source-topic': message.topic,
      'x-slo-source-partition': String(message.partition),
      'x-slo-source-offset': String(message.offset),
    },
  };
}

/** A job's crash state: what the consumer's `onCrash` records and the job's `failure()` reports. */
export interface CrashWatch {
  readonly onCrash: (error: unknown, info: CrashInfo) => void;
  failure(): unknown;
}

/**
 * Records the error that stops a job; a crash the bus recovers from by itself (it rejoins the
 * member and redelivers the batch in flight) is only logged.
 */
export function createCrashWatch(job: string, log: Logger): CrashWatch {
  let crashed: unknown;
  return {
    onCrash(error, { restarting }) {
      if (restarting) {
        log.warn({ err: error }, `${job} consumer failed; the bus restarts it`);
        return;
      }
      crashed = error;
      log.error({ err: error }, `${job} job stopped`);
    },
    failure: () => crashed,
  };
}

/** Subscribes the consumer to its topic, runs the handler, watches the lag; the running job. */
export async function runConsumerJob(o: {
  readonly name: string;
  readonly consumer: BusConsumer;
  readonly topic: string;
  readonly groupId: string;
  readonly handle: BatchHandler;
  readonly metrics: PipelineMetrics;
  readonly crash: CrashWatch;
  /** Closed after the consumer on stop, e.g. the job's producer. */
  readonly closeAfter?: () => Promise<void>;
}): Promise<Job> {
  await o.consumer.subscribe([o.topic]);
  await o.consumer.run(o.handle);
  let running = true;
  o.metrics.watchLag(o.name, o.groupId, o.topic);
  return {
    name: o.name,
    ready: () => running && o.crash.failure() === undefined,
    failure: () => o.crash.failure(),
    async stop() {
      running = false;
      await o.consumer.close();
      await o.closeAfter?.();
    },
  };
}

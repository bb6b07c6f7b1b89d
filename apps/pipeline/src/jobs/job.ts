/** What every stream job shares: a name, readiness and a graceful stop. */
import type { BusMessage, ProduceRecord } from '@slo-scout/bus';
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

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

/** A dead-letter record for `message`: the original bytes, with the reason in the headers. */
export function toDeadLetter(
  job: string,
  message: BusMessage,
  error: { readonly code: string; readonly message: string },
): ProduceRecord {
  return {
    topic: TOPICS.deadLetter,
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

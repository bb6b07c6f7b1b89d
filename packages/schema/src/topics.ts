/** Kafka / embedded-bus topic names shared by collectors, stream jobs and the API. */
export const TOPICS = {
  /** Normalised `TelemetryEvent`s from the collectors, keyed by service. */
  rawTelemetry: 'raw-telemetry',
  /** Fingerprinted `CapsuleEvent`s, keyed by fingerprint_hash. */
  capsuleEvents: 'capsule-events',
  /** Closed `CapsuleWindow`s, keyed by fingerprint_hash. */
  capsuleWindows: 'capsule-windows',
  /** Embedding records for new fingerprints. */
  capsuleEmbeddings: 'capsule-embeddings',
  /** Input that could not be processed, with the reason in the headers. */
  deadLetter: 'dead-letter',
} as const;

/** One of the topic names in {@link TOPICS}. */
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** Schema-registry subject of a topic's values (Confluent TopicNameStrategy). */
export function toValueSubject(topic: TopicName): string {
  return `${topic}-value`;
}

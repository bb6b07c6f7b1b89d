import type { BusMessage, TopicPartitionOffset, TopicSpec } from './types.ts';

/** One atomic change to an embedded bus: new messages and committed offsets, applied together. */
export interface BusChange {
  readonly topics?: readonly TopicSpec[];
  readonly messages?: readonly BusMessage[];
  readonly offsets?: readonly {
    readonly groupId: string;
    readonly offsets: readonly TopicPartitionOffset[];
  }[];
  /**
   * Where partitions start: the offset of the first message retained, or the end offset when
   * none is. Only a compacted state ({@link BusPersistence.rewrite}) needs them, so a partition
   * whose messages were all consumed and trimmed keeps its offsets when the bus is reopened.
   */
  readonly starts?: readonly TopicPartitionOffset[];
}

/** What a persisted embedded bus holds when it is opened again. */
export interface BusState {
  readonly topics: readonly TopicSpec[];
  /** Retained messages of every partition, in offset order. */
  readonly messages: readonly BusMessage[];
  readonly offsets: readonly {
    readonly groupId: string;
    readonly offsets: readonly TopicPartitionOffset[];
  }[];
  /** See {@link BusChange.starts}; absent in states written before it existed. */
  readonly starts?: readonly TopicPartitionOffset[];
}

/**
 * Durable storage for an embedded bus. `append` must be atomic per change (a crash leaves a change
 * either wholly applied or absent), which is what makes a transaction exactly-once across restarts.
 */
export interface BusPersistence {
  load(): Promise<BusState | undefined>;
  append(change: BusChange): Promise<void>;
  /** Replaces everything stored with `state` (compaction). */
  rewrite(state: BusState): Promise<void>;
  close(): Promise<void>;
}

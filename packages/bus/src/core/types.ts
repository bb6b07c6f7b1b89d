/** Message headers: string values only (Kafka header bytes are decoded as UTF-8). */
export type Headers = Readonly<Record<string, string>>;

/** A record to publish. Records with the same key land in the same partition, in order. */
export interface ProduceRecord {
  readonly topic: string;
  readonly key?: string | null;
  readonly value: Uint8Array;
  readonly headers?: Headers;
  /** Epoch ms; defaults to the bus clock. */
  readonly timestamp?: number;
}

/** A consumed message. `offset` is the position within its partition. */
export interface BusMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: Uint8Array;
  readonly headers: Headers;
  readonly timestamp: number;
}

/** A committed position: the offset of the NEXT message to read. */
export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** A batch handed to a consumer's handler: messages of one partition, in offset order. */
export interface BusBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly BusMessage[];
  /** The offset to commit once every message in the batch is processed. */
  readonly nextOffset: number;
  /**
   * The partition's end offset when the batch was fetched: `nextOffset >= endOffset` means caught
   * up. On Kafka it is the high watermark, which also counts transaction markers.
   */
  readonly endOffset: number;
}

/** Produces outside a transaction (at-least-once; idempotent on the Kafka bus). */
export interface BusProducer {
  send(records: readonly ProduceRecord[]): Promise<void>;
  /** Begins a transaction: its records and offsets become visible together, or not at all. */
  transaction(): Promise<BusTransaction>;
  close(): Promise<void>;
}

/** A consume–transform–produce transaction. */
export interface BusTransaction {
  send(records: readonly ProduceRecord[]): Promise<void>;
  /** Commits the consumer group's offsets as part of this transaction. */
  sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Options of a consumer group member. */
export interface ConsumerOptions {
  readonly groupId: string;
  /** Where a group without a committed offset starts. Default `earliest`. */
  readonly fromBeginning?: boolean;
  /** Largest batch handed to the handler. Default 500. */
  readonly maxBatchSize?: number;
  /**
   * Told when the member stops on an error (its handler threw, or the broker failed it); its batch
   * in flight is redelivered. `restarting` is true when the bus rejoins the group by itself (the
   * Kafka bus does after errors it deems transient): the member goes on, nothing to do.
   */
  readonly onCrash?: (error: unknown, info: CrashInfo) => void;
}

/** What {@link ConsumerOptions.onCrash} is told besides the error. */
export interface CrashInfo {
  /** The bus restarts the member by itself. */
  readonly restarting: boolean;
}

/** Handles one batch; throwing stops the consumer (the batch is redelivered to the next owner). */
export type BatchHandler = (batch: BusBatch) => Promise<void>;

/** A member of a consumer group. Partitions are spread over the group's members. */
export interface BusConsumer {
  readonly groupId: string;
  subscribe(topics: readonly string[]): Promise<void>;
  /** Starts delivering batches; resolves once the consumer is running. */
  run(handler: BatchHandler): Promise<void>;
  /** Commits offsets outside a transaction (the next offset to read, per partition). */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /**
   * Moves this member's read position of an owned partition, e.g. back to the offset a sink
   * stored with its data. Messages of the current batch after the call are stale: stop handling it.
   */
  seek(position: TopicPartitionOffset): void;
  /** The partitions this member owns right now (empty before `run` and after `close`). */
  assignment(): readonly { readonly topic: string; readonly partition: number }[];
  /** Committed offsets of this group for a topic, by partition. */
  committed(topic: string): Promise<readonly TopicPartitionOffset[]>;
  /** Stops fetching, waits for the batch in flight, leaves the group. */
  close(): Promise<void>;
}

/** A topic to create. */
export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  /** Keep only the latest record of each key (Kafka `cleanup.policy=compact`). */
  readonly compacted?: boolean;
}

/** Per-partition consumer lag of a group. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly endOffset: number;
  readonly committedOffset: number;
  readonly lag: number;
}

/** The event bus: topics with keyed partitions, consumer groups and transactions. */
export interface Bus {
  /** Creates topics that do not exist yet (idempotent). */
  createTopics(topics: readonly TopicSpec[]): Promise<void>;
  producer(options?: { readonly transactionalId?: string }): Promise<BusProducer>;
  consumer(options: ConsumerOptions): Promise<BusConsumer>;
  /** Lag of a group on a topic: end offset minus committed offset, per partition. */
  lag(groupId: string, topic: string): Promise<readonly PartitionLag[]>;
  close(): Promise<void>;
}

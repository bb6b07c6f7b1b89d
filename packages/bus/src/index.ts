export { createEmbeddedBus } from './core/embedded-bus.ts';
export type { EmbeddedBusOptions, RetentionDrop } from './core/embedded-bus.ts';
export { BusError, toBusError } from './core/errors.ts';
export type { BusErrorCode } from './core/errors.ts';
export { murmur2, partitionForKey } from './core/partition-log-key.ts';
export type { BusChange, BusPersistence, BusState } from './core/persistence.ts';
export type {
  Headers,
  ProduceRecord,
  BusMessage,
  TopicPartitionOffset,
  BusBatch,
  BusProducer,
  BusTransaction,
  ConsumerOptions,
  CrashInfo,
  BatchHandler,
  BusConsumer,
  TopicSpec,
  PartitionLag,
  Bus,
} from './core/types.ts';

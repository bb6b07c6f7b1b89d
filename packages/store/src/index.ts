export { StoreError, toStoreError, ok, err } from './errors.ts';
export type { StoreErrorCode, Result } from './errors.ts';

export { createStore } from './store.ts';
export type { Store, StoreOptions } from './store.ts';

export { STORE_MIGRATIONS } from './db/migrations.ts';
export type { Migration, MigrationContext } from './db/migrations.ts';
export { migrate, checkMigrationList, migrationChecksum } from './db/migrate.ts';
export type { MigrationReport } from './db/migrate.ts';
export type { WindowLayout } from './db/partitions.ts';
export type {
  StoreDatabase,
  ServicesTable,
  CapsulesTable,
  CapsuleWindowsTable,
  JourneysTable,
  SlisTable,
  SloRecommendationsTable,
  ArtifactsTable,
  AuditLogTable,
  ApiKeysTable,
  ConsumerCheckpointsTable,
  StoreMigrationsTable,
} from './db/types.ts';

export {
  DEFAULT_RETENTION,
  resolveRetention,
  toRetentionCutoffs,
  selectExpiredPartitions,
} from './core/retention.ts';
export type { RetentionPolicy, RetentionCutoffs } from './core/retention.ts';
export { DAY_MS, toDayStart, toPartitionName, parsePartitionName } from './core/time.ts';
export type { Clock } from './core/time.ts';
export { toRawSampleKey, parseRawSampleKey } from './core/blob-key.ts';
export type { RawSampleKey } from './core/blob-key.ts';
export { runRetention } from './retention.ts';
export type { RetentionReport } from './retention.ts';

export { validateWindowStates } from './repositories/windows.ts';
export type {
  UpsertWindowsReport,
  UpsertWindowsOptions,
  StoredWindow,
  SeverityCounts,
  TopFingerprintsQuery,
  FingerprintSummary,
} from './repositories/windows.ts';
export { validateCapsuleEvents } from './repositories/capsules.ts';
export type { StoredCapsule } from './repositories/capsules.ts';
export { validateSpans } from './repositories/spans.ts';
export type { StoreStats } from './repositories/stats.ts';
export type { SpanInput } from './repositories/spans.ts';
export type { ServiceRecord } from './repositories/catalog.ts';
export type { Checkpoint } from './repositories/checkpoints.ts';
export type {
  AuditSubject,
  AuditEntry,
  StoredAuditEntry,
  AuditQuery,
  Recommendation,
  RecommendationEvidence,
  RecommendationStatus,
  ArtifactRecord,
} from './repositories/decisions.ts';

export type { ApiKeyScope, ApiKeyRecord, NewApiKey } from './repositories/api-keys.ts';

export type { BlobStore, BlobInfo } from './blob/types.ts';
export { writeRawSamples, readRawSamples } from './blob/samples.ts';
export type { WrittenSamples } from './blob/samples.ts';

/**
 * The Kysely view of the store's tables. Column names are the SQL names; time columns are
 * `timestamptz` read as `Date`, JSON columns are `jsonb`.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** `services`: every service the store has seen. */
export interface ServicesTable {
  name: string;
  display_name: string | null;
  owner: string | null;
  tier: string | null;
  attributes: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** `capsules`: one row per fingerprint and service. */
export interface CapsulesTable {
  fingerprint_hash: string;
  service: string;
  template: string;
  first_seen: Timestamp;
  last_seen: Timestamp;
  max_severity_number: number;
  severity_text: string | null;
  redacted_sample: string;
  redaction_applied: boolean;
  event_count: number;
}

/** `capsule_windows`: one row per `fingerprint_hash + service + time_bucket`. */
export interface CapsuleWindowsTable {
  fingerprint_hash: string;
  service: string;
  time_bucket: Timestamp;
  window_size_ms: number;
  template: string;
  count: number;
  sev_unspecified: number;
  sev_trace: number;
  sev_debug: number;
  sev_info: number;
  sev_warn: number;
  sev_error: number;
  sev_fatal: number;
  first_seen: Timestamp;
  last_seen: Timestamp;
  distinct_sources: number;
  reservoir_sample: Json<unknown[]>;
  sample_refs: Json<string[]>;
  state: Json<unknown>;
  revision: number;
}

/** `journeys`. */
export interface JourneysTable {
  id: string;
  entry_service: string;
  name: string;
  key: Json<unknown>;
  traffic_share: number;
  user_facing: boolean;
  critical: boolean;
  score: number;
  evidence: Json<unknown>;
  updated_at: Timestamp;
}

/** `slis`. */
export interface SlisTable {
  id: string;
  journey_id: string;
  kind: string;
  name: string;
  description: string;
  ratio: Json<unknown>;
  threshold_seconds: number | null;
  metric: string;
  updated_at: Timestamp;
}

/** `slo_recommendations`. */
export interface SloRecommendationsTable {
  id: string;
  sli_id: string;
  service: string;
  target: number;
  slo_window: string;
  confidence: number;
  rationale: string;
  evidence: Json<unknown>;
  status: string;
  created_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

/** `artifacts`. */
export interface ArtifactsTable {
  id: string;
  recommendation_id: string | null;
  kind: string;
  files: Json<unknown>;
  validation: Json<unknown>;
  policy_decision: string;
  created_at: Timestamp;
}

/** `audit_log`: append-only. */
export interface AuditLogTable {
  id: Generated<number>;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  at: Timestamp;
  details: Json<Record<string, unknown>>;
}

/** `api_keys`: API keys, stored as SHA-256 hashes only. */
export interface ApiKeysTable {
  id: string;
  name: string;
  scopes: string[];
  key_hash: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

/** `consumer_checkpoints`. */
export interface ConsumerCheckpointsTable {
  consumer_group: string;
  topic: string;
  partition: number;
  next_offset: number;
  updated_at: Timestamp;
}

/** `spans`: redacted entry-span facts for journey discovery, kept as long as raw samples. */
export interface SpansTable {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string | null;
  kind: string | null;
  start_time: Timestamp;
  duration_ms: number;
  status_code: string | null;
  attributes: Json<Record<string, string | number | boolean | null>>;
  redaction_applied: boolean;
}

/** `store_migrations`. */
export interface StoreMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

/** Every table, for `Kysely<StoreDatabase>`. */
export interface StoreDatabase {
  services: ServicesTable;
  capsules: CapsulesTable;
  capsule_windows: CapsuleWindowsTable;
  journeys: JourneysTable;
  slis: SlisTable;
  slo_recommendations: SloRecommendationsTable;
  artifacts: ArtifactsTable;
  audit_log: AuditLogTable;
  api_keys: ApiKeysTable;
  spans: SpansTable;
  consumer_checkpoints: ConsumerCheckpointsTable;
  store_migrations: StoreMigrationsTable;
}

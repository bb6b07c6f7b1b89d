/**
 * Forward-only migrations. Each is a list of SQL statements; `timescale` switches capsule_windows
 * from native range partitioning to a TimescaleDB hypertable when the extension is installed.
 * An applied migration is recorded with a checksum of its statements, so editing one after it ran
 * is detected instead of silently diverging.
 */

/** What a migration may depend on in the target database. */
export interface MigrationContext {
  /** TimescaleDB is installed in the database. */
  readonly timescale: boolean;
}

/** One forward-only migration. */
export interface Migration {
  /** Unique, sortable name, e.g. `0001_core`. */
  readonly name: string;
  /** The statements to run, in order, inside one transaction. */
  readonly statements: (ctx: MigrationContext) => readonly string[];
}

const core: Migration = {
  name: '0001_core',
  statements: () => [
    `create table services (
      name text collate "C" primary key check (length(name) > 0),
      display_name text,
      owner text,
      tier text,
      attributes jsonb not null default '{}'::jsonb,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`,
    `create table capsules (
      fingerprint_hash text collate "C" not null check (length(fingerprint_hash) > 0),
      service text collate "C" not null check (length(service) > 0),
      template text collate "C" not null,
      first_seen timestamptz not null,
      last_seen timestamptz not null,
      max_severity_number integer not null check (max_severity_number between 0 and 24),
      severity_text text,
      redacted_sample text not null,
      redaction_applied boolean not null constraint capsules_redaction_applied check (redaction_applied = true),
      event_count bigint not null check (event_count > 0),
      primary key (fingerprint_hash, service),
      check (first_seen <= last_seen)
    )`,
    'create index capsules_service_last_seen on capsules (service, last_seen)',
    `create table journeys (
      id text collate "C" primary key,
      entry_service text not null,
      name text not null,
      key jsonb not null,
      traffic_share double precision not null check (traffic_share between 0 and 1),
      user_facing boolean not null,
      critical boolean not null,
      score double precision not null,
      evidence jsonb not null,
      updated_at timestamptz not null
    )`,
    'create index journeys_entry_service on journeys (entry_service)',
    `create table slis (
      id text collate "C" primary key,
      journey_id text collate "C" not null references journeys (id) on delete cascade,
      kind text not null check (kind in ('availability', 'latency', 'rum', 'errors')),
      name text not null,
      description text not null,
      ratio jsonb not null,
      threshold_seconds double precision,
      metric text not null,
      updated_at timestamptz not null
    )`,
    'create index slis_journey on slis (journey_id)',
    `create table slo_recommendations (
      id text collate "C" primary key,
      sli_id text collate "C" not null references slis (id),
      service text not null,
      target double precision not null check (target > 0 and target < 1),
      slo_window text not null,
      confidence double precision not null check (confidence between 0 and 1),
      rationale text not null,
      evidence jsonb not null,
      status text not null check (status in ('proposed', 'approved', 'rejected', 'superseded')),
      created_at timestamptz not null,
      decided_at timestamptz,
      decided_by text
    )`,
    'create index slo_recommendations_service on slo_recommendations (service, created_at)',
    `create table artifacts (
      id text collate "C" primary key,
      recommendation_id text collate "C" references slo_recommendations (id),
      kind text not null,
      files jsonb not null,
      validation jsonb not null,
      policy_decision text not null check (policy_decision in ('allow', 'deny', 'review')),
      created_at timestamptz not null
    )`,
    `create table audit_log (
      id bigint generated always as identity primary key,
      actor text not null check (length(actor) > 0),
      action text not null check (length(action) > 0),
      subject_type text not null
        check (subject_type in ('recommendation', 'approval', 'artifact', 'pull_request', 'retention')),
      subject_id text not null,
      at timestamptz not null,
      details jsonb not null default '{}'::jsonb
    )`,
    'create index audit_log_subject on audit_log (subject_type, subject_id, id)',
    'create index audit_log_at on audit_log (at)',
    `create function audit_log_append_only() returns trigger language plpgsql as $$
     begin
       raise exception 'audit_log is append-only: % is not allowed', tg_op;
     end $$`,
    `create trigger audit_log_append_only before update or delete on audit_log
       for each row execute function audit_log_append_only()`,
    `create table consumer_checkpoints (
      consumer_group text collate "C" not null,
      topic text collate "C" not null,
      partition integer not null check (partition >= 0),
      next_offset bigint not null check (next_offset >= 0),
      updated_at timestamptz not null,
      primary key (consumer_group, topic, partition)
    )`,
  ],
};

const windows: Migration = {
  name: '0002_capsule_windows',
  statements: (ctx) => [
    `create table capsule_windows (
      fingerprint_hash text collate "C" not null check (length(fingerprint_hash) > 0),
      service text collate "C" not null check (length(service) > 0),
      time_bucket timestamptz not null,
      window_size_ms bigint not null check (window_size_ms > 0),
      template text collate "C" not null,
      count bigint not null check (count > 0),
      sev_unspecified bigint not null, sev_trace bigint not null, sev_debug bigint not null,
      sev_info bigint not null, sev_warn bigint not null, sev_error bigint not null,
      sev_fatal bigint not null,
      first_seen timestamptz not null,
      last_seen timestamptz not null,
      distinct_sources integer not null check (distinct_sources >= 0),
      reservoir_sample jsonb not null,
      sample_refs jsonb not null default '[]'::jsonb,
      state jsonb not null,
      revision integer not null default 0,
      primary key (fingerprint_hash, service, time_bucket),
      check (sev_unspecified + sev_trace + sev_debug + sev_info + sev_warn + sev_error + sev_fatal = count),
      check (first_seen <= last_seen)
    )${ctx.timescale ? '' : ' partition by range (time_bucket)'}`,
    ...(ctx.timescale
      ? [
          "select create_hypertable('capsule_windows', 'time_bucket', chunk_time_interval => interval '1 day')",
        ]
      : []),
    'create index capsule_windows_service_time on capsule_windows (service, time_bucket)',
  ],
};

const apiKeys: Migration = {
  name: '0003_api_keys',
  statements: () => [
    `create table api_keys (
      id text collate "C" primary key check (length(id) > 0),
      name text collate "C" not null check (length(name) > 0),
      scopes text[] not null
        check (cardinality(scopes) > 0 and scopes <@ array['read', 'write', 'admin']::text[]),
      key_hash text collate "C" not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
      created_at timestamptz not null,
      revoked_at timestamptz,
      check (revoked_at is null or revoked_at >= created_at)
    )`,
    // The audit actor is `key:<name>`, so a name names one live key at a time.
    'create unique index api_keys_active_name on api_keys (name) where revoked_at is null',
    `alter table audit_log drop constraint audit_log_subject_type_check`,
    `alter table audit_log add constraint audit_log_subject_type_check
      check (subject_type in ('recommendation', 'approval', 'artifact', 'pull_request', 'retention',
        'api_key', 'analysis'))`,
  ],
};

const spans: Migration = {
  name: '0004_spans',
  statements: () => [
    // Entry-span facts for journey discovery: only redacted names and journey attributes.
    `create table spans (
      trace_id text collate "C" not null check (length(trace_id) > 0),
      span_id text collate "C" not null check (length(span_id) > 0),
      parent_span_id text collate "C",
      service text collate "C" not null check (length(service) > 0),
      name text,
      kind text collate "C",
      start_time timestamptz not null,
      duration_ms double precision not null check (duration_ms >= 0),
      status_code text collate "C",
      attributes jsonb not null,
      redaction_applied boolean not null check (redaction_applied),
      primary key (trace_id, span_id)
    )`,
    'create index spans_start_time on spans (start_time)',
  ],
};

const windowTimeIndex: Migration = {
  name: '0005_capsule_windows_time',
  // The first and last window overall (what the API reports and evidence ranges start from)
  // without scanning every row.
  statements: () => ['create index capsule_windows_time on capsule_windows (time_bucket)'],
};

/** The store's migrations, in the order they run. */
export const STORE_MIGRATIONS: readonly Migration[] = [
  core,
  windows,
  apiKeys,
  spans,
  windowTimeIndex,
];

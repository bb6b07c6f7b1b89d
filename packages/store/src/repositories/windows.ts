/**
 * Capsule windows: batch upserts that merge with the aggregator's `mergeWindows` under row locks
 * (exact for replays and corrections, concurrency-safe), optional consumer checkpoints committed
 * in the same transaction, and the top-fingerprint query the API needs.
 */
import {
  distinctSources,
  mergeWindows,
  parseWindowState,
  WINDOW_STATE_FORMAT,
  type Random,
  type SampleEntry,
  type WindowState,
} from '@slo-scout/aggregator';
import { sql, type Kysely, type Transaction } from 'kysely';
import { MAX_TIME_MS, MIN_TIME_MS } from '../core/time.ts';
import { err, invalid, ok, StoreError, type Result } from '../errors.ts';
import { ensurePartitions, type WindowLayout } from '../db/partitions.ts';
import type { StoreDatabase } from '../db/types.ts';
import {
  lockCheckpoints,
  validateCheckpoints,
  writeCheckpoints,
  type Checkpoint,
} from './checkpoints.ts';

/** What an upsert batch did. */
export interface UpsertWindowsReport {
  /** False when the checkpoints show the batch was already applied (nothing written). */
  readonly applied: boolean;
  readonly inserted: number;
  readonly merged: number;
}

/** Options of `upsertWindows`. */
export interface UpsertWindowsOptions {
  /** Consumer offsets to commit atomically with the windows (exactly-once from a bus). */
  readonly checkpoints?: readonly Checkpoint[];
}

/** A stored window, as the API reads it. */
export interface StoredWindow {
  readonly fingerprintHash: string;
  readonly service: string;
  readonly timeBucketMs: number;
  readonly windowSizeMs: number;
  readonly template: string;
  readonly count: number;
  readonly severity: SeverityCounts;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  readonly distinctSources: number;
  readonly reservoirSample: readonly SampleEntry[];
  readonly sampleRefs: readonly string[];
}

/** Counts by severity range. */
export interface SeverityCounts {
  readonly unspecified: number;
  readonly trace: number;
  readonly debug: number;
  readonly info: number;
  readonly warn: number;
  readonly error: number;
  readonly fatal: number;
}

/** A query over a service and a half-open time range `[fromMs, toMs)` of window buckets. */
export interface TopFingerprintsQuery {
  readonly service: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** `count`: most events first. `severity`: most fatal, then error, then warn, then count. */
  readonly orderBy?: 'count' | 'severity';
  /** Default 20, at most 1000. */
  readonly limit?: number;
}

/** One row of the top-fingerprints answer. */
export interface FingerprintSummary {
  readonly fingerprintHash: string;
  readonly template: string;
  readonly count: number;
  readonly severity: SeverityCounts;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  readonly windows: number;
}

interface WindowRow {
  fingerprint_hash: string;
  service: string;
  time_bucket_ms: number;
  window_size_ms: number;
  template: string;
  count: number;
  sev: number[];
  first_seen_ms: number;
  last_seen_ms: number;
  distinct_sources: number;
  reservoir_sample: SampleEntry[];
  state: WindowState;
}

const keyOf = (s: { fingerprint_hash: string; service: string; time_bucket_ms: number }): string =>
  `${s.fingerprint_hash}\u0000${s.service}\u0000${s.time_bucket_ms}`;

function toRow(s: WindowState): WindowRow {
  const d = s.severity_distribution;
  return {
    fingerprint_hash: s.fingerprint_hash,
    service: s.service,
    time_bucket_ms: s.time_bucket_ms,
    window_size_ms: s.window_size_ms,
    template: s.template,
    count: s.count,
    sev: [d.unspecified, d.trace, d.debug, d.info, d.warn, d.error, d.fatal],
    first_seen_ms: s.first_seen_ms,
    last_seen_ms: s.last_seen_ms,
    distinct_sources: distinctSources(s),
    reservoir_sample: s.reservoir_sample,
    state: s,
  };
}

/** Validates a batch; the error names the index and the field. */
export function validateWindowStates(input: readonly unknown[]): Result<WindowState[]> {
  if (!Array.isArray(input)) return invalid('windows', 'must be an array');
  const out: WindowState[] = [];
  for (const [i, value] of input.entries()) {
    const parsed = parseWindowState(value);
    if (!parsed.ok) {
      const path = `windows[${i}].${parsed.error.path ?? '$'}`;
      return err(
        new StoreError('INVALID_INPUT', `malformed window windows[${i}]: ${parsed.error.message}`, {
          path,
          cause: parsed.error,
        }),
      );
    }
    const s = parsed.value;
    if (s.fingerprint_hash.length === 0)
      return invalid(`windows[${i}].fingerprint_hash`, 'is empty');
    if (s.service.length === 0) return invalid(`windows[${i}].service`, 'is empty');
    if (s.time_bucket_ms < MIN_TIME_MS || s.time_bucket_ms + s.window_size_ms > MAX_TIME_MS) {
      return invalid(`windows[${i}].time_bucket_ms`, `${s.time_bucket_ms} is outside 1970..9999`);
    }
    out.push(s);
  }
  return ok(out);
}

function combine(states: WindowState[], random: Random): Result<WindowState[]> {
  const byKey = new Map<string, WindowState>();
  for (const s of states) {
    const k = keyOf(s);
    const previous = byKey.get(k);
    if (previous === undefined) {
      byKey.set(k, s);
      continue;
    }
    const merged = mergeWindows(previous, s, random);
    if (!merged.ok)
      return err(new StoreError('WINDOW_CONFLICT', merged.error.message, { cause: merged.error }));
    byKey.set(k, merged.value);
  }
  // One global order for every writer, so concurrent batches lock rows in the same order.
  return ok(
    [...byKey.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0)),
  );
}

const RECORD =
  sql.raw(`r(ord int, fingerprint_hash text, service text, time_bucket_ms bigint, window_size_ms bigint,
  template text, count bigint, sev bigint[], first_seen_ms bigint, last_seen_ms bigint,
  distinct_sources int, reservoir_sample jsonb, state jsonb)`);
const ts = (column: string) =>
  sql.raw(`timestamptz 'epoch' + r.${column} * interval '1 millisecond'`);

function payload(rows: WindowRow[]): string {
  return JSON.stringify(rows.map((row, ord) => ({ ord, ...row })));
}

async function insertOrLock(tx: Transaction<StoreDatabase>, rows: WindowRow[]) {
  return sql<{
    fingerprint_hash: string;
    service: string;
    time_bucket: Date;
    revision: number;
    /** Only of rows that were stored already (to merge with); null for inserted ones. */
    state: WindowState | null;
  }>`
    insert into capsule_windows as w (fingerprint_hash, service, time_bucket, window_size_ms, template, count,
      sev_unspecified, sev_trace, sev_debug, sev_info, sev_warn, sev_error, sev_fatal,
      first_seen, last_seen, distinct_sources, reservoir_sample, state)
    select r.fingerprint_hash, r.service, ${ts('time_bucket_ms')}, r.window_size_ms, r.template, r.count,
      r.sev[1], r.sev[2], r.sev[3], r.sev[4], r.sev[5], r.sev[6], r.sev[7],
      ${ts('first_seen_ms')}, ${ts('last_seen_ms')}, r.distinct_sources, r.reservoir_sample, r.state
    from jsonb_to_recordset(${payload(rows)}::jsonb) as ${RECORD}
    order by r.ord
    on conflict (fingerprint_hash, service, time_bucket) do update set revision = w.revision + 1
      where w.window_size_ms = excluded.window_size_ms
    returning w.fingerprint_hash, w.service, w.time_bucket, w.revision,
      case when w.revision > 0 then w.state end as state`.execute(tx);
}

async function overwrite(tx: Transaction<StoreDatabase>, rows: WindowRow[]): Promise<void> {
  await sql`
    update capsule_windows as w set template = r.template, count = r.count,
      sev_unspecified = r.sev[1], sev_trace = r.sev[2], sev_debug = r.sev[3], sev_info = r.sev[4],
      sev_warn = r.sev[5], sev_error = r.sev[6], sev_fatal = r.sev[7],
      first_seen = ${ts('first_seen_ms')}, last_seen = ${ts('last_seen_ms')},
      distinct_sources = r.distinct_sources, reservoir_sample = r.reservoir_sample, state = r.state
    from jsonb_to_recordset(${payload(rows)}::jsonb) as ${RECORD}
    where w.fingerprint_hash = r.fingerprint_hash and w.service = r.service
      and w.time_bucket = ${ts('time_bucket_ms')}`.execute(tx);
}

class Rollback extends Error {
  constructor(readonly error: StoreError) {
    super(error.message);
  }
}

/** Dependencies of the windows repository. */
export interface WindowsDeps {
  readonly db: Kysely<StoreDatabase>;
  readonly random: Random;
  readonly layout: () => Promise<WindowLayout>;
  readonly partitions: Set<number>;
}

/** Validates, merges duplicates, creates partitions, then upserts and merges in one transaction. */
export async function upsertWindows(
  deps: WindowsDeps,
  input: readonly unknown[],
  options: UpsertWindowsOptions = {},
): Promise<Result<UpsertWindowsReport>> {
  const valid = validateWindowStates(input);
  if (!valid.ok) return valid;
  const cps = validateCheckpoints(options.checkpoints ?? []);
  if (!cps.ok) return cps;
  const combined = combine(valid.value, deps.random);
  if (!combined.ok) return combined;
  const states = combined.value;
  if ((await deps.layout()) === 'partitioned') {
    await ensurePartitions(
      deps.db,
      states.map((s) => s.time_bucket_ms),
      deps.partitions,
    );
  }
  try {
    return ok(
      await deps.db.transaction().execute(async (tx) => {
        const checkpoints = options.checkpoints ?? [];
        if (checkpoints.length > 0 && !(await lockCheckpoints(tx, checkpoints))) {
          return { applied: false, inserted: 0, merged: 0 };
        }
        if (states.length === 0) {
          await writeCheckpoints(tx, checkpoints);
          return { applied: true, inserted: 0, merged: 0 };
        }
        const services = [...new Set(states.map((s) => s.service))].sort();
        await sql`insert into services (name, created_at, updated_at)
          select name, now(), now() from unnest(${services}::text[]) as name order by name
          on conflict (name) do nothing`.execute(tx);
        const rows = states.map(toRow);
        const byKey = new Map(states.map((s) => [keyOf(s), s]));
        const result = await insertOrLock(tx, rows);
        type Stored = { format?: unknown };
        if (result.rows.length !== rows.length) {
          const seen = new Set(
            result.rows.map((r) => keyOf({ ...r, time_bucket_ms: r.time_bucket.getTime() })),
          );
          const bad = states.find((s) => !seen.has(keyOf(s)))!;
          throw new Rollback(
            new StoreError(
              'WINDOW_CONFLICT',
              `window ${bad.fingerprint_hash}/${bad.service}@${bad.time_bucket_ms} is stored with another window_size_ms than ${bad.window_size_ms}`,
            ),
          );
        }
        const updates: WindowRow[] = [];
        for (const row of result.rows) {
          if (row.revision === 0 || row.state === null) continue;
          const incoming = byKey.get(keyOf({ ...row, time_bucket_ms: row.time_bucket.getTime() }))!;
          // Stored states were validated on the way in; retention may have emptied their samples,
          // which the merge handles (it draws from the other side), so they are not re-parsed.
          if ((row.state as Stored).format !== WINDOW_STATE_FORMAT)
            throw new Rollback(
              new StoreError(
                'QUERY_FAILED',
                `stored window state has format ${JSON.stringify((row.state as Stored).format)}`,
              ),
            );
          const merged = mergeWindows(row.state, incoming, deps.random);
          if (!merged.ok)
            throw new Rollback(
              new StoreError('WINDOW_CONFLICT', merged.error.message, { cause: merged.error }),
            );
          updates.push(toRow(merged.value));
        }
        if (updates.length > 0) await overwrite(tx, updates);
        await writeCheckpoints(tx, checkpoints);
        return { applied: true, inserted: rows.length - updates.length, merged: updates.length };
      }),
    );
  } catch (cause) {
    if (cause instanceof Rollback) return err(cause.error);
    throw cause;
  }
}

const SEVERITY_ORDER = sql.raw(
  'sum(sev_fatal) desc, sum(sev_error) desc, sum(sev_warn) desc, sum(count) desc, fingerprint_hash',
);

function checkRange(q: { service: string; fromMs: number; toMs: number }): Result<true> {
  if (typeof q.service !== 'string' || q.service.length === 0)
    return invalid('service', 'is required');
  if (!Number.isSafeInteger(q.fromMs) || !Number.isSafeInteger(q.toMs) || q.fromMs > q.toMs) {
    return invalid('fromMs', `[${String(q.fromMs)}, ${String(q.toMs)}) is not a valid time range`);
  }
  return ok(true);
}

/** The most frequent (or most severe) fingerprints of a service in a time range. */
export async function topFingerprints(
  db: Kysely<StoreDatabase>,
  q: TopFingerprintsQuery,
): Promise<Result<FingerprintSummary[]>> {
  const range = checkRange(q);
  if (!range.ok) return range;
  const limit = q.limit ?? 20;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000)
    return invalid('limit', 'must be 1..1000');
  const order =
    q.orderBy === 'severity' ? SEVERITY_ORDER : sql.raw('sum(count) desc, fingerprint_hash');
  const { rows } = await sql<{
    fingerprint_hash: string;
    template: string;
    count: number;
    windows: number;
    s0: number;
    s1: number;
    s2: number;
    s3: number;
    s4: number;
    s5: number;
    s6: number;
    first_seen: Date;
    last_seen: Date;
  }>`select fingerprint_hash, min(template) as template, sum(count)::bigint as count, count(*)::bigint as windows,
      sum(sev_unspecified)::bigint as s0, sum(sev_trace)::bigint as s1, sum(sev_debug)::bigint as s2,
      sum(sev_info)::bigint as s3, sum(sev_warn)::bigint as s4, sum(sev_error)::bigint as s5,
      sum(sev_fatal)::bigint as s6, min(first_seen) as first_seen, max(last_seen) as last_seen
    from capsule_windows
    where service = ${q.service} and time_bucket >= ${new Date(q.fromMs)} and time_bucket < ${new Date(q.toMs)}
    group by fingerprint_hash order by ${order} limit ${limit}`.execute(db);
  return ok(
    rows.map((r) => ({
      fingerprintHash: r.fingerprint_hash,
      template: r.template,
      count: r.count,
      severity: {
        unspecified: r.s0,
        trace: r.s1,
        debug: r.s2,
        info: r.s3,
        warn: r.s4,
        error: r.s5,
        fatal: r.s6,
      },
      firstSeenMs: r.first_seen.getTime(),
      lastSeenMs: r.last_seen.getTime(),
      windows: r.windows,
    })),
  );
}

/** A service's windows in a time range, optionally of one fingerprint, oldest first. */
export async function listWindows(
  db: Kysely<StoreDatabase>,
  q: { service: string; fromMs: number; toMs: number; fingerprintHash?: string },
): Promise<Result<StoredWindow[]>> {
  const range = checkRange(q);
  if (!range.ok) return range;
  let query = db
    .selectFrom('capsule_windows')
    .selectAll()
    .where('service', '=', q.service)
    .where('time_bucket', '>=', new Date(q.fromMs))
    .where('time_bucket', '<', new Date(q.toMs));
  if (q.fingerprintHash !== undefined)
    query = query.where('fingerprint_hash', '=', q.fingerprintHash);
  const rows = await query.orderBy('time_bucket').orderBy('fingerprint_hash').execute();
  return ok(
    rows.map((r) => ({
      fingerprintHash: r.fingerprint_hash,
      service: r.service,
      timeBucketMs: r.time_bucket.getTime(),
      windowSizeMs: r.window_size_ms,
      template: r.template,
      count: r.count,
      severity: {
        unspecified: r.sev_unspecified,
        trace: r.sev_trace,
        debug: r.sev_debug,
        info: r.sev_info,
        warn: r.sev_warn,
        error: r.sev_error,
        fatal: r.sev_fatal,
      },
      firstSeenMs: r.first_seen.getTime(),
      lastSeenMs: r.last_seen.getTime(),
      distinctSources: r.distinct_sources,
      reservoirSample: r.reservoir_sample as SampleEntry[],
      sampleRefs: r.sample_refs,
    })),
  );
}

/** Adds blob keys of raw samples to a window's `sample_refs` (a set; re-adding is a no-op). */
export async function addSampleRefs(
  db: Kysely<StoreDatabase>,
  key: { fingerprintHash: string; service: string; timeBucketMs: number },
  refs: readonly string[],
): Promise<Result<number>> {
  if (!refs.every((r) => typeof r === 'string' && r.length > 0))
    return invalid('refs', 'must be non-empty strings');
  const res = await sql`update capsule_windows set sample_refs = (
      select coalesce(jsonb_agg(distinct v order by v), '[]'::jsonb)
      from jsonb_array_elements_text(sample_refs || ${JSON.stringify(refs)}::jsonb) as v)
    where fingerprint_hash = ${key.fingerprintHash} and service = ${key.service}
      and time_bucket = ${new Date(key.timeBucketMs)}`.execute(db);
  const n = Number(res.numAffectedRows ?? 0n);
  if (n === 0)
    return err(
      new StoreError(
        'NOT_FOUND',
        `no window ${key.fingerprintHash}/${key.service}@${key.timeBucketMs}`,
      ),
    );
  return ok(n);
}

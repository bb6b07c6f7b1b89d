/** `createStore`: every repository over one Kysely database (PGlite or PostgreSQL). */
import type { Journey, Sli, CapsuleEvent, TelemetryEvent } from '@slo-scout/schema';
import { createRandom, type Random } from '@slo-scout/aggregator';
import type { Kysely } from 'kysely';
import { resolveRetention, type RetentionPolicy } from './core/retention.ts';
import type { Clock } from './core/time.ts';
import { StoreError, type Result } from './errors.ts';
import { migrate, type MigrationReport } from './db/migrate.ts';
import { detectLayout, listPartitions, type WindowLayout } from './db/partitions.ts';
import type { StoreDatabase } from './db/types.ts';
import type { BlobStore } from './blob/types.ts';
import { runRetention, type RetentionReport } from './retention.ts';
import * as windows from './repositories/windows.ts';
import * as capsules from './repositories/capsules.ts';
import * as catalog from './repositories/catalog.ts';
import * as checkpoints from './repositories/checkpoints.ts';
import * as spans from './repositories/spans.ts';
import * as stats from './repositories/stats.ts';
import * as decisions from './repositories/decisions.ts';
import * as apiKeys from './repositories/api-keys.ts';

/** Options of {@link createStore}. */
export interface StoreOptions {
  /** Time source for retention and timestamps. Default: the system clock. */
  readonly clock?: Clock;
  /** Randomness for reservoir merges. Default: `createRandom(0x5eed)` from the aggregator. */
  readonly random?: Random;
  /** Retention in days; defaults 7 / 90 / 365. */
  readonly retention?: Partial<RetentionPolicy>;
  /** Raw-sample blob store the retention job also cleans. */
  readonly blobs?: BlobStore;
}

/** The store: typed repositories over one database. */
export interface Store {
  readonly db: Kysely<StoreDatabase>;
  readonly retention: RetentionPolicy;
  /** Runs pending migrations (idempotent, safe from several processes). */
  migrate(): Promise<MigrationReport>;
  /** How `capsule_windows` is split by time here. */
  layout(): Promise<WindowLayout>;
  upsertWindows(
    states: readonly unknown[],
    options?: windows.UpsertWindowsOptions,
  ): Promise<Result<windows.UpsertWindowsReport>>;
  listWindows(q: {
    service: string;
    fromMs: number;
    toMs: number;
    fingerprintHash?: string;
  }): Promise<Result<windows.StoredWindow[]>>;
  topFingerprints(q: windows.TopFingerprintsQuery): Promise<Result<windows.FingerprintSummary[]>>;
  addSampleRefs(
    key: { fingerprintHash: string; service: string; timeBucketMs: number },
    refs: readonly string[],
  ): Promise<Result<number>>;
  upsertCapsules(events: readonly CapsuleEvent[]): Promise<Result<{ capsules: number }>>;
  getCapsules(fingerprints: readonly string[], service?: string): Promise<capsules.StoredCapsule[]>;
  /** Counts and the time range of the windows, without full scans on large tables. */
  stats(): Promise<stats.StoreStats>;
  /** Start of the first window and end of the last one (two index probes), or `null`. */
  windowRange(): Promise<{ fromMs: number; toMs: number } | null>;
  /** Stores redacted spans for journey discovery (idempotent by trace and span id). */
  upsertSpans(input: readonly spans.SpanInput[]): Promise<Result<{ inserted: number }>>;
  /** Spans that started in `[fromMs, toMs)`, oldest first. */
  listSpans(q: { fromMs: number; toMs: number }): Promise<TelemetryEvent[]>;
  upsertService(s: catalog.ServiceRecord): Promise<Result<catalog.ServiceRecord>>;
  listServices(): Promise<catalog.ServiceRecord[]>;
  saveJourneys(journeys: readonly Journey[]): Promise<Result<number>>;
  listJourneys(service?: string): Promise<Journey[]>;
  saveSlis(slis: readonly Sli[]): Promise<Result<number>>;
  listSlis(journeyId: string): Promise<Sli[]>;
  saveRecommendation(
    r: Omit<decisions.Recommendation, 'status' | 'decidedAtMs' | 'decidedBy' | 'createdAtMs'>,
    actor: string,
  ): Promise<Result<decisions.Recommendation>>;
  decideRecommendation(
    id: string,
    d: { status: 'approved' | 'rejected'; actor: string; comment?: string },
  ): Promise<Result<decisions.Recommendation>>;
  getRecommendation(id: string): Promise<decisions.Recommendation | undefined>;
  listRecommendations(q?: {
    service?: string;
    status?: decisions.RecommendationStatus;
  }): Promise<decisions.Recommendation[]>;
  saveArtifact(
    a: Omit<decisions.ArtifactRecord, 'createdAtMs'>,
    actor: string,
  ): Promise<Result<decisions.ArtifactRecord>>;
  getArtifact(id: string): Promise<decisions.ArtifactRecord | undefined>;
  recordPullRequest(pr: {
    artifactId: string;
    url: string;
    actor: string;
  }): Promise<Result<number>>;
  appendAudit(e: Omit<decisions.AuditEntry, 'atMs'>): Promise<Result<number>>;
  queryAudit(q?: decisions.AuditQuery): Promise<Result<decisions.StoredAuditEntry[]>>;
  /** Saves a new API key (its hash only) with an audit entry; `CONFLICT` on a taken id/name/hash. */
  createApiKey(k: apiKeys.NewApiKey, actor: string): Promise<Result<apiKeys.ApiKeyRecord>>;
  /** Every API key, live and revoked, without hashes. */
  listApiKeys(): Promise<apiKeys.ApiKeyRecord[]>;
  /** The key with this SHA-256 hex hash (live or revoked), or `undefined`. */
  findApiKeyByHash(keyHash: string): Promise<apiKeys.ApiKeyRecord | undefined>;
  /** Revokes a live key with an audit entry; `NOT_FOUND` when unknown or already revoked. */
  revokeApiKey(id: string, actor: string): Promise<Result<apiKeys.ApiKeyRecord>>;
  readCheckpoints(group: string, topic: string): Promise<Map<number, number>>;
  commitCheckpoints(cps: readonly checkpoints.Checkpoint[]): Promise<Result<{ applied: boolean }>>;
  /** Applies retention at the clock's time and reports what it removed (also audited). */
  runRetention(): Promise<RetentionReport>;
  /** Closes the database. */
  close(): Promise<void>;
}

const systemClock: Clock = { now: () => Date.now() };

/** Builds the store over a Kysely database from `./pglite` or `./postgres`. */
export function createStore(db: Kysely<StoreDatabase>, options: StoreOptions = {}): Store {
  const clock = options.clock ?? systemClock;
  if (typeof clock.now !== 'function')
    throw new StoreError('INVALID_OPTIONS', 'clock.now must be a function', { path: 'clock' });
  const random = options.random ?? createRandom(0x5eed);
  const retention = resolveRetention(options.retention);
  let layoutCache: Promise<WindowLayout> | undefined;
  const layout = (): Promise<WindowLayout> => (layoutCache ??= detectLayout(db));
  const partitions = new Set<number>();
  const deps = { db, random, layout, partitions };
  return {
    db,
    retention,
    async migrate() {
      const report = await migrate(db);
      layoutCache = undefined;
      partitions.clear();
      for (const day of await listPartitions(db)) partitions.add(day);
      return report;
    },
    layout,
    upsertWindows: (states, opts) => windows.upsertWindows(deps, states, opts),
    listWindows: (q) => windows.listWindows(db, q),
    topFingerprints: (q) => windows.topFingerprints(db, q),
    addSampleRefs: (key, refs) => windows.addSampleRefs(db, key, refs),
    upsertCapsules: (events) => capsules.upsertCapsules(db, events),
    getCapsules: (fps, service) => capsules.getCapsules(db, fps, service),
    stats: () => stats.storeStats(db),
    windowRange: () => stats.windowRange(db),
    upsertSpans: (input) => spans.upsertSpans(db, input),
    listSpans: (q) => spans.listSpans(db, q),
    upsertService: (s) => catalog.upsertService(db, s, clock.now()),
    listServices: () => catalog.listServices(db),
    saveJourneys: (js) => catalog.saveJourneys(db, js, clock.now()),
    listJourneys: (service) => catalog.listJourneys(db, service),
    saveSlis: (slis) => catalog.saveSlis(db, slis, clock.now()),
    listSlis: (journeyId) => catalog.listSlis(db, journeyId),
    saveRecommendation: (r, actor) =>
      decisions.saveRecommendation(db, { ...r, createdAtMs: clock.now() }, actor),
    decideRecommendation: (id, d) =>
      decisions.decideRecommendation(db, id, { ...d, atMs: clock.now() }),
    getRecommendation: (id) => decisions.getRecommendation(db, id),
    listRecommendations: (q) => decisions.listRecommendations(db, q),
    saveArtifact: (a, actor) =>
      decisions.saveArtifact(db, { ...a, createdAtMs: clock.now() }, actor),
    getArtifact: (id) => decisions.getArtifact(db, id),
    recordPullRequest: (pr) => decisions.recordPullRequest(db, { ...pr, atMs: clock.now() }),
    appendAudit: (e) => decisions.appendAudit(db, { ...e, atMs: clock.now() }),
    queryAudit: (q) => decisions.queryAudit(db, q),
    createApiKey: (k, actor) => apiKeys.createApiKey(db, { ...k, atMs: clock.now() }, actor),
    listApiKeys: () => apiKeys.listApiKeys(db),
    findApiKeyByHash: (hash) => apiKeys.findApiKeyByHash(db, hash),
    revokeApiKey: (id, actor) => apiKeys.revokeApiKey(db, id, { actor, atMs: clock.now() }),
    readCheckpoints: (group, topic) => checkpoints.readCheckpoints(db, group, topic),
    commitCheckpoints: (cps) => checkpoints.commitCheckpoints(db, cps),
    async runRetention() {
      const nowMs = clock.now();
      const report = await runRetention(db, retention, { nowMs, blobs: options.blobs });
      for (const day of report.droppedPartitions) partitions.delete(day);
      await decisions.appendAudit(db, {
        actor: 'system:retention',
        action: 'applied',
        subjectType: 'retention',
        subjectId: new Date(nowMs).toISOString(),
        atMs: nowMs,
        details: { ...report },
      });
      return report;
    },
    close: () => db.destroy(),
  };
}

/**
 * One test suite for every dialect: the PGlite unit tests and the PostgreSQL integration tests
 * both call {@link defineStoreSuite}, so the same migrations and queries are proven on both.
 */
import { mergeWindows, createRandom } from '@slo-scout/aggregator';
import { createTelemetryEvent, type CapsuleEvent, type Journey, type Sli } from '@slo-scout/schema';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStore,
  DAY_MS,
  STORE_MIGRATIONS,
  migrate,
  type Migration,
  type Store,
  type StoreDatabase,
} from '../src/index.ts';
import { makeEvents, toStates } from './fixtures.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 10);

/** A database factory: a fresh, empty database each call, and how to dispose of it. */
export interface DatabaseFactory {
  open(): Promise<{ db: Kysely<StoreDatabase>; dispose: () => Promise<void> }>;
  /** Whether two connections really run at once (PostgreSQL) or are serialised (PGlite). */
  readonly concurrent: boolean;
}

function capsule(over: Partial<CapsuleEvent> = {}): CapsuleEvent {
  return {
    fingerprint_hash: 'fp-cap',
    template: 'disk <*> full',
    service: 'svc-cap',
    severity_number: 17,
    severity_text: 'ERROR',
    event_time_ms: T0,
    redacted_sample: 'disk <PATH> full',
    redaction_applied: true,
    source_event_id: 'e1',
    source_kind: 'log',
    parameters: [],
    trace_id: null,
    source: null,
    ...over,
  };
}

/** Registers the shared suite under `name`. */
export function defineStoreSuite(name: string, factory: DatabaseFactory): void {
  describe(`store on ${name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let now = T0 + 2 * DAY_MS;
    beforeAll(async () => {
      const opened = await factory.open();
      dispose = () => opened.dispose();
      store = createStore(opened.db, { clock: { now: () => now }, random: createRandom(3) });
      const first = await store.migrate();
      expect(first.applied).toEqual(STORE_MIGRATIONS.map((m) => m.name));
    }, 60_000);
    afterAll(async () => {
      await dispose();
    });

    it('migrations run once, and a second run skips them all', async () => {
      const again = await store.migrate();
      expect(again.applied).toEqual([]);
      expect(again.skipped).toEqual(STORE_MIGRATIONS.map((m) => m.name));
      expect(await store.layout()).toBe(again.timescale ? 'hypertable' : 'partitioned');
    });

    it('rejects a duplicate migration and an edited one, naming them', async () => {
      const dup = [...STORE_MIGRATIONS, STORE_MIGRATIONS[1]!];
      await expect(migrate(store.db, dup)).rejects.toMatchObject({
        code: 'DUPLICATE_MIGRATION',
        message: expect.stringContaining('0002_capsule_windows'),
      });
      const edited: Migration[] = [
        { name: '0001_core', statements: () => ['select 1'] },
        ...STORE_MIGRATIONS.slice(1),
      ];
      await expect(migrate(store.db, edited)).rejects.toMatchObject({
        code: 'MIGRATION_CHANGED',
        message: expect.stringContaining('0001_core'),
      });
      await expect(migrate(store.db, [STORE_MIGRATIONS[0]!])).rejects.toMatchObject({
        code: 'UNKNOWN_MIGRATION',
      });
    });

    it('merges partial windows exactly and ignores a replay', async () => {
      const events = makeEvents({
        fingerprint: 'fp-merge',
        service: 'svc-merge',
        startMs: T0,
        n: 300,
        idPrefix: 'm',
        spreadMs: 3 * HOUR,
      });
      const whole = toStates(events);
      const a = toStates(
        events.filter((_, i) => i % 3 !== 0),
        5,
      );
      const b = toStates(
        events.filter((_, i) => i % 3 === 0),
        6,
      );
      const r1 = await store.upsertWindows(a);
      expect(r1).toMatchObject({ ok: true, value: { applied: true, inserted: 3, merged: 0 } });
      const r2 = await store.upsertWindows(b);
      expect(r2).toMatchObject({ ok: true, value: { inserted: 0, merged: 3 } });
      await store.upsertWindows(a); // a replay: every id is known, nothing changes
      const stored = await store.listWindows({
        service: 'svc-merge',
        fromMs: T0,
        toMs: T0 + DAY_MS,
      });
      if (!stored.ok) throw stored.error;
      expect(
        stored.value.map((w) => [
          w.timeBucketMs,
          w.count,
          w.severity,
          w.firstSeenMs,
          w.lastSeenMs,
          w.distinctSources,
        ]),
      ).toEqual(
        whole.map((w) => [
          w.time_bucket_ms,
          w.count,
          w.severity_distribution,
          w.first_seen_ms,
          w.last_seen_ms,
          5,
        ]),
      );
      for (const w of stored.value) {
        expect(w.reservoirSample).toHaveLength(10);
        const ids = new Set(events.map((e) => e.source_event_id));
        for (const s of w.reservoirSample) expect(ids.has(s.event_id)).toBe(true);
      }
    });

    it('two writers upserting the same window keys at once end with exact totals', async () => {
      const events = makeEvents({
        fingerprint: 'fp-conc',
        service: 'svc-conc',
        startMs: T0,
        n: 4000,
        idPrefix: 'c',
        spreadMs: 4 * HOUR,
      });
      // 20 rounds; in each, both writers send disjoint slices of the same four windows.
      const rounds = 20;
      const slices = Array.from({ length: rounds * 2 }, (_, k) =>
        toStates(
          events.filter((_, i) => i % (rounds * 2) === k),
          k,
        ),
      );
      const writer = async (parity: number) => {
        for (let r = 0; r < rounds; r++) {
          const res = await store.upsertWindows(slices[r * 2 + parity]!);
          if (!res.ok) throw res.error;
        }
      };
      await Promise.all([writer(0), writer(1)]);
      const stored = await store.listWindows({
        service: 'svc-conc',
        fromMs: T0,
        toMs: T0 + DAY_MS,
      });
      if (!stored.ok) throw stored.error;
      const whole = toStates(events);
      expect(stored.value.map((w) => [w.count, w.severity])).toEqual(
        whole.map((w) => [w.count, w.severity_distribution]),
      );
      expect(stored.value.reduce((n, w) => n + w.count, 0)).toBe(4000);
    });

    it('rejects a malformed window with an error naming the field', async () => {
      const [good] = toStates(
        makeEvents({ fingerprint: 'fp-bad', service: 'svc-bad', startMs: T0, n: 3, idPrefix: 'b' }),
      );
      const bad = { ...good!, count: 99 };
      const res = await store.upsertWindows([good, bad]);
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.error.code).toBe('INVALID_INPUT');
      expect(res.error.path).toMatch(/^windows\[1\]\.count/);
      expect(res.error.message).toContain('windows[1]');
      expect((await store.upsertWindows([{ nope: true }])).ok).toBe(false);
      const none = await store.listWindows({ service: 'svc-bad', fromMs: 0, toMs: T0 + DAY_MS });
      expect(none.ok && none.value).toEqual([]); // nothing of the batch was written
    });

    it('rejects a window whose size differs from the stored one', async () => {
      const [w] = toStates(
        makeEvents({
          fingerprint: 'fp-size',
          service: 'svc-size',
          startMs: T0,
          n: 4,
          idPrefix: 's',
        }),
      );
      expect((await store.upsertWindows([w!])).ok).toBe(true);
      const [other] = toStates(
        makeEvents({
          fingerprint: 'fp-size',
          service: 'svc-size',
          startMs: T0,
          n: 2,
          idPrefix: 's2',
        }),
        1,
        2 * HOUR,
      );
      const res = await store.upsertWindows([other!]);
      expect(res.ok ? 'ok' : res.error.message).toMatch(/another window_size_ms/);
    });

    it('commits checkpoints with the windows and skips a redelivered batch', async () => {
      const states = toStates(
        makeEvents({ fingerprint: 'fp-cp', service: 'svc-cp', startMs: T0, n: 50, idPrefix: 'k' }),
      );
      const cp = [{ group: 'agg', topic: 'capsule-events', partition: 2, nextOffset: 50 }];
      expect(await store.upsertWindows(states, { checkpoints: cp })).toMatchObject({
        ok: true,
        value: { applied: true },
      });
      // Same batch again with different (fresh) ids: the checkpoint, not the ids, must stop it.
      const again = toStates(
        makeEvents({ fingerprint: 'fp-cp', service: 'svc-cp', startMs: T0, n: 50, idPrefix: 'k2' }),
      );
      expect(await store.upsertWindows(again, { checkpoints: cp })).toMatchObject({
        ok: true,
        value: { applied: false },
      });
      expect(await store.readCheckpoints('agg', 'capsule-events')).toEqual(new Map([[2, 50]]));
      const w = await store.listWindows({ service: 'svc-cp', fromMs: T0, toMs: T0 + DAY_MS });
      expect(w.ok && w.value.reduce((n, x) => n + x.count, 0)).toBe(50);
      expect(await store.commitCheckpoints([{ ...cp[0]!, nextOffset: 60 }])).toMatchObject({
        ok: true,
        value: { applied: true },
      });
      expect((await store.commitCheckpoints([{ ...cp[0]!, nextOffset: -1 }])).ok).toBe(false);
    });

    it('refuses a window batch whose expected start offset is not the stored one (CAS)', async () => {
      const states = toStates(
        makeEvents({
          fingerprint: 'fp-cas',
          service: 'svc-cas',
          startMs: T0,
          n: 10,
          idPrefix: 'c',
        }),
      );
      const base = { group: 'agg', topic: 'capsule-events', partition: 5 };
      // Worker A applies [0, 10).
      expect(
        await store.upsertWindows(states, {
          checkpoints: [{ ...base, nextOffset: 10, expectedOffset: 0 }],
        }),
      ).toMatchObject({ ok: true, value: { applied: true } });
      // Worker B also started at 0 and read further: its [0, 15) must not be applied on top.
      const b = toStates(
        makeEvents({
          fingerprint: 'fp-cas',
          service: 'svc-cas',
          startMs: T0,
          n: 15,
          idPrefix: 'd',
        }),
      );
      expect(
        await store.upsertWindows(b, {
          checkpoints: [{ ...base, nextOffset: 15, expectedOffset: 0 }],
        }),
      ).toMatchObject({ ok: true, value: { applied: false } });
      const w = await store.listWindows({ service: 'svc-cas', fromMs: T0, toMs: T0 + DAY_MS });
      expect(w.ok && w.value.reduce((n, x) => n + x.count, 0)).toBe(10);
      // Continuing from the stored offset applies.
      expect(
        await store.upsertWindows(b.slice(0, 1), {
          checkpoints: [{ ...base, nextOffset: 15, expectedOffset: 10 }],
        }),
      ).toMatchObject({ ok: true, value: { applied: true } });
    });

    it('ranks fingerprints by count and by severity for a service and time range', async () => {
      const mk = (fp: string, n: number, sev: number, prefix: string) =>
        makeEvents({ fingerprint: fp, service: 'svc-top', startMs: T0, n, idPrefix: prefix }).map(
          (e) => ({ ...e, severity_number: sev }),
        );
      await store.upsertWindows(
        toStates([
          ...mk('fp-many-info', 40, 9, 'a'),
          ...mk('fp-few-fatal', 3, 21, 'b'),
          ...mk('fp-some-error', 10, 17, 'c'),
        ]),
      );
      const later = mk('fp-later', 500, 9, 'd').map((e) => ({
        ...e,
        event_time_ms: e.event_time_ms + DAY_MS,
      }));
      await store.upsertWindows(toStates(later));
      const byCount = await store.topFingerprints({
        service: 'svc-top',
        fromMs: T0,
        toMs: T0 + DAY_MS,
      });
      expect(byCount.ok && byCount.value.map((f) => [f.fingerprintHash, f.count])).toEqual([
        ['fp-many-info', 40],
        ['fp-some-error', 10],
        ['fp-few-fatal', 3],
      ]);
      const bySev = await store.topFingerprints({
        service: 'svc-top',
        fromMs: T0,
        toMs: T0 + DAY_MS,
        orderBy: 'severity',
        limit: 2,
      });
      expect(bySev.ok && bySev.value.map((f) => f.fingerprintHash)).toEqual([
        'fp-few-fatal',
        'fp-some-error',
      ]);
      expect(bySev.ok && bySev.value[0]!.severity.fatal).toBe(3);
      expect(await store.topFingerprints({ service: '', fromMs: 0, toMs: 1 })).toMatchObject({
        ok: false,
        error: { path: 'service' },
      });
    });

    it('refuses a capsule without redaction, in code and by the CHECK constraint', async () => {
      const res = await store.upsertCapsules([
        capsule(),
        capsule({ redaction_applied: false, fingerprint_hash: 'fp-raw' }),
      ]);
      expect(res).toMatchObject({
        ok: false,
        error: { code: 'REDACTION_REQUIRED', path: 'capsules[1].redaction_applied' },
      });
      expect(!res.ok && res.error.message).toContain('fp-raw');
      await expect(
        sql`insert into capsules values ('fp-x', 's', 't', now(), now(), 0, null, 'x', false, 1)`.execute(
          store.db,
        ),
      ).rejects.toThrow(/capsules_redaction_applied/);
      expect(
        await store.upsertCapsules([
          capsule(),
          capsule({ event_time_ms: T0 + 5, severity_number: 21, severity_text: 'FATAL' }),
        ]),
      ).toMatchObject({ ok: true });
      expect(await store.upsertCapsules([capsule({ event_time_ms: T0 - 5 })])).toMatchObject({
        ok: true,
      });
      const [c] = await store.getCapsules(['fp-cap']);
      expect(c).toMatchObject({
        eventCount: 3,
        firstSeenMs: T0 - 5,
        lastSeenMs: T0 + 5,
        maxSeverityNumber: 21,
        severityText: 'FATAL',
      });
    });

    it('stores journeys, SLIs, recommendations with evidence, artifacts, and audits each step', async () => {
      const journey: Journey = {
        id: 'j-checkout',
        name: 'POST /api/checkout',
        key: { type: 'http', service: 'shop', method: 'POST', route: '/api/checkout' },
        entryService: 'shop',
        trafficShare: 0.2,
        userFacing: true,
        critical: true,
        score: 9,
        evidence: { traceCount: 100, errorCount: 2, exampleTraceIds: ['t1'], services: ['shop'] },
      };
      const sli: Sli = {
        id: 'sli-1',
        journeyId: 'j-checkout',
        kind: 'availability',
        name: 'checkout-availability',
        description: 'd',
        ratio: {
          bad: 'sum(rate(x{code=~"5.."}[{{.window}}]))',
          total: 'sum(rate(x[{{.window}}]))',
        },
        metric: 'x',
      };
      expect(await store.saveJourneys([journey])).toEqual({ ok: true, value: 1 });
      expect(await store.listJourneys('shop')).toEqual([journey]);
      expect(await store.saveSlis([{ ...sli, journeyId: 'nope' }])).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      expect(await store.saveSlis([sli])).toEqual({ ok: true, value: 1 });
      expect(await store.listSlis('j-checkout')).toEqual([sli]);
      const evidence = {
        fingerprints: ['fp-cap'],
        sampleRefs: ['raw/shop/2025-01-10/00/ab.jsonl.gz'],
        facts: { p99: 0.4 },
      };
      const rec = await store.saveRecommendation(
        {
          id: 'r-1',
          sliId: 'sli-1',
          service: 'shop',
          target: 0.999,
          window: '28d',
          confidence: 0.8,
          rationale: 'baseline 99.95%',
          evidence,
        },
        'bot',
      );
      expect(rec.ok).toBe(true);
      expect(
        await store.saveRecommendation(
          {
            id: 'r-2',
            sliId: 'sli-1',
            service: 'shop',
            target: 1.5,
            window: '28d',
            confidence: 0.8,
            rationale: 'x',
            evidence,
          },
          'bot',
        ),
      ).toMatchObject({ ok: false, error: { path: 'recommendation.target' } });
      now += 1000;
      expect(
        await store.decideRecommendation('r-1', { status: 'approved', actor: 'alice' }),
      ).toMatchObject({ ok: true, value: { status: 'approved', decidedBy: 'alice', evidence } });
      expect(
        await store.decideRecommendation('r-1', { status: 'rejected', actor: 'bob' }),
      ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(
        await store.saveArtifact(
          {
            id: 'a-1',
            recommendationId: 'r-1',
            kind: 'prometheus-rules',
            files: [{ path: 'rules.yaml', content: 'groups: []' }],
            validation: { promtool: 'ok' },
            policyDecision: 'allow',
          },
          'bot',
        ),
      ).toMatchObject({ ok: true });
      expect(
        await store.recordPullRequest({
          artifactId: 'a-1',
          url: 'https://git.example/pr/1',
          actor: 'bot',
        }),
      ).toMatchObject({ ok: true });
      const audit = await store.queryAudit({ subjectId: 'r-1' });
      expect(audit.ok && audit.value.map((e) => [e.subjectType, e.action, e.actor])).toEqual([
        ['recommendation', 'proposed', 'bot'],
        ['approval', 'approved', 'alice'],
      ]);
      const all = await store.queryAudit({ afterId: 0 });
      expect(all.ok && all.value.map((e) => e.subjectType)).toEqual([
        'recommendation',
        'approval',
        'artifact',
        'pull_request',
      ]);
      expect(
        await store.appendAudit({
          actor: '',
          action: 'x',
          subjectType: 'artifact',
          subjectId: 'a',
          details: {},
        }),
      ).toMatchObject({ ok: false, error: { path: 'entry.actor' } });
      await expect(sql`update audit_log set actor = 'mallory'`.execute(store.db)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`delete from audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
      expect((await store.listServices()).map((s) => s.name)).toContain('svc-merge');
    });

    it('retention drops whole partitions, clears old samples and capsules, by a controllable clock', async () => {
      const service = 'svc-ret';
      const days = [0, 5, 10, 400];
      for (const d of days) {
        const start = Date.UTC(2024, 0, 1) + d * DAY_MS;
        await store.upsertWindows(
          toStates(
            makeEvents({
              fingerprint: `fp-ret-${d}`,
              service,
              startMs: start,
              n: 5,
              idPrefix: `r${d}`,
            }),
          ),
        );
        await store.upsertCapsules([
          capsule({ fingerprint_hash: `fp-ret-${d}`, service, event_time_ms: start }),
        ]);
      }
      const all = () => store.listWindows({ service, fromMs: 0, toMs: Date.UTC(2030, 0, 1) });
      expect((await all()).ok).toBe(true);
      // "Now" is 2025-01-07 12:00: the days 2024-01-01 and 2024-01-06 ended > 365 days ago, 2024-01-11 did not.
      now = Date.UTC(2024, 0, 1) + 372 * DAY_MS + 12 * HOUR;
      const report = await store.runRetention();
      const layout = await store.layout();
      if (layout === 'partitioned') {
        expect(report.droppedPartitions).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 6)]);
      }
      const left = await all();
      if (!left.ok) throw left.error;
      expect(left.value.map((w) => w.fingerprintHash)).toEqual(['fp-ret-10', 'fp-ret-400']);
      expect(left.value[0]!.reservoirSample).toEqual([]); // day 10 is older than 7 days
      expect(left.value[1]!.reservoirSample).toHaveLength(5); // day 400 is 28 days in the future
      expect(report.capsulesDeleted).toBeGreaterThanOrEqual(3);
      expect(
        (await store.getCapsules(['fp-ret-0', 'fp-ret-10', 'fp-ret-400'])).map(
          (c) => c.fingerprintHash,
        ),
      ).toEqual(['fp-ret-400']);
      // A late replay into a sample-expired window still merges exactly.
      const late = toStates(
        makeEvents({
          fingerprint: 'fp-ret-10',
          service,
          startMs: Date.UTC(2024, 0, 11),
          n: 8,
          idPrefix: 'late',
        }),
      );
      expect((await store.upsertWindows(late)).ok).toBe(true);
      const after = await store.listWindows({ service, fromMs: 0, toMs: Date.UTC(2024, 1, 1) });
      expect(after.ok && after.value.map((w) => w.count)).toEqual([13]);
      const again = await store.runRetention();
      expect(again.droppedPartitions).toEqual([]);
      const audit = await store.queryAudit({ subjectType: 'retention' });
      expect(audit.ok && audit.value.length).toBe(2);
    });

    it('merges within a batch with the aggregator merge before writing', async () => {
      const events = makeEvents({
        fingerprint: 'fp-dup',
        service: 'svc-dup',
        startMs: T0,
        n: 60,
        idPrefix: 'd',
      });
      const [x] = toStates(events.slice(0, 30));
      const [y] = toStates(events.slice(20), 9);
      const expected = mergeWindows(x!, y!, createRandom(1));
      if (!expected.ok) throw expected.error;
      expect(await store.upsertWindows([x, y])).toMatchObject({
        ok: true,
        value: { inserted: 1, merged: 0 },
      });
      const w = await store.listWindows({ service: 'svc-dup', fromMs: T0, toMs: T0 + DAY_MS });
      expect(w.ok && w.value.map((v) => v.count)).toEqual([expected.value.count]);
      expect(expected.value.count).toBe(60);
    });

    it('stores API keys as hashes, finds them by hash, revokes them, and audits both', async () => {
      const hash = (c: string) => c.repeat(64);
      const created = await store.createApiKey(
        { id: 'k-1', name: 'ci', scopes: ['write', 'read', 'write'], keyHash: hash('a') },
        'system:bootstrap',
      );
      expect(created).toEqual({
        ok: true,
        value: {
          id: 'k-1',
          name: 'ci',
          scopes: ['write', 'read'],
          createdAtMs: now,
          revokedAtMs: null,
        },
      });
      expect(await store.findApiKeyByHash(hash('a'))).toMatchObject({ id: 'k-1', name: 'ci' });
      expect(await store.findApiKeyByHash(hash('b'))).toBeUndefined();
      expect(await store.findApiKeyByHash('not-hex')).toBeUndefined();
      // A live name, a taken id and a registered hash are conflicts; bad input names its field.
      for (const [k, path] of [
        [{ id: 'k-2', name: 'ci', scopes: ['read'], keyHash: hash('b') }, 'name'],
        [{ id: 'k-1', name: 'other', scopes: ['read'], keyHash: hash('c') }, 'id'],
        [{ id: 'k-3', name: 'other', scopes: ['read'], keyHash: hash('a') }, 'name'],
      ] as const) {
        expect(await store.createApiKey(k, 'x')).toMatchObject({
          ok: false,
          error: { code: 'CONFLICT', path },
        });
      }
      expect(
        await store.createApiKey(
          { id: 'k-4', name: 'x', scopes: ['root' as 'read'], keyHash: hash('d') },
          'x',
        ),
      ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', path: 'scopes[0]' } });
      expect(
        await store.createApiKey({ id: 'k-4', name: 'x', scopes: [], keyHash: hash('d') }, 'x'),
      ).toMatchObject({ ok: false, error: { path: 'scopes' } });
      expect(
        await store.createApiKey({ id: 'k-4', name: 'x', scopes: ['read'], keyHash: 'ABC' }, 'x'),
      ).toMatchObject({ ok: false, error: { path: 'keyHash' } });
      // The CHECK constraint holds even for SQL that bypasses the repository.
      await expect(
        sql`insert into api_keys (id, name, scopes, key_hash, created_at)
          values ('k-9', 'y', array['root'], ${hash('e')}, now())`.execute(store.db),
      ).rejects.toThrow();
      now += 5000;
      const revoked = await store.revokeApiKey('k-1', 'key:admin');
      expect(revoked).toMatchObject({ ok: true, value: { id: 'k-1', revokedAtMs: now } });
      expect(await store.revokeApiKey('k-1', 'key:admin')).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      expect(await store.findApiKeyByHash(hash('a'))).toMatchObject({ revokedAtMs: now });
      // Once revoked, the name is free again.
      expect(
        await store.createApiKey(
          { id: 'k-5', name: 'ci', scopes: ['admin'], keyHash: hash('f') },
          'x',
        ),
      ).toMatchObject({ ok: true });
      expect((await store.listApiKeys()).map((k) => [k.id, k.revokedAtMs !== null])).toEqual([
        ['k-1', true],
        ['k-5', false],
      ]);
      const audit = await store.queryAudit({ subjectType: 'api_key' });
      expect(audit.ok && audit.value.map((e) => [e.subjectId, e.action, e.actor])).toEqual([
        ['k-1', 'created', 'system:bootstrap'],
        ['k-1', 'revoked', 'key:admin'],
        ['k-5', 'created', 'x'],
      ]);
      expect(
        await store.appendAudit({
          actor: 'key:ci',
          action: 'analyzed',
          subjectType: 'analysis',
          subjectId: '1-2',
          details: {},
        }),
      ).toMatchObject({ ok: true });
    });

    it('keeps redacted spans once per trace and span id, reads them back by time, expires them with raw data', async () => {
      const base = now - 3 * DAY_MS;
      const span = (i: number, at: number) =>
        createTelemetryEvent({
          event_id: `e${i}`,
          kind: 'trace',
          service: i % 2 === 0 ? 'checkout' : 'payment',
          event_time_ms: at,
          trace_id: `t${Math.floor(i / 2)}`,
          span_id: `s${i}`,
          parent_span_id: i % 2 === 0 ? null : `s${i - 1}`,
          span_name: 'POST /checkout',
          span_kind: 'SERVER',
          status_code: i === 3 ? 'ERROR' : 'OK',
          duration_ms: 10 + i,
          attributes: {
            'http.route': '/checkout',
            'http.response.status_code': i === 3 ? 503 : 200,
          },
        });
      const spans = Array.from({ length: 6 }, (_, i) => span(i, base + i * 1000));
      const first = await store.upsertSpans(
        spans.map((s) => ({ span: s, redactionApplied: true })),
      );
      expect(first).toEqual({ ok: true, value: { inserted: 6 } });
      const replay = await store.upsertSpans(
        spans.map((s) => ({ span: s, redactionApplied: true })),
      );
      expect(replay).toEqual({ ok: true, value: { inserted: 0 } });
      const read = await store.listSpans({ fromMs: base + 1000, toMs: base + 4000 });
      expect(read.map((e) => e.span_id)).toEqual(['s1', 's2', 's3']);
      expect(read[2]).toMatchObject({
        trace_id: 't1',
        parent_span_id: 's2',
        service: 'payment',
        status_code: 'ERROR',
        duration_ms: 13,
        event_time_ms: base + 3000,
        attributes: { 'http.route': '/checkout', 'http.response.status_code': 503 },
      });
      const raw = await store.upsertSpans([{ span: span(9, base), redactionApplied: false }]);
      expect(raw).toMatchObject({
        ok: false,
        error: { code: 'REDACTION_REQUIRED', path: 'spans[0].redactionApplied' },
      });
      const log = createTelemetryEvent({
        event_id: 'l',
        kind: 'log',
        service: 'x',
        event_time_ms: base,
      });
      expect(await store.upsertSpans([{ span: log, redactionApplied: true }])).toMatchObject({
        ok: false,
        error: { path: 'spans[0].span.kind' },
      });
      await expect(
        sql`insert into spans values ('t', 's', null, 'svc', null, null, now(), 1, null, '{}', false)`.execute(
          store.db,
        ),
      ).rejects.toThrow(/spans_redaction_applied/);
      const old = span(20, now - 8 * DAY_MS);
      await store.upsertSpans([{ span: old, redactionApplied: true }]);
      const report = await store.runRetention();
      expect(report.spansDeleted).toBe(1);
      const figures = await store.stats();
      expect(figures).toMatchObject({ spans: 6, windowsEstimated: false });
      const windows = await sql<{ n: string; first: Date; last: Date; size: number }>`
        select count(*) as n, min(time_bucket) as first, max(time_bucket) as last,
          max(window_size_ms) as size from capsule_windows`.execute(store.db);
      const w = windows.rows[0]!;
      expect(figures.windows).toBe(Number(w.n));
      expect(figures.windowRange).toEqual({
        fromMs: new Date(w.first).getTime(),
        toMs: new Date(w.last).getTime() + w.size,
      });
      expect(await store.windowRange()).toEqual(figures.windowRange);
      expect(await store.listSpans({ fromMs: 0, toMs: now })).toHaveLength(6);
    });
  });
}

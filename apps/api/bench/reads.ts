/**
 * p95 latency of the API's read routes with 1M capsule windows in PGlite, through the whole
 * Fastify stack (`inject`: routing, bearer-key lookup, rate limit, handler, engine, store).
 * Journeys and recommendations come from the real engine over the synthetic shop; the windows are
 * seeded with bulk SQL (INSERT … SELECT generate_series) over the shop's services and day.
 * Run: `npm run bench -w apps/api` (env WINDOWS=… to change the count). Prints a Markdown table.
 */
import { performance } from 'node:perf_hooks';
import { createMemoryTelemetrySource, createScout } from '@slo-scout/engine';
import { createSyntheticShop } from '@slo-scout/slo';
import { createStore, toPartitionName, DAY_MS } from '@slo-scout/store';
import { createPgliteDatabase } from '@slo-scout/store/pglite';
import { sql } from 'kysely';
import { createApiServer, ensureAdminKey } from '../src/index.ts';

const H = 3_600_000;
const START = Date.UTC(2026, 10, 20);
const NOW = START + 25 * H;
const TARGET = Number(process.env['WINDOWS'] ?? 1_000_000);
const RUNS = Number(process.env['RUNS'] ?? 200);
const WARMUP = 5;
/** A route stops after this long (with at least MIN_RUNS samples), so slow routes finish. */
const BUDGET_MS = Number(process.env['BUDGET_MS'] ?? 60_000);
const MIN_RUNS = 20;
const BUCKETS = 1440; // one-minute windows over the day

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const t0 = performance.now();
  const { db } = await createPgliteDatabase();
  const store = createStore(db, { clock: { now: () => NOW } });
  await store.migrate();
  const shop = createSyntheticShop({
    seed: 11,
    startMs: START,
    durationMs: 24 * H,
    sessions: 1500,
    incidents: [
      { startMs: START + 14 * H, endMs: START + 15 * H, service: 'payment', errorRate: 0.6 },
    ],
  });
  const scout = createScout({
    store,
    telemetry: createMemoryTelemetrySource(shop.events),
    maxJourneys: 5,
    now: () => NOW,
  });
  const range = { fromMs: START, toMs: START + 24 * H };
  const analyzed = await scout.analyze({ range, actor: 'bench' });
  if (!analyzed.ok) throw analyzed.error;
  const recommended = await scout.recommend({ range, actor: 'bench' });
  if (!recommended.ok) throw recommended.error;

  const services = [...new Set(shop.events.map((e) => e.service))].sort();
  const perService = Math.ceil(TARGET / (BUCKETS * services.length));
  for (let day = START; day < START + DAY_MS; day += DAY_MS) {
    await sql
      .raw(
        `create table if not exists ${toPartitionName(day)} partition of capsule_windows for values from ('${new Date(day).toISOString()}') to ('${new Date(day + DAY_MS).toISOString()}')`,
      )
      .execute(db);
  }
  const seedStart = performance.now();
  for (const service of services) {
    // Fingerprint j of a service: counts vary by bucket; every 10th one carries errors.
    await sql`insert into capsule_windows (fingerprint_hash, service, time_bucket, window_size_ms, template, count,
        sev_unspecified, sev_trace, sev_debug, sev_info, sev_warn, sev_error, sev_fatal,
        first_seen, last_seen, distinct_sources, reservoir_sample, sample_refs, state, revision)
      select 'fp-' || md5(${service} || j), ${service}, ts, 60000, 'event ' || j || ' at <*> took <*> ms', c,
        0, 0, 0, c - e, 0, e, 0, ts, ts + interval '59 seconds', 1, '[]'::jsonb, '[]'::jsonb, '{}'::jsonb, 0
      from generate_series(0, ${BUCKETS - 1}) as b(k)
      cross join generate_series(1, ${perService}) as f(j)
      cross join lateral (select ${new Date(START)}::timestamptz + k * interval '1 minute' as ts,
        ((j * 7 + k) % 50) + 1 as c) x
      cross join lateral (select case when j % 10 = 0 then least(c, (j + k) % 5) else 0 end as e) y`.execute(
      db,
    );
    await sql`insert into capsules (fingerprint_hash, service, template, first_seen, last_seen, max_severity_number,
        severity_text, redacted_sample, redaction_applied, event_count)
      select 'fp-' || md5(${service} || j), ${service}, 'event ' || j || ' at <*> took <*> ms',
        ${new Date(START)}, ${new Date(START + DAY_MS - 1)}, case when j % 10 = 0 then 17 else 9 end,
        null, 'event ' || j || ' at <PATH> took 12 ms', true, 1000
      from generate_series(1, ${perService}) as f(j)`.execute(db);
  }
  await sql`analyze`.execute(db);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from capsule_windows`.execute(
    db,
  );
  const windows = rows[0]?.n ?? 0;
  const seedMs = performance.now() - seedStart;

  const app = createApiServer({
    scout,
    store,
    now: () => NOW,
    rateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
  });
  const { key } = await ensureAdminKey(store);
  const headers = { authorization: `Bearer ${key!}` };
  const journeyId = analyzed.value.journeys[0]!.id;
  const routes: [string, () => Promise<number>][] = [
    [
      'GET /api/v1/journeys',
      async () => (await app.inject({ url: '/api/v1/journeys', headers })).statusCode,
    ],
    [
      'GET /api/v1/journeys/:id (evidence from top fingerprints over all windows)',
      async () =>
        (await app.inject({ url: `/api/v1/journeys/${encodeURIComponent(journeyId)}`, headers }))
          .statusCode,
    ],
    [
      'GET /api/v1/recommendations',
      async () => (await app.inject({ url: '/api/v1/recommendations', headers })).statusCode,
    ],
    [
      'GET /api/v1/status',
      async () => (await app.inject({ url: '/api/v1/status', headers })).statusCode,
    ],
    [
      'store.topFingerprints (one service, 24 h, by severity)',
      async () => {
        const r = await store.topFingerprints({
          service: 'payment',
          ...range,
          orderBy: 'severity',
          limit: 10,
        });
        return r.ok ? 200 : 500;
      },
    ],
  ];
  const lines = [
    `${windows.toLocaleString('en-US')} capsule windows (${services.length} services × ${BUCKETS} one-minute buckets × ${perService} fingerprints), seeded in ${(seedMs / 1000).toFixed(1)} s; ${analyzed.value.journeys.length} journeys, ${recommended.value.length} recommendations; PGlite in memory, Node ${process.version}, up to ${RUNS} sequential requests per route (at least ${MIN_RUNS}, at most ${BUDGET_MS / 1000} s) after ${WARMUP} warm-up.`,
    '',
    '| route | requests | p50 ms | p95 ms | p99 ms | max ms | p95 < 200 ms |',
    '|---|---:|---:|---:|---:|---:|:---:|',
  ];
  for (const [name, run] of routes) {
    for (let i = 0; i < WARMUP; i++) await run();
    const times: number[] = [];
    const began = performance.now();
    for (let i = 0; i < RUNS && (i < MIN_RUNS || performance.now() - began < BUDGET_MS); i++) {
      const s = performance.now();
      const status = await run();
      times.push(performance.now() - s);
      if (status !== 200) throw new Error(`${name} answered ${status}`);
    }
    times.sort((a, b) => a - b);
    const p95 = quantile(times, 0.95);
    lines.push(
      `| ${name} | ${times.length} | ${quantile(times, 0.5).toFixed(1)} | ${p95.toFixed(1)} | ${quantile(times, 0.99).toFixed(1)} | ${times[times.length - 1]!.toFixed(1)} | ${p95 < 200 ? 'yes' : 'no'} |`,
    );
  }
  console.log(lines.join('\n'));
  console.log(`\n(total ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  await app.close();
  await store.close();
}

await main();

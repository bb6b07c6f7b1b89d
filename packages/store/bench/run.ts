/**
 * Window upserts per second in batches of 500, on PGlite (in-process) and, when the service
 * script started it, on PostgreSQL 15. Prints a Markdown table.
 * Run: `npm run bench -w packages/store` (start PostgreSQL first: `bash scripts/services/postgres.sh up`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createAggregator,
  createRandom,
  isWindowOutput,
  type AggregatorEvent,
  type WindowState,
} from '@slo-scout/aggregator';
import pg from 'pg';
import { createStore } from '../src/index.ts';
import { createPgliteDatabase } from '../src/adapters/pglite/index.ts';
import { createPostgresDatabase } from '../src/adapters/postgres/index.ts';
import type { Kysely } from 'kysely';
import type { StoreDatabase } from '../src/index.ts';

const BATCH = 500;
const BATCHES = 20;
const T0 = Date.UTC(2025, 0, 10);

/** 10,000 window states: 2,500 fingerprints x 4 hourly buckets, 8 events each. */
function states(prefix: string): WindowState[] {
  const agg = createAggregator({ random: createRandom(1) });
  const events: AggregatorEvent[] = [];
  for (let h = 0; h < 4; h++) {
    for (let f = 0; f < (BATCH * BATCHES) / 4; f++) {
      for (let e = 0; e < 8; e++) {
        events.push({
          fingerprint_hash: `fp-${f}`,
          template: 't <*>',
          service: `svc-${f % 10}`,
          severity_number: 9 + (e % 4) * 4,
          event_time_ms: T0 + h * 3_600_000 + e * 1000,
          redacted_sample: `sample ${e}`,
          source_event_id: `${prefix}-${h}-${f}-${e}`,
          source: null,
        });
      }
    }
  }
  for (const e of events.sort((a, b) => a.event_time_ms - b.event_time_ms)) agg.add(e);
  agg.flush();
  return agg
    .drain()
    .filter(isWindowOutput)
    .map((o) => o.state);
}

async function measure(db: Kysely<StoreDatabase>): Promise<{ insert: number; merge: number }> {
  const store = createStore(db);
  await store.migrate();
  const run = async (all: WindowState[]) => {
    const start = performance.now();
    for (let i = 0; i < all.length; i += BATCH) {
      const r = await store.upsertWindows(all.slice(i, i + BATCH));
      if (!r.ok) throw r.error;
    }
    return all.length / ((performance.now() - start) / 1000);
  };
  const insert = await run(states('a'));
  const merge = await run(states('b')); // same keys again, new events: every row merges
  await store.close();
  return { insert, merge };
}

function repoRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'nx.json'))) dir = join(dir, '..');
  return dir;
}

const rows: string[] = [];
const lite = await createPgliteDatabase();
const l = await measure(lite.db);
rows.push(
  `| PGlite 0.5 (in-process, in-memory) | ${l.insert.toFixed(0)} | ${l.merge.toFixed(0)} |`,
);
const conn = join(
  process.env['SLO_SERVICES_DIR'] ?? join(repoRoot(), '.services'),
  'postgres',
  'connection.json',
);
if (existsSync(conn)) {
  const { url } = JSON.parse(readFileSync(conn, 'utf8')) as { url: string };
  const name = `store_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const p = await measure(
      createPostgresDatabase({ connectionString: url.replace(/\/[^/]*$/, `/${name}`) }).db,
    );
    rows.push(
      `| PostgreSQL 15 (loopback, fsync off) | ${p.insert.toFixed(0)} | ${p.merge.toFixed(0)} |`,
    );
  } finally {
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
} else {
  console.error(
    'PostgreSQL is not running (bash scripts/services/postgres.sh up): measuring PGlite only',
  );
}
console.log(
  `Window upserts per second, batches of ${BATCH}, ${BATCH * BATCHES} windows (8 events each):\n`,
);
console.log('| database | new windows/s | merging windows/s |\n|---|---:|---:|');
console.log(rows.join('\n'));

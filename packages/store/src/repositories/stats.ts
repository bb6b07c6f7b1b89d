/** Cheap figures about what the store holds, safe to ask on every API call. */
import { sql, type Kysely } from 'kysely';
import type { StoreDatabase } from '../db/types.ts';

/** Counts for a status page; `windows` is the planner's estimate once the table is large. */
export interface StoreStats {
  readonly services: number;
  readonly windows: number;
  /** True when `windows` is an estimate (above `exactBelow` rows). */
  readonly windowsEstimated: boolean;
  readonly spans: number;
  /** Start of the first window and end of the last one, or `null` when there are none. */
  readonly windowRange: { readonly fromMs: number; readonly toMs: number } | null;
}

const toMs = (v: unknown): number =>
  v instanceof Date ? v.getTime() : new Date(String(v)).getTime();

/** The first window's start and the last window's end, through the time index (two index probes). */
export async function windowRange(
  db: Kysely<StoreDatabase>,
): Promise<{ fromMs: number; toMs: number } | null> {
  const first = await db
    .selectFrom('capsule_windows')
    .select(['time_bucket'])
    .orderBy('time_bucket', 'asc')
    .limit(1)
    .executeTakeFirst();
  const last = await db
    .selectFrom('capsule_windows')
    .select(['time_bucket', 'window_size_ms'])
    .orderBy('time_bucket', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (first === undefined || last === undefined) return null;
  return { fromMs: toMs(first.time_bucket), toMs: toMs(last.time_bucket) + last.window_size_ms };
}

/** Store figures; exact counts below `exactBelow` estimated rows, planner estimates above. */
export async function storeStats(
  db: Kysely<StoreDatabase>,
  exactBelow = 50_000,
): Promise<StoreStats> {
  const estimate = async (table: string): Promise<number> => {
    const { rows } = await sql<{ n: number | string | null }>`
      select sum(greatest(c.reltuples, 0))::float8 as n from pg_class c
      where c.relkind = 'r' and (c.relname = ${table} or c.oid in (
        select inhrelid from pg_inherits where inhparent = ${table}::regclass))`.execute(db);
    return Number(rows[0]?.n ?? 0);
  };
  const exact = async (table: 'capsule_windows' | 'spans' | 'services'): Promise<number> => {
    const row = await db
      .selectFrom(table)
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  const windowsEstimate = await estimate('capsule_windows');
  const spansEstimate = await estimate('spans');
  const windowsEstimated = windowsEstimate >= exactBelow;
  return {
    services: await exact('services'),
    windows: windowsEstimated ? Math.round(windowsEstimate) : await exact('capsule_windows'),
    windowsEstimated,
    spans: spansEstimate >= exactBelow ? Math.round(spansEstimate) : await exact('spans'),
    windowRange: await windowRange(db),
  };
}

/** Daily range partitions of `capsule_windows` (or TimescaleDB chunks when it is a hypertable). */
import { sql, type Kysely } from 'kysely';
import { DAY_MS, parsePartitionName, toDayStart, toPartitionName } from '../core/time.ts';
import type { StoreDatabase } from './types.ts';

/** How `capsule_windows` is split by time in this database. */
export type WindowLayout = 'partitioned' | 'hypertable' | 'plain';

/** Detects the layout of `capsule_windows`. */
export async function detectLayout(db: Kysely<StoreDatabase>): Promise<WindowLayout> {
  const { rows } = await sql<{ partitioned: boolean; hypertable: boolean }>`
    select
      exists (select 1 from pg_partitioned_table p join pg_class c on c.oid = p.partrelid
              where c.relname = 'capsule_windows' and c.relnamespace = current_schema()::regnamespace) as partitioned,
      exists (select 1 from pg_extension where extname = 'timescaledb') as hypertable`.execute(db);
  const row = rows[0];
  if (row?.partitioned === true) return 'partitioned';
  if (row?.hypertable === true) return 'hypertable';
  return 'plain';
}

/** Lists the day starts of the existing daily partitions, ascending. */
export async function listPartitions(db: Kysely<StoreDatabase>): Promise<number[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
      join pg_class c on c.oid = i.inhrelid
      join pg_class p on p.oid = i.inhparent
    where p.relname = 'capsule_windows' and p.relnamespace = current_schema()::regnamespace`.execute(
    db,
  );
  return rows
    .map((r) => parsePartitionName(r.name))
    .filter((d): d is number => d !== undefined)
    .sort((a, b) => a - b);
}

/** Creates the daily partitions holding `times` that do not exist yet; idempotent and race-safe. */
export async function ensurePartitions(
  db: Kysely<StoreDatabase>,
  times: Iterable<number>,
  known: Set<number>,
): Promise<void> {
  const days = [...new Set([...times].map(toDayStart))]
    .filter((d) => !known.has(d))
    .sort((a, b) => a - b);
  if (days.length === 0) return;
  await db.transaction().execute(async (tx) => {
    // Serialise partition creation between writers: two CREATEs of one partition would race.
    await sql`select pg_advisory_xact_lock(7020411904)`.execute(tx);
    for (const day of days) {
      const from = new Date(day).toISOString();
      const to = new Date(day + DAY_MS).toISOString();
      await sql
        .raw(
          `create table if not exists ${toPartitionName(day)} partition of capsule_windows for values from ('${from}') to ('${to}')`,
        )
        .execute(tx);
    }
  });
  for (const day of days) known.add(day);
}

/** Drops the daily partition starting at `day` (every row in it goes at once). */
export async function dropPartition(db: Kysely<StoreDatabase>, day: number): Promise<void> {
  await sql.raw(`drop table if exists ${toPartitionName(day)}`).execute(db);
}

/** Runs the forward-only migrations, once, under an advisory lock. */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { StoreError } from '../errors.ts';
import { STORE_MIGRATIONS, type Migration, type MigrationContext } from './migrations.ts';
import type { StoreDatabase } from './types.ts';

/** What {@link migrate} did. */
export interface MigrationReport {
  /** Migrations applied by this call, in order. */
  readonly applied: readonly string[];
  /** Migrations that were already applied. */
  readonly skipped: readonly string[];
  readonly timescale: boolean;
}

const LOCK_KEY = 7_020_411_903;

/** Throws `DUPLICATE_MIGRATION` when a name is listed twice or the list is not sorted. */
export function checkMigrationList(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  let previous = '';
  for (const [i, m] of migrations.entries()) {
    if (!/^\d{4}_[a-z0-9_]+$/.test(m.name)) {
      throw new StoreError('INVALID_INPUT', `migrations[${i}]: name "${m.name}" is not NNNN_name`, {
        path: `migrations[${i}].name`,
      });
    }
    if (seen.has(m.name)) {
      throw new StoreError('DUPLICATE_MIGRATION', `migration "${m.name}" is listed twice`, {
        path: `migrations[${i}].name`,
      });
    }
    if (m.name < previous) {
      throw new StoreError('INVALID_INPUT', `migration "${m.name}" is listed after "${previous}"`, {
        path: `migrations[${i}].name`,
      });
    }
    seen.add(m.name);
    previous = m.name;
  }
}

/** Checksum of a migration over both of its variants, so any edit changes it. */
export function migrationChecksum(m: Migration): string {
  const hash = createHash('sha256');
  for (const timescale of [false, true]) {
    for (const statement of m.statements({ timescale })) hash.update(statement).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

/** Applies every pending migration; safe to call from several processes at once. */
export async function migrate(
  db: Kysely<StoreDatabase>,
  migrations: readonly Migration[] = STORE_MIGRATIONS,
): Promise<MigrationReport> {
  checkMigrationList(migrations);
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
    await sql`create table if not exists store_migrations (
      name text collate "C" primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(tx);
    const ts = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_extension where extname = 'timescaledb'`.execute(tx);
    const ctx: MigrationContext = { timescale: (ts.rows[0]?.n ?? 0) > 0 };
    const rows = await tx.selectFrom('store_migrations').select(['name', 'checksum']).execute();
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    const known = new Set(migrations.map((m) => m.name));
    for (const name of done.keys()) {
      if (!known.has(name)) {
        throw new StoreError(
          'UNKNOWN_MIGRATION',
          `the database has migration "${name}", which this version of @slo-scout/store does not know (a newer version migrated it?)`,
        );
      }
    }
    const applied: string[] = [];
    const skipped: string[] = [];
    for (const m of migrations) {
      const checksum = migrationChecksum(m);
      const previous = done.get(m.name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new StoreError(
            'MIGRATION_CHANGED',
            `migration "${m.name}" was edited after it was applied (checksum ${previous} in the database, ${checksum} now); add a new migration instead`,
          );
        }
        skipped.push(m.name);
        continue;
      }
      for (const statement of m.statements(ctx)) {
        try {
          await sql.raw(statement).execute(tx);
        } catch (cause) {
          const reason = cause instanceof Error ? cause.message : String(cause);
          throw new StoreError('MIGRATION_FAILED', `migration "${m.name}" failed: ${reason}`, {
            cause,
          });
        }
      }
      await tx
        .insertInto('store_migrations')
        .values({ name: m.name, checksum, applied_at: new Date() })
        .execute();
      applied.push(m.name);
    }
    return { applied, skipped, timescale: ctx.timescale };
  });
}

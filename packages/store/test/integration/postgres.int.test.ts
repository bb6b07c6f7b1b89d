import { loadConnection } from '@slo-scout/testkit';
import pg from 'pg';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../src/adapters/postgres/index.ts';
import { defineStoreSuite } from '../store-suite.ts';

const { url } = loadConnection('postgres');

/** A fresh database per suite run, dropped afterwards. */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `store_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: url.replace(/\/[^/]*$/, `/${name}`),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

defineStoreSuite('PostgreSQL 15', {
  concurrent: true,
  async open() {
    const fresh = await freshDatabase();
    const { db } = createPostgresDatabase({
      connectionString: fresh.url,
      maxConnections: 4,
      statementTimeoutMs: 20_000,
    });
    return {
      db,
      async dispose() {
        await db.destroy();
        await fresh.drop();
      },
    };
  },
});

describe('PostgreSQL adapter options', () => {
  it('survives an idle connection the server terminates, and says so', async () => {
    const fresh = await freshDatabase();
    const seen: Error[] = [];
    const { db } = createPostgresDatabase({
      connectionString: fresh.url,
      maxConnections: 2,
      onIdleError: (e) => seen.push(e),
    });
    try {
      await sql`select 1`.execute(db);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() or datname = $1`,
        [fresh.url.split('/').pop()],
      );
      await admin.end();
      await new Promise((r) => setTimeout(r, 200));
      expect(seen.map((e) => (e as { code?: string }).code)).toContain('57P01');
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(rows[0]?.one).toBe(1);
    } finally {
      await db.destroy();
      await fresh.drop();
    }
  });

  it('applies the statement timeout on the server', async () => {
    const fresh = await freshDatabase();
    const { db } = createPostgresDatabase({ connectionString: fresh.url, statementTimeoutMs: 200 });
    try {
      const { rows } = await sql<{
        t: string;
      }>`select current_setting('statement_timeout') as t`.execute(db);
      expect(rows[0]?.t).toBe('200ms');
      await expect(sql`select pg_sleep(2)`.execute(db)).rejects.toThrow(/statement timeout/);
    } finally {
      await db.destroy();
      await fresh.drop();
    }
  });

  it('refuses bad options with an error naming the option', () => {
    expect(() => createPostgresDatabase({ connectionString: 'mysql://x' })).toThrow(
      /connectionString/,
    );
    expect(() => createPostgresDatabase({ connectionString: url, maxConnections: 0 })).toThrow(
      /maxConnections/,
    );
  });
});

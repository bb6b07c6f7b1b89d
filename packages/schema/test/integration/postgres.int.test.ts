import { loadConnection } from '@slo-scout/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { capsuleWindowType } from '../../src/index.ts';
import { capsuleWindowArb } from '../arbitraries.ts';

const { url } = loadConnection('postgres');
const pool = new pg.Pool({ connectionString: url, max: 2 });

afterAll(async () => {
  await pool.end();
});

describe('real PostgreSQL 15', () => {
  it('connects to the server the harness started', async () => {
    const { rows } = await pool.query<{ v: string }>(
      "select current_setting('server_version') as v",
    );
    expect(rows[0]?.v).toMatch(/^15\./);
  });

  it('stores Avro-encoded CapsuleWindows as bytea and reads back equal records', async () => {
    const windows = fc.sample(capsuleWindowArb, { numRuns: 50, seed: 7 });
    const client = await pool.connect();
    try {
      await client.query('create temp table w (k text primary key, body bytea not null)');
      for (const [i, w] of windows.entries()) {
        await client.query('insert into w values ($1, $2)', [
          String(i),
          capsuleWindowType.toBuffer(w),
        ]);
      }
      const { rows } = await client.query<{ k: string; body: Buffer }>(
        'select k, body from w order by k::int',
      );
      expect(rows.map((r) => capsuleWindowType.fromBuffer(r.body))).toEqual(windows);
    } finally {
      client.release();
    }
  });
});

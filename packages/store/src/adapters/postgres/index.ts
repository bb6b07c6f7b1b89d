/** PostgreSQL (optionally TimescaleDB) for the store, through a `pg` pool. */
import type { ConnectionOptions } from 'node:tls';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { StoreError } from '../../errors.ts';
import type { StoreDatabase } from '../../db/types.ts';

/** Options of {@link createPostgresDatabase}. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly connectionString: string;
  /** Largest number of pooled connections. Default 10. */
  readonly maxConnections?: number;
  /** `true`, or Node TLS options (ca, cert, key, rejectUnauthorized...). Default: no TLS. */
  readonly ssl?: boolean | ConnectionOptions;
  /** Server-side `statement_timeout` for every statement, milliseconds. Default 30,000. */
  readonly statementTimeoutMs?: number;
  /** Reported as `application_name`. Default `slo-scout-store`. */
  readonly applicationName?: string;
  /**
   * Told when an idle pooled connection fails (server restart, connection terminated by an
   * administrator). The pool drops that connection and opens a new one on the next query.
   * Default: ignored — without a handler such an error would crash the process.
   */
  readonly onIdleError?: (error: Error) => void;
}

/** A Kysely database over a `pg` pool, plus the pool. */
export interface PostgresDatabase {
  readonly db: Kysely<StoreDatabase>;
  readonly pool: pg.Pool;
}

const INT8_OID = 20;

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new StoreError('QUERY_FAILED', `int8 ${value} exceeds 2^53`);
  return n;
}

const getTypeParser = pg.types.getTypeParser.bind(pg.types) as (
  oid: number,
  format: 'text' | 'binary',
) => unknown;
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? parseInt8
      : getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** Opens a pooled PostgreSQL database; call `db.destroy()` to end the pool. */
export function createPostgresDatabase(options: PostgresStoreOptions): PostgresDatabase {
  if (
    typeof options.connectionString !== 'string' ||
    !/^postgres(ql)?:\/\//.test(options.connectionString)
  ) {
    throw new StoreError('INVALID_OPTIONS', 'connectionString must be a postgres:// URL', {
      path: 'connectionString',
    });
  }
  const max = options.maxConnections ?? 10;
  const timeout = options.statementTimeoutMs ?? 30_000;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new StoreError('INVALID_OPTIONS', `maxConnections must be >= 1, got ${max}`, {
      path: 'maxConnections',
    });
  }
  if (!Number.isSafeInteger(timeout) || timeout < 0) {
    throw new StoreError('INVALID_OPTIONS', `statementTimeoutMs must be >= 0, got ${timeout}`, {
      path: 'statementTimeoutMs',
    });
  }
  const config: pg.PoolConfig = {
    connectionString: options.connectionString,
    max,
    statement_timeout: timeout,
    application_name: options.applicationName ?? 'slo-scout-store',
    types: typeParsers,
  };
  if (options.ssl !== undefined) config.ssl = options.ssl;
  const pool = new pg.Pool(config);
  pool.on('error', (error) => options.onIdleError?.(error));
  return { db: new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) }), pool };
}

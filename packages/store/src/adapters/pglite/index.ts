/**
 * PGlite (embedded, file-backed PostgreSQL) for the store: a small Kysely dialect over one PGlite
 * instance, serialising connections so transactions never interleave.
 */
import { PGlite, types, type PGliteOptions } from '@electric-sql/pglite';
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import { StoreError } from '../../errors.ts';
import type { StoreDatabase } from '../../db/types.ts';

/** Options of {@link createPgliteDatabase}. */
export interface PgliteStoreOptions {
  /** Directory of the database files; omit for an in-memory database (tests). */
  readonly dataDir?: string;
  /** An existing PGlite instance to use instead (its lifetime stays with the caller). */
  readonly pglite?: PGlite;
}

/** A Kysely database over PGlite, plus the instance underneath. */
export interface PgliteDatabase {
  readonly db: Kysely<StoreDatabase>;
  readonly pglite: PGlite;
}

const parsers = {
  [types.INT8]: (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n))
      throw new StoreError('QUERY_FAILED', `int8 ${value} exceeds 2^53`);
    return n;
  },
};

class PgliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pg.query<R>(query.sql, query.parameters as unknown[], { parsers });
    const affected = result.affectedRows;
    return affected === undefined
      ? { rows: result.rows }
      : { rows: result.rows, numAffectedRows: BigInt(affected) };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new StoreError('QUERY_FAILED', 'streaming queries are not supported on PGlite');
  }
}

class PgliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve();
  private readonly connection: PgliteConnection;

  constructor(
    private readonly pg: PGlite,
    private readonly owned: boolean,
  ) {
    this.connection = new PgliteConnection(pg);
  }

  async init(): Promise<void> {
    await this.pg.waitReady;
  }

  // One connection: the next caller waits until the previous one released it.
  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => next);
    await previous;
    this.releasers.push(release);
    return this.connection;
  }

  private readonly releasers: (() => void)[] = [];

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  releaseConnection(): Promise<void> {
    this.releasers.shift()?.();
    return Promise.resolve();
  }

  async destroy(): Promise<void> {
    if (this.owned && !this.pg.closed) await this.pg.close();
  }
}

/** A Kysely dialect over a PGlite instance; `owned` closes the instance on `db.destroy()`. */
export function createPgliteDialect(pglite: PGlite, owned = false): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PgliteDriver(pglite, owned),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

/** Opens (or creates) an embedded PGlite database; call `db.destroy()` to close it. */
export async function createPgliteDatabase(
  options: PgliteStoreOptions = {},
): Promise<PgliteDatabase> {
  if (options.dataDir !== undefined && options.pglite !== undefined) {
    throw new StoreError('INVALID_OPTIONS', 'pass either dataDir or pglite, not both');
  }
  const owned = options.pglite === undefined;
  const pgOptions: PGliteOptions = {};
  if (options.dataDir !== undefined) pgOptions.dataDir = options.dataDir;
  const pglite = options.pglite ?? (await PGlite.create(pgOptions));
  return { db: new Kysely<StoreDatabase>({ dialect: createPgliteDialect(pglite, owned) }), pglite };
}

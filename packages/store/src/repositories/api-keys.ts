/**
 * API keys. Only a SHA-256 hash of each key is stored; the caller creates the key and hashes it.
 * Creating and revoking a key write their audit entries in the same transaction.
 */
import type { Kysely } from 'kysely';
import { err, invalid, ok, StoreError, type Result } from '../errors.ts';
import type { StoreDatabase } from '../db/types.ts';
import { insertAudit, validateAuditEntry } from './decisions.ts';

/** What a key may do: `admin` implies `write`, which implies `read`. */
export type ApiKeyScope = 'read' | 'write' | 'admin';

/** A stored API key, without its hash. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly createdAtMs: number;
  readonly revokedAtMs: number | null;
}

/** A key to create: its id, name, scopes and the hex SHA-256 of the secret. */
export interface NewApiKey {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** Lower-case hex SHA-256 of the key (64 characters). */
  readonly keyHash: string;
}

const SCOPES: readonly string[] = ['read', 'write', 'admin'];
const HASH = /^[0-9a-f]{64}$/;

function checkKey(k: NewApiKey): Result<true> {
  if (typeof k.id !== 'string' || k.id.length === 0) return invalid('id', 'is empty');
  if (typeof k.name !== 'string' || k.name.length === 0) return invalid('name', 'is empty');
  const scopes: unknown = k.scopes;
  if (!Array.isArray(scopes) || scopes.length === 0)
    return invalid('scopes', 'needs at least one scope');
  for (const [i, s] of (scopes as unknown[]).entries()) {
    if (typeof s !== 'string' || !SCOPES.includes(s))
      return invalid(`scopes[${i}]`, `unknown scope "${String(s)}"`);
  }
  if (typeof k.keyHash !== 'string' || !HASH.test(k.keyHash))
    return invalid('keyHash', 'must be a lower-case hex SHA-256 (64 characters)');
  return ok(true);
}

type Row = {
  id: string;
  name: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
};

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes as ApiKeyScope[],
  createdAtMs: r.created_at.getTime(),
  revokedAtMs: r.revoked_at === null ? null : r.revoked_at.getTime(),
});

const COLUMNS = ['id', 'name', 'scopes', 'created_at', 'revoked_at'] as const;

/** Saves a new key; `CONFLICT` when its id, hash, or the name of a live key is taken. */
export async function createApiKey(
  db: Kysely<StoreDatabase>,
  k: NewApiKey & { readonly atMs: number },
  actor: string,
): Promise<Result<ApiKeyRecord>> {
  const c = checkKey(k);
  if (!c.ok) return c;
  const scopes = [...new Set(k.scopes)];
  const audit = {
    actor,
    action: 'created',
    subjectType: 'api_key' as const,
    subjectId: k.id,
    atMs: k.atMs,
    details: { name: k.name, scopes },
  };
  const a = validateAuditEntry(audit, 'audit');
  if (!a.ok) return a;
  return db.transaction().execute(async (tx) => {
    const taken = await tx
      .selectFrom('api_keys')
      .select(['id', 'name', 'revoked_at'])
      .where((eb) =>
        eb.or([
          eb('id', '=', k.id),
          eb('key_hash', '=', k.keyHash),
          eb.and([eb('name', '=', k.name), eb('revoked_at', 'is', null)]),
        ]),
      )
      .executeTakeFirst();
    if (taken !== undefined) {
      const what =
        taken.id === k.id
          ? `id ${k.id} is taken`
          : taken.name === k.name && taken.revoked_at === null
            ? `a live key is already named "${k.name}"`
            : 'this key is already registered';
      return err(new StoreError('CONFLICT', what, { path: taken.id === k.id ? 'id' : 'name' }));
    }
    const row = await tx
      .insertInto('api_keys')
      .values({
        id: k.id,
        name: k.name,
        scopes,
        key_hash: k.keyHash,
        created_at: new Date(k.atMs),
        revoked_at: null,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await insertAudit(tx, audit);
    return ok(toRecord(row));
  });
}

/** Every key, live and revoked, oldest first. */
export async function listApiKeys(db: Kysely<StoreDatabase>): Promise<ApiKeyRecord[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(COLUMNS)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** The key with this hash, live or revoked (check `revokedAtMs`); `undefined` when unknown. */
export async function findApiKeyByHash(
  db: Kysely<StoreDatabase>,
  keyHash: string,
): Promise<ApiKeyRecord | undefined> {
  if (typeof keyHash !== 'string' || !HASH.test(keyHash)) return undefined;
  const row = await db
    .selectFrom('api_keys')
    .select(COLUMNS)
    .where('key_hash', '=', keyHash)
    .executeTakeFirst();
  return row === undefined ? undefined : toRecord(row);
}

/** Revokes a live key, with its audit entry; `NOT_FOUND` when unknown or already revoked. */
export async function revokeApiKey(
  db: Kysely<StoreDatabase>,
  id: string,
  r: { readonly actor: string; readonly atMs: number },
): Promise<Result<ApiKeyRecord>> {
  const audit = {
    actor: r.actor,
    action: 'revoked',
    subjectType: 'api_key' as const,
    subjectId: id,
    atMs: r.atMs,
    details: {},
  };
  const a = validateAuditEntry(audit, 'audit');
  if (!a.ok) return a;
  const row = await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('api_keys')
      .set({ revoked_at: new Date(r.atMs) })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(COLUMNS)
      .executeTakeFirst();
    if (updated === undefined) return undefined;
    await insertAudit(tx, { ...audit, details: { name: updated.name } });
    return updated;
  });
  return row === undefined
    ? err(new StoreError('NOT_FOUND', `no live API key ${id} (unknown, or already revoked)`))
    : ok(toRecord(row));
}

/**
 * API keys: `sk_` + base64url of 32 random bytes (256 bits). Only the SHA-256 of a key is stored;
 * a fast hash is enough because the secret is uniformly random, not a password (see README).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyScope, Store } from '@slo-scout/store';
import { ApiError } from './errors.ts';

const KEY_FORMAT = /^sk_[A-Za-z0-9_-]{43}$/;
const RANK: Readonly<Record<ApiKeyScope, number>> = { read: 1, write: 2, admin: 3 };

/** Every scope, weakest first. */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'write', 'admin'];

/** A fresh random API key, `sk_` + 43 base64url characters. */
export function generateApiKey(): string {
  return `sk_${randomBytes(32).toString('base64url')}`;
}

/** Whether a string has the shape of a generated key (checked before hashing a bearer token). */
export function isApiKeyFormat(key: string): boolean {
  return KEY_FORMAT.test(key);
}

/** Lower-case hex SHA-256 of a key: what the store keeps. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Whether scopes grant `needed`: `admin` implies `write`, which implies `read`. */
export function hasScope(scopes: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  return scopes.some((s) => RANK[s] >= RANK[needed]);
}

/** A key as created: the record plus the secret, shown this once. */
export interface CreatedApiKey extends ApiKeyRecord {
  readonly key: string;
}

/** Options of {@link createApiKey}. */
export interface CreateApiKeyOptions {
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** Who creates it, for the audit log. Default `system:bootstrap`. */
  readonly actor?: string;
  /** A key to register instead of a generated one; must have the generated format. */
  readonly key?: string;
}

/** Creates and stores an API key (hashed), audited; the secret is in the answer only. */
export async function createApiKey(
  store: Store,
  options: CreateApiKeyOptions,
): Promise<{ ok: true; value: CreatedApiKey } | { ok: false; error: ApiError }> {
  const key = options.key ?? generateApiKey();
  if (!isApiKeyFormat(key)) {
    return {
      ok: false,
      error: new ApiError(
        'INVALID_INPUT',
        'key must be "sk_" followed by 43 base64url characters (32 random bytes)',
        { field: 'key' },
      ),
    };
  }
  const id = `key_${randomBytes(9).toString('base64url')}`;
  const saved = await store.createApiKey(
    { id, name: options.name, scopes: options.scopes, keyHash: hashApiKey(key) },
    options.actor ?? 'system:bootstrap',
  );
  if (!saved.ok) {
    const code = saved.error.code === 'CONFLICT' ? 'CONFLICT' : 'INVALID_INPUT';
    const field = saved.error.path === 'keyHash' ? 'key' : saved.error.path;
    return {
      ok: false,
      error: new ApiError(
        code,
        saved.error.message,
        field === undefined ? { cause: saved.error } : { cause: saved.error, field },
      ),
    };
  }
  return { ok: true, value: { ...saved.value, key } };
}

/** What {@link ensureAdminKey} did. */
export interface EnsuredAdminKey {
  /** `true` when a key was created by this call. */
  readonly created: boolean;
  /** The admin key's record. */
  readonly record: ApiKeyRecord;
  /** The secret: the one given, or the new one; absent when an existing key was found. */
  readonly key?: string;
}

/**
 * Makes sure an admin key exists, for bootstrapping. With `key` (e.g. from an environment
 * variable) that key is registered if it is not yet; without it a new key is created only when
 * no live admin key exists. Throws `ApiError` on a malformed key or a name clash.
 */
export async function ensureAdminKey(
  store: Store,
  options: { readonly key?: string; readonly name?: string } = {},
): Promise<EnsuredAdminKey> {
  const name = options.name ?? 'admin';
  if (options.key !== undefined) {
    if (!isApiKeyFormat(options.key)) {
      throw new ApiError(
        'INVALID_OPTIONS',
        'the admin key must be "sk_" followed by 43 base64url characters (32 random bytes)',
        { field: 'key' },
      );
    }
    const found = await store.findApiKeyByHash(hashApiKey(options.key));
    if (found !== undefined) {
      if (found.revokedAtMs !== null)
        throw new ApiError('INVALID_OPTIONS', 'the given admin key was revoked', { field: 'key' });
      if (!hasScope(found.scopes, 'admin'))
        throw new ApiError('INVALID_OPTIONS', 'the given key exists without the admin scope', {
          field: 'key',
        });
      return { created: false, record: found, key: options.key };
    }
  } else {
    const live = (await store.listApiKeys()).find(
      (k) => k.revokedAtMs === null && hasScope(k.scopes, 'admin'),
    );
    if (live !== undefined) return { created: false, record: live };
  }
  const made = await createApiKey(store, {
    name,
    scopes: ['admin'],
    ...(options.key === undefined ? {} : { key: options.key }),
  });
  if (!made.ok) throw made.error;
  const { key, ...record } = made.value;
  return { created: true, record, key };
}

/** Test wiring: a migrated PGlite store, keys of each scope, and a Scout that must not be called. */
import type { Scout } from '@slo-scout/engine';
import { createStore, type ApiKeyScope, type Store } from '@slo-scout/store';
import { createPgliteDatabase } from '@slo-scout/store/pglite';
import { createApiKey } from '../src/index.ts';

/** A fresh, migrated in-memory store. */
export async function openStore(now?: () => number): Promise<Store> {
  const { db } = await createPgliteDatabase();
  const store = createStore(db, now === undefined ? {} : { clock: { now } });
  await store.migrate();
  return store;
}

/** Creates a key with the given scopes and returns its secret. */
export async function keyFor(store: Store, name: string, scopes: ApiKeyScope[]): Promise<string> {
  const made = await createApiKey(store, { name, scopes });
  if (!made.ok) throw made.error;
  return made.value.key;
}

/** `Authorization` header for a key. */
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/**
 * A Scout whose every method throws and counts the call: only to prove that authentication and
 * validation answer before any handler runs. Never a stand-in for engine behaviour.
 */
export function createRefusingScout(): { scout: Scout; calls: string[] } {
  const calls: string[] = [];
  const scout = new Proxy({} as Scout, {
    get(_target, name) {
      return () => {
        calls.push(String(name));
        throw new Error(`Scout.${String(name)} must not be reached in this test`);
      };
    },
  });
  return { scout, calls };
}

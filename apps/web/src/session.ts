/** Where the console keeps the user's API key: sessionStorage, so it ends with the tab. */

/** The part of `Storage` the console uses. */
export interface KeyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The sessionStorage entry holding the key. */
export const API_KEY_ITEM = 'slo-scout.api-key';

/** The stored key, or undefined when none (or storage is unavailable). */
export function readKey(storage: KeyStorage | undefined): string | undefined {
  try {
    const v = storage?.getItem(API_KEY_ITEM);
    return v !== null && v !== undefined && v.trim() !== '' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Stores a key, trimmed; returns false when it is empty or storage refuses it. */
export function saveKey(storage: KeyStorage | undefined, key: string): boolean {
  const k = key.trim();
  if (k === '' || storage === undefined) return false;
  try {
    storage.setItem(API_KEY_ITEM, k);
    return true;
  } catch {
    return false;
  }
}

/** Forgets the key. */
export function clearKey(storage: KeyStorage | undefined): void {
  try {
    storage?.removeItem(API_KEY_ITEM);
  } catch {
    // Storage disabled: nothing was kept.
  }
}

import { describe, expect, it } from 'vitest';
import { API_KEY_ITEM, clearKey, readKey, saveKey, type KeyStorage } from './session.ts';

function memory(): KeyStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => data.set(k, v),
    removeItem: (k) => data.delete(k),
  };
}

describe('key storage', () => {
  it('stores the trimmed key and forgets it', () => {
    const s = memory();
    expect(readKey(s)).toBeUndefined();
    expect(saveKey(s, '  sk_123 ')).toBe(true);
    expect(s.data.get(API_KEY_ITEM)).toBe('sk_123');
    expect(readKey(s)).toBe('sk_123');
    clearKey(s);
    expect(readKey(s)).toBeUndefined();
  });
  it('refuses empty keys and survives storage that throws', () => {
    const s = memory();
    expect(saveKey(s, '   ')).toBe(false);
    const broken: KeyStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(readKey(broken)).toBeUndefined();
    expect(saveKey(broken, 'k')).toBe(false);
    expect(() => {
      clearKey(broken);
    }).not.toThrow();
    expect(saveKey(undefined, 'k')).toBe(false);
  });
});

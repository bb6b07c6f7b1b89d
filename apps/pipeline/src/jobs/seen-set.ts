/** A bounded set of keys: when full, the key used least recently is forgotten first. */

/** Remembers at most `capacity` keys. */
export interface SeenSet {
  /** True when `key` is remembered; marks it as recently used. */
  has(key: string): boolean;
  add(key: string): void;
  readonly size: number;
}

/** Creates a {@link SeenSet} holding at most `capacity` keys (a Map keeps insertion order). */
export function createSeenSet(capacity: number): SeenSet {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`capacity must be an integer >= 1, got ${capacity}`);
  }
  const keys = new Map<string, true>();
  return {
    has(key) {
      if (!keys.delete(key)) return false;
      keys.set(key, true);
      return true;
    },
    add(key) {
      keys.delete(key);
      keys.set(key, true);
      while (keys.size > capacity) {
        const oldest = keys.keys().next();
        if (oldest.done === true) break;
        keys.delete(oldest.value);
      }
    },
    get size() {
      return keys.size;
    },
  };
}

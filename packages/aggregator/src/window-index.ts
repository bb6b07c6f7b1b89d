/**
 * The index of a bucket's held windows by (fingerprint, service): one open-addressing table
 * (linear probing, load at most a quarter) of references to the windows, each of which carries its
 * key hash. Finding a window usually costs one slot read and the window itself, which
 * is touched next anyway; the key strings are compared exactly, so hash collisions only cost time.
 */
import type { WindowAccumulator } from './window.ts';

function mixWord(h: number, word: number): number {
  h = Math.imul(h ^ word, 0x5bd1e995);
  return h ^ (h >>> 15);
}

function mixString(h: number, s: string): number {
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mixWord(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) h = mixWord(h, s.charCodeAt(i));
  return mixWord(h, n);
}

/** Value of each lowercase hex digit by code unit (below 128); -1 for every other code unit. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX_VALUE[48 + c] = c;
for (let c = 0; c < 6; c++) HEX_VALUE[97 + c] = 10 + c;

/** Length of a SHA-256 digest in hex, what `@slo-scout/fingerprint` puts in `fingerprint_hash`. */
const DIGEST_LENGTH = 64;

/**
 * The 32 bits of 8 lowercase hex digits at `from`, or -1 (all bits set, which 8 digits can also
 * give, so callers treat -1 as "not known to be hex" and fall back).
 */
function hexWord(s: string, from: number): number {
  let word = 0;
  let bad = 0;
  for (let i = from; i < from + 8; i++) {
    const c = s.charCodeAt(i);
    // Negative for anything but a lowercase hex digit (code units from 128 included).
    const digit = HEX_VALUE[c & 127]! | -(c >>> 7);
    bad |= digit;
    word = (word << 4) | (digit & 15);
  }
  return bad < 0 ? -1 : word;
}

/**
 * Mixes a fingerprint into `h`. A fingerprint is normally a SHA-256 hex digest, whose digits are
 * already uniformly distributed: then 16 of them (the first and last 8, so a digest that repeats
 * or pads still spreads) stand for the whole string, instead of mixing all 64 characters of a
 * fresh string whose hash V8 has not cached. Anything else is mixed in full. Which one is used
 * only affects speed: the index compares the key strings exactly.
 */
function mixFingerprint(h: number, fingerprint: string): number {
  if (fingerprint.length === DIGEST_LENGTH) {
    const head = hexWord(fingerprint, 0);
    const tail = hexWord(fingerprint, DIGEST_LENGTH - 8);
    if (head !== -1 && tail !== -1) return mixWord(mixWord(h, head), tail);
  }
  return mixString(h, fingerprint);
}

/** 32-bit hash of a window key within its bucket (each bucket has its own index). */
export function hashWindowKey(fingerprint: string, service: string): number {
  let h = mixFingerprint(0x2f4a7c15, fingerprint);
  h = mixString(h, service);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Open-addressing map from window key to window (internal). */
export class WindowIndex {
  private slots: (WindowAccumulator | undefined)[] = new Array<undefined>(64).fill(undefined);
  private mask = 63;
  size = 0;

  /** The window with this key (`hash` from {@link hashWindowKey}), if held. */
  find(hash: number, fingerprint: string, service: string): WindowAccumulator | undefined {
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const acc = slots[slot];
      if (acc === undefined) return undefined;
      if (acc.keyHash === hash && acc.fingerprintHash === fingerprint && acc.service === service) {
        return acc;
      }
    }
  }

  /** Adds a window whose key is not held yet (its `keyHash` must be set). */
  insert(acc: WindowAccumulator): void {
    if ((this.size + 1) * 4 > this.mask + 1) this.resize((this.mask + 1) * 2);
    this.place(acc);
    this.size++;
  }

  /** Removes a held window (backward-shift deletion, so no tombstones accumulate). */
  delete(acc: WindowAccumulator): void {
    const slots = this.slots;
    const mask = this.mask;
    let hole = acc.keyHash & mask;
    while (slots[hole] !== acc) {
      if (slots[hole] === undefined) return;
      hole = (hole + 1) & mask;
    }
    this.size--;
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const next = slots[j];
      if (next === undefined) break;
      const home = next.keyHash & mask;
      // `next` may move into the hole when its home is not cyclically within (hole, j].
      const between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!between) {
        slots[hole] = next;
        hole = j;
      }
    }
    slots[hole] = undefined;
  }

  /** Forgets every window. */
  clear(): void {
    this.slots = new Array<undefined>(64).fill(undefined);
    this.mask = 63;
    this.size = 0;
  }

  private place(acc: WindowAccumulator): void {
    const slots = this.slots;
    const mask = this.mask;
    let slot = acc.keyHash & mask;
    while (slots[slot] !== undefined) slot = (slot + 1) & mask;
    slots[slot] = acc;
  }

  private resize(capacity: number): void {
    const old = this.slots;
    this.slots = new Array<undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    for (const acc of old) if (acc !== undefined) this.place(acc);
  }
}

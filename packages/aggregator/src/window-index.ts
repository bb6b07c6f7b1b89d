/**
 * The aggregator's index of held windows by (fingerprint, service, bucket): one open-addressing
 * table (linear probing, load at most a quarter) of references to the windows, each of which
 * carries its key hash. Finding a window usually costs one slot read and the window itself, which
 * is touched next anyway; the key strings are compared exactly, so hash collisions only cost time.
 */
import type { AggregatorEvent } from './types.ts';
import type { WindowAccumulator } from './window.ts';

/** The key fields of an event. */
export type WindowKey = Pick<AggregatorEvent, 'fingerprint_hash' | 'service'>;

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

/** 32-bit hash of a window key; the bucket enters as its start time. */
export function hashWindowKey(fingerprint: string, service: string, bucketMs: number): number {
  let h = mixWord(0x2f4a7c15, bucketMs | 0);
  h = mixWord(h, (bucketMs / 4_294_967_296) | 0);
  h = mixString(h, fingerprint);
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
  find(hash: number, key: WindowKey, bucketMs: number): WindowAccumulator | undefined {
    const fingerprint = key.fingerprint_hash;
    const service = key.service;
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const acc = slots[slot];
      if (acc === undefined) return undefined;
      if (
        acc.keyHash === hash &&
        acc.bucketMs === bucketMs &&
        acc.fingerprintHash === fingerprint &&
        acc.service === service
      ) {
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

/**
 * The dedup state of a window: 64-bit hashes of event ids in one open-addressing typed-array table.
 * Ids are not retained, so a window costs 24 to 48 bytes per event id (12-byte slots, load between
 * a quarter and a half; about 25 measured at 1,000 ids) and the garbage collector never walks them. Two different ids are taken for one with probability about 2^-64 per
 * pair (about 7e-12 for a window of 16,384 ids); that is the only way an event can be miscounted.
 */

/** Both 32-bit lanes of the 64-bit hash of an event id, as signed 32-bit integers. */
export interface IdHash {
  high: number;
  low: number;
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Hashes an id into `out`: lane one is MurmurHash3 (x86, 32-bit) over pairs of UTF-16 code units,
 * lane two a multiply-xorshift over the same words with another seed; both finished with fmix32.
 */
export function hashIdInto(id: string, out: IdHash): void {
  let h1 = 0x9747b28c;
  let h2 = 0x2f4a7c15;
  const n = id.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const word = id.charCodeAt(i) | (id.charCodeAt(i + 1) << 16);
    let k = Math.imul(word, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = Math.imul(h2 ^ word, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  if (i < n) {
    const word = id.charCodeAt(i);
    let k = Math.imul(word, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h1 ^= k;
    h2 = Math.imul(h2 ^ word, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  out.high = fmix(h1 ^ n);
  out.low = fmix(h2 ^ Math.imul(n, 0x27d4eb2d));
}

function hex32(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

/** Lowercase hex digit code units. */
const HEX = new Uint16Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
let shared = new Uint16Array(1024);

/** A scratch buffer of at least `length` code units (reused between calls). */
function codeBuffer(length: number): Uint16Array {
  if (shared.length < length) shared = new Uint16Array(Math.max(length, shared.length * 2));
  return shared;
}

/** Writes `x` as 8 lowercase hex digits at `at`. */
function writeHex32(codes: Uint16Array, at: number, x: number): void {
  for (let i = 7; i >= 0; i--) {
    codes[at + i] = HEX[x & 15]!;
    x >>>= 4;
  }
}

const CHUNK = 8192;

/** Code units `from` to `to` as a string, converted in chunks (argument count limits). */
function codesToString(codes: Uint16Array, from: number, to: number): string {
  if (to - from <= CHUNK) return String.fromCharCode.apply(null, codes.subarray(from, to) as never);
  const parts: string[] = [];
  for (let at = from; at < to; at += CHUNK) {
    const piece = codes.subarray(at, Math.min(to, at + CHUNK));
    parts.push(String.fromCharCode.apply(null, piece as never));
  }
  return parts.join('');
}

/** The 64-bit hash of an event id as 16 lowercase hex digits, as stored in `event_hashes`. */
export function hashEventId(id: string): string {
  const out = { high: 0, low: 0 };
  hashIdInto(id, out);
  return hex32(out.high) + hex32(out.low);
}

const scratch: IdHash = { high: 0, low: 0 };
const EMPTY = new Int32Array(0);

/**
 * Set of event-id hashes with a small severity index per entry, remembering insertion order.
 * One open-addressing table (linear probing, load at most one half) of three 32-bit words per
 * slot: high lane, low lane, and `(insertion number << 3 | severity) + 1` (0 marks a free slot).
 * A lookup touches one typed array, usually one cache line of it.
 */
export class IdSet {
  /** Most ids one set holds (the insertion number must fit in 28 bits). */
  static readonly MAX_SIZE = 1 << 28;
  private slots: Int32Array = EMPTY;
  /** Number of slots minus one; slots are a power of two. */
  private mask = -1;
  size = 0;

  /** Adds the id; returns false when its hash is already present. */
  add(id: string, severity: number): boolean {
    hashIdInto(id, scratch);
    return this.addHash(scratch.high, scratch.low, severity);
  }

  /** Whether the id's hash is present. */
  has(id: string): boolean {
    hashIdInto(id, scratch);
    const mask = this.mask;
    if (mask < 0) return false;
    const slots = this.slots;
    const high = scratch.high;
    const low = scratch.low;
    for (let slot = high & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 3;
      if (slots[at + 2] === 0) return false;
      if (slots[at] === high && slots[at + 1] === low) return true;
    }
  }

  /** Adds a hash given as two 32-bit lanes; returns false when present. */
  addHash(high: number, low: number, severity: number): boolean {
    const n = this.size;
    if ((n + 1) * 2 > this.mask + 1) this.grow();
    const slots = this.slots;
    const mask = this.mask;
    let slot = high & mask;
    for (;;) {
      const at = slot * 3;
      if (slots[at + 2] === 0) {
        slots[at] = high;
        slots[at + 1] = low;
        slots[at + 2] = ((n << 3) | severity) + 1;
        this.size = n + 1;
        return true;
      }
      if (slots[at] === high && slots[at + 1] === low) return false;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    if (this.size >= IdSet.MAX_SIZE) {
      throw new RangeError(`an IdSet holds at most ${IdSet.MAX_SIZE} ids`);
    }
    // Small sets grow fourfold (fewer reallocations for the many small windows), large ones double.
    const capacity = this.mask < 511 ? Math.max(16, (this.mask + 1) * 4) : (this.mask + 1) * 2;
    const old = this.slots;
    const slots = new Int32Array(capacity * 3);
    const mask = capacity - 1;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] === 0) continue;
      let slot = old[at]! & mask;
      while (slots[slot * 3 + 2] !== 0) slot = (slot + 1) & mask;
      slots[slot * 3] = old[at]!;
      slots[slot * 3 + 1] = old[at + 1]!;
      slots[slot * 3 + 2] = old[at + 2]!;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Hashes as concatenated 16-hex-digit strings, and one severity digit per entry. */
  serialize(): { hashes: string; severities: string } {
    // Hex digits are written as UTF-16 code units into one buffer, at their insertion number, and
    // turned into strings in large chunks: no intermediate string per hash.
    const n = this.size;
    const slots = this.slots;
    const codes = codeBuffer(n * 17);
    for (let at = 0; at < slots.length; at += 3) {
      const tag = slots[at + 2]! - 1;
      if (tag < 0) continue;
      const e = tag >>> 3;
      writeHex32(codes, e * 16, slots[at]!);
      writeHex32(codes, e * 16 + 8, slots[at + 1]!);
      codes[n * 16 + e] = 48 + (tag & 7);
    }
    return {
      hashes: codesToString(codes, 0, n * 16),
      severities: codesToString(codes, n * 16, n * 17),
    };
  }

  /** Rebuilds a set from `serialize()` output (assumed valid). */
  static deserialize(hashes: string, severities: string): IdSet {
    const set = new IdSet();
    for (let e = 0; e * 16 < hashes.length; e++) {
      const high = parseInt(hashes.slice(e * 16, e * 16 + 8), 16) | 0;
      const low = parseInt(hashes.slice(e * 16 + 8, e * 16 + 16), 16) | 0;
      set.addHash(high, low, severities.charCodeAt(e) - 48);
    }
    return set;
  }
}

/** Splits a concatenated `event_hashes` string into its 16-digit hashes. */
export function splitHashes(hashes: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < hashes.length; i += 16) out.push(hashes.slice(i, i + 16));
  return out;
}

/**
 * The dedup state of a window: 64-bit hashes of event ids in an open-addressing table over typed
 * arrays. Ids are not retained, so a window costs about 20 bytes per event id and the garbage
 * collector never walks them. Two different ids are taken for one with probability about 2^-64 per
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

/** The first `length` code units as a string, converted in chunks (argument count limits). */
function codesToString(codes: Uint16Array, length: number): string {
  if (length <= CHUNK) return String.fromCharCode.apply(null, codes.subarray(0, length) as never);
  const parts: string[] = [];
  for (let at = 0; at < length; at += CHUNK) {
    const piece = codes.subarray(at, Math.min(length, at + CHUNK));
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

/** Set of event-id hashes with a small severity index per entry, in insertion order. */
export class IdSet {
  /** Entries in insertion order: high, low, severity index. */
  private entries: Int32Array = EMPTY;
  /** Open-addressing table of entry number + 1 (0 = free); length is a power of two. */
  private table: Int32Array = EMPTY;
  size = 0;

  /** Adds the id; returns false when its hash is already present. */
  add(id: string, severity: number): boolean {
    hashIdInto(id, scratch);
    return this.addHash(scratch.high, scratch.low, severity);
  }

  /** Whether the id's hash is present. */
  has(id: string): boolean {
    hashIdInto(id, scratch);
    return this.find(scratch.high, scratch.low) >= 0;
  }

  /** Adds a hash given as two 32-bit lanes; returns false when present. */
  addHash(high: number, low: number, severity: number): boolean {
    if (this.find(high, low) >= 0) return false;
    const n = this.size;
    if ((n + 1) * 3 > this.entries.length) this.grow();
    const entries = this.entries;
    entries[n * 3] = high;
    entries[n * 3 + 1] = low;
    entries[n * 3 + 2] = severity;
    const mask = this.table.length - 1;
    let slot = high & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = n + 1;
    this.size = n + 1;
    return true;
  }

  private find(high: number, low: number): number {
    const table = this.table;
    if (table.length === 0) return -1;
    const entries = this.entries;
    const mask = table.length - 1;
    let slot = high & mask;
    for (;;) {
      const v = table[slot]!;
      if (v === 0) return -1;
      const j = (v - 1) * 3;
      if (entries[j] === high && entries[j + 1] === low) return v - 1;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    // Small sets grow fourfold (fewer reallocations for the many small windows), large ones double.
    const capacity = this.size < 256 ? Math.max(8, this.size * 4) : this.size * 2;
    const entries = new Int32Array(capacity * 3);
    entries.set(this.entries.subarray(0, this.size * 3));
    // Load factor at most one half.
    const table = new Int32Array(capacity * 2);
    const mask = table.length - 1;
    for (let e = 0; e < this.size; e++) {
      let slot = entries[e * 3]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = e + 1;
    }
    this.entries = entries;
    this.table = table;
  }

  /** Hashes as concatenated 16-hex-digit strings, and one severity digit per entry. */
  serialize(): { hashes: string; severities: string } {
    // Hex digits are written as UTF-16 code units into one buffer and turned into a string in
    // large chunks: no intermediate string per hash (that cost more than all the adds).
    const n = this.size;
    const entries = this.entries;
    const codes = codeBuffer(n * 16);
    for (let e = 0; e < n; e++) {
      writeHex32(codes, e * 16, entries[e * 3]!);
      writeHex32(codes, e * 16 + 8, entries[e * 3 + 1]!);
    }
    const hashes = codesToString(codes, n * 16);
    for (let e = 0; e < n; e++) codes[e] = 48 + entries[e * 3 + 2]!;
    return { hashes, severities: codesToString(codes, n) };
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

/**
 * The dedup state of a window: 64-bit hashes of event ids in one open-addressing typed-array table.
 * The ids are kept too (a reference to each id string, compared only when both hash lanes match),
 * so deduplication is exact: two different ids are never taken for one.
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

/** Lowercase hex digits as ASCII bytes. */
const HEX = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
let shared = new Uint8Array(1024);

/** A scratch buffer of at least `length` bytes (reused between calls). */
function codeBuffer(length: number): Uint8Array {
  if (shared.length < length) shared = new Uint8Array(Math.max(length, shared.length * 2));
  return shared;
}

/** Writes `x` as 8 lowercase hex digits at `at`. */
function writeHex32(codes: Uint8Array, at: number, x: number): void {
  for (let i = 7; i >= 0; i--) {
    codes[at + i] = HEX[x & 15]!;
    x >>>= 4;
  }
}

/**
 * ASCII bytes to a string. A native decoder (a web standard, in every runtime this package
 * targets) is about ten times faster here than `String.fromCharCode.apply` over a window's hashes.
 */
const ascii = new TextDecoder();

/** Bytes `from` to `to` (ASCII) as a string. */
function codesToString(codes: Uint8Array, from: number, to: number): string {
  return ascii.decode(codes.subarray(from, to));
}

/** The 64-bit hash of an event id as 16 lowercase hex digits, as stored in `event_hashes`. */
export function hashEventId(id: string): string {
  const out = { high: 0, low: 0 };
  hashIdInto(id, out);
  return hex32(out.high) + hex32(out.low);
}

const scratch: IdHash = { high: 0, low: 0 };

/** Hashes an id into both 32-bit lanes of `out` (see {@link hashIdInto}); injectable for tests. */
export type IdHasher = (id: string, out: IdHash) => void;

/**
 * Storage shared by the id sets of one aggregator: one Int32Array of three-word slots and one
 * array of ids, half as long, cut into power-of-two blocks. A set's table is one block, so a
 * lookup reads the shared, always-hot array objects and then the slot, instead of a typed array
 * object and a backing store of its own (small typed arrays are also slow to allocate and free).
 * Freed blocks are zeroed and kept on a free list per size; memory is the peak in use per size,
 * returned only by `reset()` (the aggregator calls it whenever it holds no window).
 */
export class IdArena {
  /** Per slot: high lane, low lane, `(insertion number << 3 | severity) + 1` (0: free). */
  words = new Int32Array(0);
  /**
   * Half a slot each: a block of `c` slots owns ids `base / 2 .. base / 2 + c / 2` (bases are
   * multiples of 16), one per entry by insertion number (a table is at most half full);
   * `undefined` when unused or restored from a hash.
   */
  ids: (string | undefined)[] = [];
  private top = 0;
  private free: number[][] = [];

  /** Returns the first slot of a zeroed block of `capacity` (a power of two) slots. */
  allocate(capacity: number): number {
    const list = this.free[31 - Math.clz32(capacity)];
    if (list !== undefined && list.length > 0) return list.pop()!;
    const base = this.top;
    if ((base + capacity) * 3 > this.words.length) this.growTo(base + capacity);
    this.top = base + capacity;
    return base;
  }

  /** Zeroes a block and keeps it for reuse. */
  release(base: number, capacity: number): void {
    this.words.fill(0, base * 3, (base + capacity) * 3);
    this.ids.fill(undefined, base >>> 1, (base + capacity) >>> 1);
    (this.free[31 - Math.clz32(capacity)] ??= []).push(base);
  }

  /** Forgets every block; only when no set uses the arena any more. */
  reset(): void {
    this.words = new Int32Array(0);
    this.ids = [];
    this.top = 0;
    this.free = [];
  }

  /** Slots allocated so far (in use or free), for memory accounting. */
  get capacity(): number {
    return this.words.length / 3;
  }

  private growTo(needed: number): void {
    const capacity = Math.max(needed, (this.words.length / 3) * 2, 1024);
    const words = new Int32Array(capacity * 3);
    words.set(this.words);
    this.words = words;
    const ids = this.ids;
    while (ids.length < capacity / 2) ids.push(undefined);
  }
}

/**
 * Exact set of event ids with a small severity index per entry, remembering insertion order.
 * One open-addressing table (linear probing, load at most one half) in a block of an
 * {@link IdArena}: per slot the two 64-bit hash lanes and the tag, and per entry the id. The id is
 * compared only when both hash lanes match, so a collision between two different ids never makes
 * one a duplicate of the other: they get two entries. Entries restored from a serialized state
 * without their ids match by hash alone. Window accumulators extend this class, so an event's
 * window and its id table are one object.
 */
export class IdSet {
  /** Most ids one set holds (the insertion number must fit in 28 bits). */
  static readonly MAX_SIZE = 1 << 28;
  private arena: IdArena;
  /** First slot of this set's block in the arena. */
  private idBase = 0;
  /** Number of slots minus one (a power of two minus one); -1 before the first id. */
  private idMask = -1;
  private readonly hasher: IdHasher;
  /** Number of ids held. */
  idCount = 0;

  constructor(arena: IdArena = new IdArena(), hash: IdHasher = hashIdInto) {
    this.arena = arena;
    this.hasher = hash;
  }

  /** Adds the id; returns false when this id (or a restored entry with its hash) is present. */
  addId(id: string, severity: number): boolean {
    this.hasher(id, scratch);
    const high = scratch.high;
    const low = scratch.low;
    const n = this.idCount;
    if ((n + 1) * 2 > this.idMask + 1) this.growIds();
    const { words, ids } = this.arena;
    const base = this.idBase;
    const mask = this.idMask;
    for (let slot = high & mask; ; slot = (slot + 1) & mask) {
      const i = base + slot;
      const at = i * 3;
      if (words[at + 2] === 0) {
        words[at] = high;
        words[at + 1] = low;
        words[at + 2] = ((n << 3) | severity) + 1;
        ids[(base >>> 1) + n] = id;
        this.idCount = n + 1;
        return true;
      }
      if (words[at] === high && words[at + 1] === low) {
        const known = ids[(base >>> 1) + ((words[at + 2]! - 1) >>> 3)];
        if (known === undefined || known === id) return false;
      }
    }
  }

  /** Whether the id (or a restored entry with its hash) is present. */
  hasId(id: string): boolean {
    const mask = this.idMask;
    if (mask < 0) return false;
    this.hasher(id, scratch);
    const high = scratch.high;
    const low = scratch.low;
    const { words, ids } = this.arena;
    const base = this.idBase;
    for (let slot = high & mask; ; slot = (slot + 1) & mask) {
      const i = base + slot;
      const at = i * 3;
      if (words[at + 2] === 0) return false;
      if (words[at] === high && words[at + 1] === low) {
        const known = ids[(base >>> 1) + ((words[at + 2]! - 1) >>> 3)];
        if (known === undefined || known === id) return true;
      }
    }
  }

  /** The ids in insertion order, `null` for entries restored from a hash. */
  knownIds(): (string | null)[] {
    const out: (string | null)[] = [];
    const ids = this.arena.ids;
    const first = this.idBase >>> 1;
    for (let e = 0; e < this.idCount; e++) out.push(ids[first + e] ?? null);
    return out;
  }

  /** Returns this set's block to the arena and empties the set. */
  releaseIds(): void {
    if (this.idMask >= 0) this.arena.release(this.idBase, this.idMask + 1);
    this.idBase = 0;
    this.idMask = -1;
    this.idCount = 0;
  }

  /** Moves the entries into another arena (a restored window joining an aggregator). */
  adoptArena(arena: IdArena): void {
    if (arena === this.arena) return;
    const capacity = this.idMask + 1;
    if (capacity > 0) {
      const base = arena.allocate(capacity);
      const from = this.arena;
      arena.words.set(from.words.subarray(this.idBase * 3, (this.idBase + capacity) * 3), base * 3);
      for (let e = 0; e < this.idCount; e++) {
        arena.ids[(base >>> 1) + e] = from.ids[(this.idBase >>> 1) + e];
      }
      from.release(this.idBase, capacity);
      this.idBase = base;
    }
    this.arena = arena;
  }

  /** Places an entry without checking for duplicates (restoring or moving a valid set). */
  private insertEntry(high: number, low: number, tag: number): void {
    const words = this.arena.words;
    const mask = this.idMask;
    let slot = high & mask;
    while (words[(this.idBase + slot) * 3 + 2] !== 0) slot = (slot + 1) & mask;
    const i = this.idBase + slot;
    words[i * 3] = high;
    words[i * 3 + 1] = low;
    words[i * 3 + 2] = tag;
  }

  private growIds(): void {
    if (this.idCount >= IdSet.MAX_SIZE) {
      throw new RangeError(`an IdSet holds at most ${IdSet.MAX_SIZE} ids`);
    }
    const old = this.idMask + 1;
    // Small sets grow fourfold (fewer moves for the many small windows), large ones double.
    const capacity = old < 512 ? Math.max(16, old * 4) : old * 2;
    const arena = this.arena;
    const oldBase = this.idBase;
    const base = arena.allocate(capacity);
    this.idBase = base;
    this.idMask = capacity - 1;
    if (old === 0) return;
    for (let i = oldBase; i < oldBase + old; i++) {
      const tag = arena.words[i * 3 + 2]!;
      if (tag !== 0) this.insertEntry(arena.words[i * 3]!, arena.words[i * 3 + 1]!, tag);
    }
    const ids = arena.ids;
    for (let e = 0; e < this.idCount; e++) ids[(base >>> 1) + e] = ids[(oldBase >>> 1) + e];
    arena.release(oldBase, old);
  }

  /** Hashes as concatenated 16-hex-digit strings, and one severity digit per entry. */
  serializeIds(): { hashes: string; severities: string } {
    // Hex digits are written as ASCII bytes into one buffer, at their insertion number, and
    // decoded into two strings at once: no intermediate string per hash.
    const n = this.idCount;
    const words = this.arena.words;
    const codes = codeBuffer(n * 17);
    for (let i = this.idBase; i <= this.idBase + this.idMask; i++) {
      const tag = words[i * 3 + 2]! - 1;
      if (tag < 0) continue;
      const e = tag >>> 3;
      writeHex32(codes, e * 16, words[i * 3]!);
      writeHex32(codes, e * 16 + 8, words[i * 3 + 1]!);
      codes[n * 16 + e] = 48 + (tag & 7);
    }
    return {
      hashes: codesToString(codes, 0, n * 16),
      severities: codesToString(codes, n * 16, n * 17),
    };
  }

  /**
   * Loads `serializeIds()` output (assumed valid) into this empty set, with the ids of its
   * entries when known (`ids[e]` for entry `e`; `null` or missing ones then match by hash alone).
   */
  loadIds(hashes: string, severities: string, ids?: readonly (string | null)[]): void {
    for (let e = 0; e * 16 < hashes.length; e++) {
      const high = parseInt(hashes.slice(e * 16, e * 16 + 8), 16) | 0;
      const low = parseInt(hashes.slice(e * 16 + 8, e * 16 + 16), 16) | 0;
      if ((e + 1) * 2 > this.idMask + 1) this.growIds();
      const tag = ((e << 3) | (severities.charCodeAt(e) - 48)) + 1;
      this.insertEntry(high, low, tag);
      this.arena.ids[(this.idBase >>> 1) + e] = ids?.[e] ?? undefined;
      this.idCount = e + 1;
    }
  }
}

/** Splits a concatenated `event_hashes` string into its 16-digit hashes. */
export function splitHashes(hashes: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < hashes.length; i += 16) out.push(hashes.slice(i, i + 16));
  return out;
}

/**
 * Kafka's default partitioner for keyed records: murmur2 of the key's UTF-8 bytes, made positive,
 * modulo the partition count. Using the same function means a key lands in the same partition
 * number on the embedded bus and on Kafka.
 */
const encoder = new TextEncoder();

/** Kafka's murmur2 hash (seed 0x9747b28c) of `data`, as a signed 32-bit integer. */
export function murmur2(data: Uint8Array): number {
  return murmur2Of(data, data.length);
}

/** murmur2 of the first `length` bytes of `data`. */
function murmur2Of(data: Uint8Array, length: number): number {
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & 3;
  if (tail === 3) h ^= data[whole + 2]! << 16;
  if (tail >= 2) h ^= data[whole + 1]! << 8;
  if (tail >= 1) {
    h ^= data[whole]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * Scratch bytes for ASCII keys. Most keys are ASCII (hex hashes, service names); encoding each
 * through TextEncoder allocated a buffer per record on the producer's hot path.
 */
let scratch = new Uint8Array(128);

/** murmur2 of the UTF-8 bytes of `key`, without allocating when it is ASCII. */
function murmur2OfString(key: string): number {
  const n = key.length;
  if (n > scratch.length) scratch = new Uint8Array(Math.max(n, scratch.length * 2));
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c > 0x7f) return murmur2(encoder.encode(key));
    scratch[i] = c;
  }
  return murmur2Of(scratch, n);
}

/** The partition of `key` among `partitions` partitions (Kafka's `toPositive(murmur2) % n`). */
export function partitionForKey(key: string, partitions: number): number {
  return (murmur2OfString(key) & 0x7fffffff) % partitions;
}

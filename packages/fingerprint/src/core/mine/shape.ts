/** Message shapes: a message with every digit read as `0`, for the miner's lookup cache. */

/**
 * A 30-bit hash of (service, message) where every ASCII digit counts as `0`: messages that differ
 * only in digits mask to the same template words with variables at the same offsets. Collisions
 * only cost a cache miss (a hit is verified with `sameShape`); 30 bits keep the key a small integer.
 */
export function shapeHash(service: string, message: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < service.length; i++) h = Math.imul(h ^ service.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0xffff, 0x01000193);
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    h = Math.imul(h ^ ((c - 48) >>> 0 < 10 ? 48 : c), 0x01000193);
  }
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/** True when `a` and `b` are equal except that any digit equals any digit. */
export function sameShape(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && !(x >= 48 && x <= 57 && y >= 48 && y <= 57)) return false;
  }
  return true;
}

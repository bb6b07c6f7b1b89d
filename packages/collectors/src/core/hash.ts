/**
 * A fast, deterministic 128-bit non-cryptographic hash (four MurmurHash3-style 32-bit lanes over
 * UTF-16 code units) used for idempotency keys. Pure: same input, same output, on every platform.
 */
export function hash128(text: string): string {
  let h1 = 0x9747b28c;
  let h2 = 0x85ebca6b;
  let h3 = 0xc2b2ae35;
  let h4 = 0x27d4eb2f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0xcc9e2d51);
    h1 = (h1 << 15) | (h1 >>> 17);
    h2 = Math.imul(h2 ^ c, 0x1b873593);
    h2 = (h2 << 13) | (h2 >>> 19);
    h3 = Math.imul(h3 ^ c, 0x38b34ae5);
    h3 = (h3 << 17) | (h3 >>> 15);
    h4 = Math.imul(h4 ^ c, 0xa1e38b93);
    h4 = (h4 << 11) | (h4 >>> 21);
    h1 = (h1 + h2) | 0;
    h2 = (h2 + h3) | 0;
    h3 = (h3 + h4) | 0;
    h4 = (h4 + h1) | 0;
  }
  const n = text.length;
  return [fmix(h1 ^ n), fmix(h2 ^ (n * 3)), fmix(h3 ^ (n * 5)), fmix(h4 ^ (n * 7))]
    .map((h) => (h >>> 0).toString(16).padStart(8, '0'))
    .join('');
}

function fmix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x;
}

/** Builds a deterministic `event_id`: the source name plus a hash of the item's stable identity. */
export function toEventId(source: string, identity: readonly (string | number | null)[]): string {
  return `${source}:${hash128(identity.map((p) => (p === null ? '\u0000' : String(p))).join('\u001f'))}`;
}

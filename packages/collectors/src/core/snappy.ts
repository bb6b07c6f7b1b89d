import { fail, ok, type Result } from './errors.ts';

/**
 * Snappy block format (https://github.com/google/snappy/blob/main/format_description.txt),
 * implemented from the published description: pure, bounded and never throwing on bad input.
 */

/** Decompresses a snappy block; refuses outputs above `maxBytes`. */
export function snappyDecompress(input: Uint8Array, maxBytes: number): Result<Uint8Array> {
  let pos = 0;
  let length = 0;
  let shift = 0;
  for (;;) {
    if (pos >= input.length) return fail('BAD_SNAPPY', 'snappy: truncated length preamble');
    const b = input[pos++]!;
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
    shift += 7;
    if (shift > 28) return fail('BAD_SNAPPY', 'snappy: length preamble too long');
  }
  if (length > maxBytes) {
    return fail('PAYLOAD_TOO_LARGE', `snappy: ${length} bytes uncompressed exceeds ${maxBytes}`);
  }
  const out = new Uint8Array(length);
  let o = 0;
  while (pos < input.length) {
    const tag = input[pos++]!;
    const type = tag & 3;
    if (type === 0) {
      let len = (tag >>> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        if (pos + extra > input.length) return fail('BAD_SNAPPY', 'snappy: truncated literal');
        len = 0;
        for (let i = 0; i < extra; i++) len += input[pos + i]! * 2 ** (8 * i);
        len += 1;
        pos += extra;
      }
      if (pos + len > input.length) return fail('BAD_SNAPPY', 'snappy: truncated literal');
      if (o + len > length) return fail('BAD_SNAPPY', 'snappy: literal overruns output');
      out.set(input.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (type === 1) {
      if (pos + 1 > input.length) return fail('BAD_SNAPPY', 'snappy: truncated copy');
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos]!;
      pos += 1;
    } else if (type === 2) {
      if (pos + 2 > input.length) return fail('BAD_SNAPPY', 'snappy: truncated copy');
      len = (tag >>> 2) + 1;
      offset = input[pos]! | (input[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > input.length) return fail('BAD_SNAPPY', 'snappy: truncated copy');
      len = (tag >>> 2) + 1;
      offset =
        (input[pos]! | (input[pos + 1]! << 8) | (input[pos + 2]! << 16)) +
        input[pos + 3]! * 0x1000000;
      pos += 4;
    }
    if (offset === 0 || offset > o) return fail('BAD_SNAPPY', 'snappy: copy offset out of range');
    if (o + len > length) return fail('BAD_SNAPPY', 'snappy: copy overruns output');
    for (let i = 0; i < len; i++, o++) out[o] = out[o - offset]!;
  }
  if (o !== length) return fail('BAD_SNAPPY', `snappy: produced ${o} of ${length} bytes`);
  return ok(out);
}

const HASH_BITS = 14;

/** Compresses bytes into a snappy block (greedy 4-byte matches within 64 KiB). */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let n = input.length;
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  const table = new Int32Array(1 << HASH_BITS).fill(-1);
  let literalStart = 0;
  let i = 0;
  const end = input.length - 4;
  while (i <= end) {
    const word =
      (input[i]! | (input[i + 1]! << 8) | (input[i + 2]! << 16) | (input[i + 3]! << 24)) >>> 0;
    const h = Math.imul(word, 0x1e35a7bd) >>> (32 - HASH_BITS);
    const candidate = table[h]!;
    table[h] = i;
    if (
      candidate >= 0 &&
      i - candidate <= 0xffff &&
      input[candidate] === input[i] &&
      input[candidate + 1] === input[i + 1] &&
      input[candidate + 2] === input[i + 2] &&
      input[candidate + 3] === input[i + 3]
    ) {
      emitLiteral(out, input.subarray(literalStart, i));
      let len = 4;
      while (i + len < input.length && input[candidate + len] === input[i + len]) len++;
      emitCopy(out, i - candidate, len);
      i += len;
      literalStart = i;
    } else {
      i++;
    }
  }
  emitLiteral(out, input.subarray(literalStart));
  return Uint8Array.from(out);
}

function emitLiteral(out: number[], literal: Uint8Array): void {
  let start = 0;
  const to = literal.length;
  while (start < to) {
    const len = Math.min(to - start, 65536);
    const n = len - 1;
    if (n < 60) out.push(n << 2);
    else if (n < 256) out.push(60 << 2, n);
    else out.push(61 << 2, n & 0xff, n >>> 8);
    for (let k = start; k < start + len; k++) out.push(literal[k]!);
    start += len;
  }
}

function emitCopy(out: number[], offset: number, length: number): void {
  let len = length;
  while (len > 0) {
    const chunk = len > 64 ? (len - 64 < 4 ? 60 : 64) : len;
    out.push(((chunk - 1) << 2) | 2, offset & 0xff, offset >>> 8);
    len -= chunk;
  }
}

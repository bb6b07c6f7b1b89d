import fc from 'fast-check';
import { compressSync, uncompressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import { snappyCompress, snappyDecompress } from './snappy.ts';

const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  // Repetitive input exercises the copy paths.
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 300 }))
    .map(([chunk, n]) =>
      Uint8Array.from({ length: chunk.length * n }, (_, i) => chunk[i % chunk.length]!),
    ),
);

describe('snappy block format', () => {
  it('decompresses what the reference (native) snappy compresses', () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const out = snappyDecompress(compressSync(Buffer.from(input)), 1 << 24);
        expect(out.ok && Buffer.from(out.value).equals(Buffer.from(input))).toBe(true);
      }),
    );
  });

  it('compresses into blocks the reference snappy decompresses, and repetition shrinks', () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const compressed = snappyCompress(input);
        expect(
          Buffer.from(uncompressSync(Buffer.from(compressed)) as Buffer).equals(Buffer.from(input)),
        ).toBe(true);
      }),
    );
    expect(snappyCompress(new Uint8Array(10_000).fill(7)).length).toBeLessThan(600);
  });

  it('returns a typed error, never throws, for truncated or random blocks', () => {
    fc.assert(
      fc.property(bytes, fc.nat(), (input, cut) => {
        const compressed = compressSync(Buffer.from(input));
        const truncated = compressed.subarray(0, cut % Math.max(1, compressed.length));
        const out = snappyDecompress(truncated, 1 << 24);
        if (!out.ok) expect(['BAD_SNAPPY', 'PAYLOAD_TOO_LARGE']).toContain(out.error.code);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        const out = snappyDecompress(junk, 1 << 20);
        if (!out.ok) expect(['BAD_SNAPPY', 'PAYLOAD_TOO_LARGE']).toContain(out.error.code);
      }),
    );
  });

  it('refuses a declared length above the cap before allocating', () => {
    const out = snappyDecompress(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f), 1024);
    expect(!out.ok && out.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeHash } from '../../adapters/node/hash.ts';
import { hmacSha256Hex, sha256Hex } from './sha256.ts';

describe('portable SHA-256', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('agrees with node:crypto for any text and key', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ maxLength: 100 }),
        (text, key) => {
          expect(sha256Hex(text)).toBe(nodeHash.sha256(text));
          expect(hmacSha256Hex(key, text)).toBe(nodeHash.hmacSha256(key, text));
        },
      ),
      { numRuns: 200 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashEventId, IdSet, splitHashes } from './id-set.ts';

describe('IdSet', () => {
  it('behaves like a Set of ids (no collisions among generated ids)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 300 }), (ids) => {
        const set = new IdSet();
        const reference = new Set<string>();
        for (const id of ids) {
          expect(set.add(id, id.length % 7)).toBe(!reference.has(id));
          reference.add(id);
        }
        expect(set.size).toBe(reference.size);
        for (const id of ids) expect(set.has(id)).toBe(true);
        expect(set.has('\u0000not-there')).toBe(reference.has('\u0000not-there'));
      }),
    );
  });

  it('serializes hashes and severities in insertion order and back', () => {
    const set = new IdSet();
    ['a', 'b', 'c'].forEach((id, i) => set.add(id, i + 4));
    const { hashes, severities } = set.serialize();
    expect(splitHashes(hashes)).toEqual(['a', 'b', 'c'].map(hashEventId));
    expect(severities).toBe('456');
    const back = IdSet.deserialize(hashes, severities);
    expect(back.serialize()).toEqual({ hashes, severities });
    expect(back.has('b')).toBe(true);
    expect(back.add('d', 0)).toBe(true);
  });

  it('serializes sets larger than one conversion chunk exactly', () => {
    const set = new IdSet();
    const ids = Array.from({ length: 3_000 }, (_, i) => `id-${i}`);
    ids.forEach((id, i) => set.add(id, i % 7));
    const { hashes, severities } = set.serialize();
    expect(hashes).toBe(ids.map(hashEventId).join(''));
    expect(severities).toBe(ids.map((_, i) => String(i % 7)).join(''));
    expect(IdSet.deserialize(hashes, severities).serialize()).toEqual({ hashes, severities });
  });

  it('gives 400k UUID-like and high-bit ids distinct 64-bit hashes, and each 32-bit lane spreads evenly', () => {
    const seen = new Set<string>();
    const highBuckets = new Array<number>(16).fill(0);
    for (let i = 0; i < 200_000; i++) {
      const h = hashEventId(`0190a5c4-7b1e-7000-9${i.toString(16).padStart(15, '0')}`);
      seen.add(h);
      highBuckets[parseInt(h[0]!, 16)]!++;
      // Also ids that differ only in one high code unit bit.
      seen.add(hashEventId(`\u8000${i}`));
    }
    expect(seen.size).toBe(400_000);
    for (const n of highBuckets) expect(Math.abs(n - 12_500)).toBeLessThan(600);
  });
});

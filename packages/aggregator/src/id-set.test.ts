import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashEventId, IdArena, IdSet, splitHashes, type IdHash } from './id-set.ts';

describe('IdSet', () => {
  it('behaves like a Set of ids (no collisions among generated ids)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 300 }), (ids) => {
        const set = new IdSet();
        const reference = new Set<string>();
        for (const id of ids) {
          expect(set.addId(id, id.length % 7)).toBe(!reference.has(id));
          reference.add(id);
        }
        expect(set.idCount).toBe(reference.size);
        for (const id of ids) expect(set.hasId(id)).toBe(true);
        expect(set.hasId('\u0000not-there')).toBe(reference.has('\u0000not-there'));
      }),
    );
  });

  it('serializes hashes and severities in insertion order and back', () => {
    const set = new IdSet();
    ['a', 'b', 'c'].forEach((id, i) => set.addId(id, i + 4));
    const { hashes, severities } = set.serializeIds();
    expect(splitHashes(hashes)).toEqual(['a', 'b', 'c'].map(hashEventId));
    expect(severities).toBe('456');
    const back = new IdSet();
    back.loadIds(hashes, severities);
    expect(back.serializeIds()).toEqual({ hashes, severities });
    expect(back.hasId('b')).toBe(true);
    expect(back.addId('d', 0)).toBe(true);
  });

  it('serializes sets larger than one conversion chunk exactly', () => {
    const set = new IdSet();
    const ids = Array.from({ length: 3_000 }, (_, i) => `id-${i}`);
    ids.forEach((id, i) => set.addId(id, i % 7));
    const { hashes, severities } = set.serializeIds();
    expect(hashes).toBe(ids.map(hashEventId).join(''));
    expect(severities).toBe(ids.map((_, i) => String(i % 7)).join(''));
    const back = new IdSet();
    back.loadIds(hashes, severities);
    expect(back.serializeIds()).toEqual({ hashes, severities });
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

  // A hash that maps every id to one of `lanes` values, so collisions are certain.
  const weakHash =
    (lanes: number) =>
    (id: string, out: IdHash): void => {
      out.high = id.length % lanes;
      out.low = 0;
    };

  it('never takes a distinct id for a duplicate, even when every 64-bit hash collides', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 3 }),
        (ids, lanes) => {
          const set = new IdSet(new IdArena(), weakHash(lanes));
          const reference = new Set<string>();
          for (const id of ids) {
            expect(set.addId(id, 1)).toBe(!reference.has(id));
            reference.add(id);
            expect(set.hasId(id)).toBe(true);
          }
          expect(set.idCount).toBe(reference.size);
          expect(set.hasId('\u0000absent')).toBe(false);
          expect(set.knownIds()).toEqual([...reference]);
        },
      ),
    );
  });

  it('keeps colliding ids apart after a restore that carries the ids', () => {
    const set = new IdSet(new IdArena(), weakHash(1));
    for (const id of ['a', 'b', 'c']) expect(set.addId(id, 3)).toBe(true);
    const { hashes, severities } = set.serializeIds();
    const back = new IdSet(new IdArena(), weakHash(1));
    back.loadIds(hashes, severities, set.knownIds());
    expect(back.addId('b', 3)).toBe(false);
    expect(back.addId('d', 3)).toBe(true);
    // Without the ids a restored entry can only match by hash.
    const hashOnly = new IdSet(new IdArena(), weakHash(1));
    hashOnly.loadIds(hashes, severities);
    expect(hashOnly.addId('z', 3)).toBe(false);
  });

  it('shares one arena among many sets, reuses released blocks and stays exact', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(7), fc.nat(60), fc.boolean()), { maxLength: 600 }),
        (ops) => {
          const arena = new IdArena();
          const sets = Array.from({ length: 8 }, () => new IdSet(arena));
          const refs = sets.map(() => new Set<string>());
          for (const [s, id, release] of ops) {
            if (release && id % 13 === 0) {
              sets[s]!.releaseIds();
              refs[s]!.clear();
              continue;
            }
            const key = `id-${id}`;
            expect(sets[s]!.addId(key, id % 7)).toBe(!refs[s]!.has(key));
            refs[s]!.add(key);
          }
          for (const [s, set] of sets.entries()) {
            expect(set.knownIds()).toEqual([...refs[s]!]);
            const { hashes } = set.serializeIds();
            expect(splitHashes(hashes)).toEqual([...refs[s]!].map(hashEventId));
          }
          // Peak use: 8 sets of at most 61 ids, tables of at most 256 slots, one freed block each.
          expect(arena.capacity).toBeLessThanOrEqual(8 * 2 * (16 + 64 + 256) + 1024);
        },
      ),
    );
  });
});

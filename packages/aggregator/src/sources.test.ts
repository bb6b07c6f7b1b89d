import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashSource, mergeSketches, SourceCounter, SourceInterner, toSketch } from './sources.ts';

describe('SourceCounter', () => {
  it('counts exactly up to its capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 200 }), (values) => {
        const counter = new SourceCounter(64);
        for (const v of values) counter.add(v);
        const distinct = new Set(values).size;
        if (distinct <= 64) {
          expect(counter.exact).not.toBeNull();
          expect(counter.count()).toBe(distinct);
        } else {
          expect(counter.exact).toBeNull();
        }
      }),
    );
  });

  it('stays exact when counters share an interner that fills up, and after adopting another', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2), fc.string({ maxLength: 3 })), { maxLength: 120 }),
        fc.nat(6),
        (adds, capacity) => {
          const interner = new SourceInterner(capacity);
          const counters = [0, 1, 2].map(() => new SourceCounter(64, interner));
          const reference = [0, 1, 2].map(() => new Set<string>());
          for (const [c, v] of adds) {
            counters[c]!.add(v);
            reference[c]!.add(v);
          }
          expect(interner.size).toBeLessThanOrEqual(capacity);
          const other = new SourceInterner(1);
          for (const [c, counter] of counters.entries()) {
            expect(counter.values()).toEqual([...reference[c]!]);
            counter.adopt(other);
            for (const [d, v] of adds) if (d === c) counter.add(v);
            expect(counter.values()).toEqual([...reference[c]!]);
          }
        },
      ),
    );
  });

  it('estimates large counts within 3 standard errors (capacity 128, about 9%)', () => {
    for (const n of [500, 5_000, 50_000]) {
      const counter = new SourceCounter(128);
      for (let i = 0; i < n; i++) counter.add(`host-${i}.example`);
      for (let i = 0; i < n; i += 7) counter.add(`host-${i}.example`);
      expect(Math.abs(counter.count() - n) / n).toBeLessThan(3 / Math.sqrt(126));
    }
  });

  it('merging sketches equals sketching the union', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 5 }), { maxLength: 80 }),
        fc.array(fc.string({ maxLength: 5 }), { maxLength: 80 }),
        (a, b) => {
          expect(mergeSketches(toSketch(a, 16), toSketch(b, 16), 16)).toEqual(
            toSketch([...a, ...b], 16),
          );
        },
      ),
    );
  });

  it('hashes are unsigned 32-bit and spread', () => {
    const hashes = Array.from({ length: 1000 }, (_, i) => hashSource(`pod-${i}`));
    expect(hashes.every((h) => Number.isInteger(h) && h >= 0 && h < 2 ** 32)).toBe(true);
    expect(new Set(hashes).size).toBe(1000);
    expect(hashes.filter((h) => h < 2 ** 31).length).toBeGreaterThan(430);
    expect(hashes.filter((h) => h < 2 ** 31).length).toBeLessThan(570);
  });
});

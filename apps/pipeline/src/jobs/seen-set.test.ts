import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeenSet } from './seen-set.ts';

describe('createSeenSet', () => {
  it('never holds more than its capacity and forgets the least recently used key first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 12 })), { maxLength: 80 }),
        (capacity, ops) => {
          const seen = createSeenSet(capacity);
          const model: string[] = []; // least recently used first
          for (const [isAdd, n] of ops) {
            const key = `k${n}`;
            const at = model.indexOf(key);
            if (isAdd) {
              seen.add(key);
              if (at >= 0) model.splice(at, 1);
              model.push(key);
              if (model.length > capacity) model.shift();
            } else {
              expect(seen.has(key)).toBe(at >= 0);
              if (at >= 0) model.push(...model.splice(at, 1));
            }
            expect(seen.size).toBe(model.length);
            expect(seen.size).toBeLessThanOrEqual(capacity);
          }
        },
      ),
    );
  });

  it('refuses a capacity below 1', () => {
    expect(() => createSeenSet(0)).toThrow(/capacity/);
  });
});

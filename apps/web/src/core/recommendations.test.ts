import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecommendationView } from '../api/types.ts';
import { latestApprovedPerSli } from './recommendations.ts';

const rec = (id: string, sliId: string, status: string, decidedAtMs: number | null) =>
  ({ id, sliId, status, decidedAtMs }) as unknown as RecommendationView;

describe('latestApprovedPerSli', () => {
  it('keeps the newest approval of each SLI and nothing else', () => {
    const out = latestApprovedPerSli([
      rec('a1', 'a', 'approved', 10),
      rec('a2', 'a', 'approved', 20),
      rec('a3', 'a', 'rejected', 30),
      rec('b1', 'b', 'proposed', null),
      rec('c1', 'c', 'approved', 5),
    ]);
    expect(out.map((r) => r.id).sort()).toEqual(['a2', 'c1']);
  });

  it('returns one approved recommendation per SLI that has any', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            sli: fc.constantFrom('x', 'y', 'z'),
            status: fc.constantFrom('approved', 'rejected', 'proposed'),
            at: fc.integer({ min: 0, max: 1000 }),
          }),
        ),
        (rows) => {
          const recs = rows.map((r, i) => rec(`r${i}`, r.sli, r.status, r.at));
          const out = latestApprovedPerSli(recs);
          const slis = new Set(recs.filter((r) => r.status === 'approved').map((r) => r.sliId));
          expect(out.map((r) => r.sliId).sort()).toEqual([...slis].sort());
          for (const r of out) {
            expect(r.status).toBe('approved');
            const newest = Math.max(
              ...recs
                .filter((x) => x.sliId === r.sliId && x.status === 'approved')
                .map((x) => x.decidedAtMs ?? 0),
            );
            expect(r.decidedAtMs).toBe(newest);
          }
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capsuleWindowArb, fingerprintArb, serviceArb } from '../../test/arbitraries.ts';
import { toCapsuleDocument, type CapsuleInput } from './capsule.ts';
import type { EmbeddedCapsule } from './embedder.ts';
import { hashEmbed } from './local-embedder.ts';
import {
  cosineSimilarity,
  createMemoryVectorStore,
  matchesFilter,
  type VectorFilter,
} from './vector-store.ts';

const info = { name: 'capsules', model: 'slo-scout/feature-hash-v1-16', dimension: 16 };

function embedded(window: CapsuleInput): EmbeddedCapsule {
  const doc = toCapsuleDocument(window);
  if (!doc.ok) throw doc.error;
  return { document: doc.value, vector: hashEmbed(doc.value.text, 16), model: info.model };
}

const filterArb: fc.Arbitrary<VectorFilter> = fc.record(
  {
    services: fc.array(serviceArb, { minLength: 1, maxLength: 2 }),
    fingerprints: fc.array(fingerprintArb, { minLength: 1, maxLength: 3 }),
    fromMs: fc.integer({ min: 1_700_000_000_000, max: 1_700_600_000_000 }),
    toMs: fc.integer({ min: 1_700_000_000_000, max: 1_700_600_000_000 }),
    minSeverity: fc.integer({ min: 0, max: 24 }),
  },
  { requiredKeys: [] },
);

describe('memory vector store', () => {
  it('returns exactly the filtered brute-force top k, closest first', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(capsuleWindowArb, { maxLength: 30 }),
        filterArb,
        fc.integer({ min: 1, max: 10 }),
        async (windows, filter, limit) => {
          const store = createMemoryVectorStore(info);
          const records = windows.map(embedded);
          await store.upsert(records);
          const query = hashEmbed('payment failed', 16);
          const result = await store.search({ vector: query, limit, filter });
          if (!result.ok) throw result.error;
          const unique = new Map(records.map((r) => [r.document.id, r]));
          const expected = [...unique.values()]
            .filter((r) => matchesFilter({ ...r.document }, filter))
            .map((r) => cosineSimilarity(query, r.vector))
            .sort((a, b) => b - a)
            .slice(0, limit);
          expect(result.value.map((h) => h.similarity)).toEqual(expected);
          for (const hit of result.value) expect(matchesFilter(hit.capsule, filter)).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('refuses records of another model, size, or without the redaction mark', async () => {
    const store = createMemoryVectorStore(info);
    const [w] = fc.sample(capsuleWindowArb, { numRuns: 1, seed: 5 });
    const good = embedded(w!);
    const wrongModel = await store.upsert([good, { ...good, model: 'other' }]);
    expect(!wrongModel.ok && wrongModel.error.code).toBe('MODEL_MISMATCH');
    const wrongDim = await store.upsert([{ ...good, vector: new Float32Array(8) }]);
    expect(!wrongDim.ok && wrongDim.error.code).toBe('DIMENSION_MISMATCH');
    const forged = {
      ...good,
      document: { ...good.document, redactionApplied: false as unknown as true },
    };
    const unredacted = await store.upsert([forged]);
    expect(!unredacted.ok && unredacted.error.code).toBe('UNREDACTED_INPUT');
    const count = await store.count();
    expect(count.ok && count.value).toBe(0);
    const badQuery = await store.search({ vector: new Float32Array(3), limit: 1 });
    expect(!badQuery.ok && badQuery.error.code).toBe('DIMENSION_MISMATCH');
  });

  it('validates the collection name and dimension', () => {
    expect(() => createMemoryVectorStore({ ...info, name: 'bad name;' })).toThrow(
      /collection name/,
    );
    expect(() => createMemoryVectorStore({ ...info, dimension: 0 })).toThrow(/dimension/);
  });
});

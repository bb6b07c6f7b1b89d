import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity } from './vector-store.ts';
import {
  createLocalEmbeddingProvider,
  hashEmbed,
  LOCAL_EMBEDDER_MODEL,
  tokenize,
} from './local-embedder.ts';

const norm = (v: Float32Array): number => Math.hypot(...v);

describe('local feature-hashing embedder', () => {
  it('gives 384 unit-length, deterministic components for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const a = hashEmbed(text);
        expect(a.length).toBe(384);
        expect(norm(a)).toBeCloseTo(1, 5);
        expect(Array.from(hashEmbed(text))).toEqual(Array.from(a));
      }),
    );
  });

  it('stays unit length in small dimensions where features may cancel', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.integer({ min: 8, max: 16 }), (text, dim) => {
        expect(norm(hashEmbed(text, dim))).toBeCloseTo(1, 5);
      }),
    );
  });

  it('ranks templates sharing words above unrelated ones', () => {
    const q = hashEmbed('payment to <*> failed: card declined');
    const near = hashEmbed('payment to <*> failed: timeout');
    const far = hashEmbed('disk usage on <*> above threshold');
    expect(cosineSimilarity(q, near)).toBeGreaterThan(cosineSimilarity(q, far) + 0.3);
  });

  it('is case-insensitive and keeps placeholders whole', () => {
    expect(tokenize('User <IP> LOGIN_ok')).toEqual(['user', '<ip>', 'login_ok']);
    expect(Array.from(hashEmbed('Disk FULL'))).toEqual(Array.from(hashEmbed('disk full')));
  });

  it('provides vectors through the provider interface and validates its options', async () => {
    const provider = createLocalEmbeddingProvider();
    expect(provider.model).toBe(LOCAL_EMBEDDER_MODEL);
    const [v] = await provider.embedBatch(['x']);
    expect(Array.from(v!)).toEqual(Array.from(hashEmbed('x')));
    expect(() => createLocalEmbeddingProvider({ dimension: 3 })).toThrow(/dimension/);
  });
});

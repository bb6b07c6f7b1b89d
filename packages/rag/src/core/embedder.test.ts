import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capsuleEventArb } from '../../test/arbitraries.ts';
import { RagError } from '../errors.ts';
import { backoffDelay, createEmbedder, type EmbeddingProvider } from './embedder.ts';

function fakeProvider(dimension: number, failures = 0, error: unknown = new Error('boom')) {
  const calls: number[] = [];
  let failed = 0;
  const provider: EmbeddingProvider = {
    model: 'fake',
    dimension,
    embedBatch(texts) {
      calls.push(texts.length);
      if (failed < failures) {
        failed++;
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return Promise.resolve(
        texts.map((t) => Array.from({ length: dimension }, (_, i) => t.length + i)),
      );
    },
  };
  return { provider, calls };
}

describe('createEmbedder', () => {
  it('splits any input into batches of at most batchSize and keeps order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string(), { maxLength: 350 }),
        fc.integer({ min: 1, max: 120 }),
        async (texts, batchSize) => {
          const { provider, calls } = fakeProvider(4);
          const result = await createEmbedder(provider, { batchSize }).embed(texts);
          if (!result.ok) throw result.error;
          expect(result.value.map((v) => v[0])).toEqual(texts.map((t) => t.length));
          expect(calls.every((n) => n <= batchSize)).toBe(true);
          expect(calls.reduce((a, b) => a + b, 0)).toBe(texts.length);
          expect(calls.length).toBe(Math.ceil(texts.length / batchSize));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('uses batches of 100 by default', async () => {
    const { provider, calls } = fakeProvider(2);
    await createEmbedder(provider).embed(Array.from({ length: 250 }, () => 'x'));
    expect(calls).toEqual([100, 100, 50]);
  });

  it('retries with exponential backoff, then succeeds', async () => {
    const { provider, calls } = fakeProvider(2, 2);
    const sleeps: number[] = [];
    const embedder = createEmbedder(provider, {
      baseDelayMs: 100,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    const result = await embedder.embed(['a']);
    expect(result.ok).toBe(true);
    expect(sleeps).toEqual([100, 200]);
    expect(calls).toEqual([1, 1, 1]);
  });

  it('gives up after maxRetries with EMBEDDING_FAILED and the last error as cause', async () => {
    const { provider, calls } = fakeProvider(2, 10);
    const result = await createEmbedder(provider, {
      maxRetries: 2,
      sleep: () => Promise.resolve(),
    }).embed(['a']);
    expect(calls.length).toBe(3);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('EMBEDDING_FAILED');
      expect(result.error.cause).toBeInstanceOf(RagError);
    }
  });

  it('does not retry errors marked non-retryable', async () => {
    const { provider, calls } = fakeProvider(2, 10, new RagError('EMBEDDING_FAILED', 'bad key'));
    const result = await createEmbedder(provider, { sleep: () => Promise.resolve() }).embed(['a']);
    expect(calls.length).toBe(1);
    expect(!result.ok && result.error.message).toBe('bad key');
  });

  it('refuses vectors of the wrong size or with non-finite components', async () => {
    const wrong: EmbeddingProvider = {
      model: 'm',
      dimension: 3,
      embedBatch: (t) => Promise.resolve(t.map(() => [1, 2])),
    };
    const r1 = await createEmbedder(wrong).embed(['a']);
    expect(!r1.ok && r1.error.code).toBe('DIMENSION_MISMATCH');
    const nan: EmbeddingProvider = {
      model: 'm',
      dimension: 2,
      embedBatch: (t) => Promise.resolve(t.map(() => [1, Number.NaN])),
    };
    const r2 = await createEmbedder(nan).embed(['a']);
    expect(!r2.ok && r2.error.code).toBe('EMBEDDING_FAILED');
    const short: EmbeddingProvider = {
      model: 'm',
      dimension: 2,
      embedBatch: () => Promise.resolve([]),
    };
    const r3 = await createEmbedder(short).embed(['a']);
    expect(!r3.ok && r3.error.code).toBe('EMBEDDING_FAILED');
  });

  it('refuses a batch of capsules when any one is unredacted, before calling the model', async () => {
    const { provider, calls } = fakeProvider(2);
    const events = fc.sample(capsuleEventArb, { numRuns: 5, seed: 9 });
    const bad = [...events, { ...events[0]!, redaction_applied: false }];
    const result = await createEmbedder(provider).embedCapsules(bad);
    expect(!result.ok && result.error.code).toBe('UNREDACTED_INPUT');
    expect(calls).toEqual([]);
    const good = await createEmbedder(provider).embedCapsules(events);
    expect(good.ok && good.value.map((e) => e.document.template)).toEqual(
      events.map((e) => e.template),
    );
  });

  it('validates its options when created', () => {
    const { provider } = fakeProvider(2);
    expect(() => createEmbedder(provider, { batchSize: 0 })).toThrow(RagError);
    expect(() => createEmbedder(provider, { maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => createEmbedder({ ...provider, model: '' })).toThrow(/model/);
  });

  it('caps and jitters backoff delays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (attempt, r) => {
          const exact = backoffDelay(attempt, { baseDelayMs: 250, maxDelayMs: 8000 });
          expect(exact).toBeLessThanOrEqual(8000);
          expect(
            backoffDelay(attempt, { baseDelayMs: 250, maxDelayMs: 8000, random: () => r }),
          ).toBeLessThanOrEqual(exact);
        },
      ),
    );
  });
});

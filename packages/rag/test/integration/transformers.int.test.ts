/**
 * The MiniLM loading path (transformers.js, local files only) with a tiny model this test writes,
 * so nothing is downloaded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../src/index.ts';
import { loadTransformersEmbeddingProvider } from '../../src/adapters/transformers/index.ts';
import { expectedEmbedding, writeTinyModel } from '../fixtures/tiny-model.ts';

const root = mkdtempSync(join(tmpdir(), 'rag-model-'));
const dir = join(root, 'tiny-minilm');
const table = writeTinyModel(dir, 8);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('transformers.js provider', () => {
  it('loads from the local directory and mean-pools and normalises token embeddings', async () => {
    const provider = await loadTransformersEmbeddingProvider({ modelDir: dir, dimension: 8 });
    expect(provider.model).toBe('tiny-minilm');
    const embedder = createEmbedder(provider, { batchSize: 2 });
    const r = await embedder.embed(['Payment failed', 'disk full retry', 'unknown words']);
    if (!r.ok) throw r.error;
    const expected = [
      ['payment', 'failed'],
      ['disk', 'full', 'retry'],
      ['unknown', 'words'],
    ];
    r.value.forEach((v, i) => {
      const want = expectedEmbedding(table, 8, expected[i]!);
      Array.from(v).forEach((x, j) => {
        expect(x).toBeCloseTo(want[j]!, 5);
      });
    });
  });

  it('refuses a model whose width differs from the configured dimension', async () => {
    const provider = await loadTransformersEmbeddingProvider({ modelDir: dir });
    const r = await createEmbedder(provider, { sleep: () => Promise.resolve() }).embed(['payment']);
    expect(!r.ok && r.error.code).toBe('DIMENSION_MISMATCH');
  });

  it('fails with MODEL_LOAD_FAILED for a directory without a model, never downloading', async () => {
    await expect(
      loadTransformersEmbeddingProvider({ modelDir: join(root, 'Xenova-all-MiniLM-L6-v2') }),
    ).rejects.toMatchObject({
      code: 'MODEL_LOAD_FAILED',
    });
  });
});

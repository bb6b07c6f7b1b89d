/**
 * MiniLM (all-MiniLM-L6-v2) and other sentence-embedding models through transformers.js, loaded
 * only from a local directory: remote models are switched off, so nothing is downloaded at run time.
 * The directory holds `config.json`, `tokenizer.json`, `tokenizer_config.json` and
 * `onnx/model.onnx` (or `onnx/model_quantized.onnx` with `dtype: 'q8'`).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RagError } from '../../errors.ts';
import type { EmbeddingProvider } from '../../core/embedder.ts';

/** Options of {@link loadTransformersEmbeddingProvider}. */
export interface TransformersEmbedderOptions {
  /** The model directory (e.g. `/models/all-MiniLM-L6-v2`). */
  readonly modelDir: string;
  /** Name recorded with the vectors. Default: the directory's name. */
  readonly model?: string;
  /** Expected vector length; checked against the model's output. Default 384. */
  readonly dimension?: number;
  /** ONNX weights variant. Default `fp32` (`onnx/model.onnx`). */
  readonly dtype?: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';
}

/** Loads a local sentence-embedding model (mean pooling, L2 normalisation); never downloads. */
export async function loadTransformersEmbeddingProvider(
  options: TransformersEmbedderOptions,
): Promise<EmbeddingProvider> {
  const dir = resolve(options.modelDir);
  const dimension = options.dimension ?? 384;
  if (!existsSync(join(dir, 'config.json')) || !existsSync(join(dir, 'tokenizer.json'))) {
    throw new RagError('MODEL_LOAD_FAILED', `${dir} holds no config.json and tokenizer.json`);
  }
  let extractor: (
    texts: string[],
    o: { pooling: 'mean'; normalize: boolean },
  ) => Promise<{
    dims: number[];
    data: ArrayLike<number>;
  }>;
  try {
    const transformers = await import('@huggingface/transformers');
    transformers.env.allowRemoteModels = false;
    transformers.env.allowLocalModels = true;
    transformers.env.localModelPath = `${dirname(dir)}/`;
    const pipe: unknown = await transformers.pipeline('feature-extraction', basename(dir), {
      local_files_only: true,
      dtype: options.dtype ?? 'fp32',
    });
    extractor = pipe as typeof extractor;
  } catch (error) {
    throw new RagError('MODEL_LOAD_FAILED', `could not load ${dir}: ${String(error)}`, {
      cause: error,
    });
  }
  return {
    model: options.model ?? basename(dir),
    dimension,
    async embedBatch(texts) {
      if (texts.length === 0) return [];
      const tensor = await extractor([...texts], { pooling: 'mean', normalize: true });
      const width = tensor.dims[tensor.dims.length - 1] ?? 0;
      if (width !== dimension) {
        throw new RagError(
          'DIMENSION_MISMATCH',
          `model ${dir} gives ${width} dimensions, expected ${dimension}`,
        );
      }
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i++) {
        out.push(
          Float32Array.from({ length: width }, (_, j) => tensor.data[i * width + j] ?? Number.NaN),
        );
      }
      return out;
    },
  };
}

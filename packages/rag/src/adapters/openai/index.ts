/**
 * OpenAI embeddings through the `openai` SDK. The SDK's own retries are off: `createEmbedder`
 * retries with backoff, and this provider marks which failures are worth retrying.
 */
import OpenAI from 'openai';
import { RagError } from '../../errors.ts';
import type { EmbeddingProvider } from '../../core/embedder.ts';

/** Options of {@link createOpenAiEmbeddingProvider}. */
export interface OpenAiEmbedderOptions {
  /** API key; required unless `client` is given. */
  readonly apiKey?: string;
  /** Base URL, e.g. an Azure or proxy endpoint. Default: the SDK's. */
  readonly baseURL?: string;
  /** A ready client (its retry setting is left as it is). */
  readonly client?: OpenAI;
  /** Default `text-embedding-3-small`. */
  readonly model?: string;
  /** Default 1536. Sent as `dimensions` only when it differs from the model's native size. */
  readonly dimension?: number;
  /** Send `dimensions` with each request (text-embedding-3 models can shorten vectors). */
  readonly requestDimensions?: boolean;
  /** Per-request timeout. Default 60 000 ms. */
  readonly timeoutMs?: number;
}

/** True for HTTP statuses worth retrying: timeouts, conflicts, rate limits, server errors. */
export function isRetryableStatus(status: number | undefined): boolean {
  return (
    status === undefined || status === 408 || status === 409 || status === 429 || status >= 500
  );
}

/** An OpenAI embeddings provider; wrap it with `createEmbedder` (batches of 100, retries). */
export function createOpenAiEmbeddingProvider(options: OpenAiEmbedderOptions): EmbeddingProvider {
  const model = options.model ?? 'text-embedding-3-small';
  const dimension = options.dimension ?? 1536;
  if (!Number.isInteger(dimension) || dimension < 1) {
    throw new RagError('INVALID_OPTIONS', 'dimension must be a positive integer');
  }
  if (options.client === undefined && (options.apiKey === undefined || options.apiKey === '')) {
    throw new RagError('INVALID_OPTIONS', 'give apiKey or client');
  }
  const client =
    options.client ??
    new OpenAI({
      apiKey: options.apiKey ?? '',
      maxRetries: 0,
      timeout: options.timeoutMs ?? 60_000,
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    });
  return {
    model,
    dimension,
    async embedBatch(texts) {
      try {
        const response = await client.embeddings.create({
          model,
          input: [...texts],
          encoding_format: 'float',
          ...(options.requestDimensions === true ? { dimensions: dimension } : {}),
        });
        const out: (number[] | undefined)[] = new Array<number[] | undefined>(texts.length);
        for (const item of response.data) out[item.index] = item.embedding;
        return out;
      } catch (error) {
        const status: number | undefined =
          error instanceof OpenAI.APIError ? (error.status as number | undefined) : undefined;
        throw new RagError(
          'EMBEDDING_FAILED',
          `openai embeddings (${model}): ${error instanceof Error ? error.message : String(error)}`,
          { cause: error, retryable: isRetryableStatus(status) },
        );
      }
    },
  };
}

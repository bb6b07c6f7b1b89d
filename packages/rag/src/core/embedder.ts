/**
 * One interface for every embedding model, and the batching, retry and dimension checks that wrap
 * a raw provider. Providers (local hashing, MiniLM, OpenAI) only turn a batch of texts into vectors.
 */
import { RagError, fail, ok, type RagResult } from '../errors.ts';
import {
  toCapsuleDocument,
  type CapsuleDocument,
  type CapsuleDocumentOptions,
  type CapsuleInput,
} from './capsule.ts';

/** A raw model: turns one batch of texts into one vector per text, in order. May throw. */
export interface EmbeddingProvider {
  /** Model name recorded with every vector, e.g. `all-MiniLM-L6-v2`. */
  readonly model: string;
  /** Length of every vector it returns. */
  readonly dimension: number;
  /** Embeds one batch; throw a `RagError` with `retryable: false` for errors that will not heal. */
  embedBatch(texts: readonly string[]): Promise<readonly (ArrayLike<number> | undefined)[]>;
}

/** A capsule document with its vector. */
export interface EmbeddedCapsule {
  readonly document: CapsuleDocument;
  readonly vector: Float32Array;
  readonly model: string;
}

/** What the rest of the package uses: batched, retried, dimension-checked embeddings. */
export interface Embedder {
  readonly model: string;
  readonly dimension: number;
  /** Embeds texts in batches; every vector has `dimension` finite numbers. */
  embed(texts: readonly string[]): Promise<RagResult<Float32Array[]>>;
  /** Embeds capsules (events or windows); refuses the whole call when one is not redacted. */
  embedCapsules(
    capsules: readonly CapsuleInput[],
    options?: CapsuleDocumentOptions,
  ): Promise<RagResult<EmbeddedCapsule[]>>;
}

/** Options of {@link createEmbedder}. */
export interface EmbedderOptions {
  /** Texts per provider call. Default 100. */
  readonly batchSize?: number;
  /** Retries after the first attempt of a batch. Default 3. */
  readonly maxRetries?: number;
  /** First backoff delay; doubles each retry. Default 250 ms. */
  readonly baseDelayMs?: number;
  /** Cap of one backoff delay. Default 8 000 ms. */
  readonly maxDelayMs?: number;
  /** Waits `ms` milliseconds; injected so tests need no real time. Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Returns a number in [0, 1) for full jitter; without it delays are exact (deterministic). */
  readonly random?: () => number;
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

function positiveInt(name: string, value: number, allowZero = false): number {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new RagError('INVALID_OPTIONS', `${name} must be an integer >= ${allowZero ? 0 : 1}`);
  }
  return value;
}

/** The delay before retry `attempt` (1-based): exponential, capped, optionally fully jittered. */
export function backoffDelay(
  attempt: number,
  options: { baseDelayMs: number; maxDelayMs: number; random?: (() => number) | undefined },
): number {
  const exact = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return options.random === undefined ? exact : Math.floor(exact * options.random());
}

/** Checks one provider output and copies it into a `Float32Array`. */
export function toCheckedVector(
  raw: ArrayLike<number> | undefined,
  dimension: number,
  model: string,
): RagResult<Float32Array> {
  if (raw === undefined || raw.length !== dimension) {
    return fail(
      new RagError(
        'DIMENSION_MISMATCH',
        `${model} returned ${raw === undefined ? 'no' : `a ${raw.length}-dimensional`} vector, expected ${dimension}`,
      ),
    );
  }
  const out = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) {
    const x = raw[i] ?? Number.NaN;
    if (!Number.isFinite(x)) {
      return fail(new RagError('EMBEDDING_FAILED', `${model} returned a non-finite component`));
    }
    out[i] = x;
  }
  return ok(out);
}

/** Wraps a provider with batching (default 100), retries with backoff and dimension checks. */
export function createEmbedder(
  provider: EmbeddingProvider,
  options: EmbedderOptions = {},
): Embedder {
  const batchSize = positiveInt('batchSize', options.batchSize ?? 100);
  const maxRetries = positiveInt('maxRetries', options.maxRetries ?? 3, true);
  const baseDelayMs = positiveInt('baseDelayMs', options.baseDelayMs ?? 250, true);
  const maxDelayMs = positiveInt('maxDelayMs', options.maxDelayMs ?? 8_000, true);
  positiveInt('provider.dimension', provider.dimension);
  if (provider.model.length === 0) throw new RagError('INVALID_OPTIONS', 'provider.model is empty');
  const sleep = options.sleep ?? defaultSleep;
  const { model, dimension } = provider;

  async function callWithRetry(batch: readonly string[]): Promise<RagResult<Float32Array[]>> {
    let lastError: RagError | undefined;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) {
        await sleep(backoffDelay(attempt, { baseDelayMs, maxDelayMs, random: options.random }));
      }
      let raw: readonly (ArrayLike<number> | undefined)[];
      try {
        raw = await provider.embedBatch(batch);
      } catch (error) {
        const wrapped =
          error instanceof RagError
            ? error
            : new RagError('EMBEDDING_FAILED', `${model}: ${String(error)}`, {
                cause: error,
                retryable: true,
              });
        lastError = wrapped;
        if (!wrapped.retryable) return fail(wrapped);
        continue;
      }
      if (raw.length !== batch.length) {
        return fail(
          new RagError(
            'EMBEDDING_FAILED',
            `${model} returned ${raw.length} vectors for ${batch.length} texts`,
          ),
        );
      }
      const vectors: Float32Array[] = [];
      for (const item of raw) {
        const checked = toCheckedVector(item, dimension, model);
        if (!checked.ok) return checked;
        vectors.push(checked.value);
      }
      return ok(vectors);
    }
    return fail(
      new RagError('EMBEDDING_FAILED', `${model}: gave up after ${maxRetries + 1} attempts`, {
        cause: lastError,
      }),
    );
  }

  async function embed(texts: readonly string[]): Promise<RagResult<Float32Array[]>> {
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      const result = await callWithRetry(texts.slice(start, start + batchSize));
      if (!result.ok) return result;
      out.push(...result.value);
    }
    return ok(out);
  }

  async function embedCapsules(
    capsules: readonly CapsuleInput[],
    docOptions: CapsuleDocumentOptions = {},
  ): Promise<RagResult<EmbeddedCapsule[]>> {
    const documents: CapsuleDocument[] = [];
    for (const capsule of capsules) {
      const document = toCapsuleDocument(capsule, docOptions);
      if (!document.ok) return document;
      documents.push(document.value);
    }
    const vectors = await embed(documents.map((d) => d.text));
    if (!vectors.ok) return vectors;
    return ok(
      documents.map((document, i) => ({
        document,
        vector: vectors.value[i] as Float32Array,
        model,
      })),
    );
  }

  return { model, dimension, embed, embedCapsules };
}

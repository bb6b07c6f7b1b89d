import type { Result } from '@slo-scout/schema';

/** What went wrong in the rag package. */
export type RagErrorCode =
  | 'INVALID_OPTIONS'
  | 'UNREDACTED_INPUT'
  | 'DIMENSION_MISMATCH'
  | 'MODEL_MISMATCH'
  | 'EMBEDDING_FAILED'
  | 'MODEL_LOAD_FAILED'
  | 'STORE_FAILED';

/** The one error class of `@slo-scout/rag`; `retryable` tells a retry loop whether to try again. */
export class RagError extends Error {
  override readonly name = 'RagError';
  readonly code: RagErrorCode;
  /** True when the same call may succeed later (rate limits, timeouts, transient I/O). */
  readonly retryable: boolean;

  constructor(
    code: RagErrorCode,
    message: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Wraps anything thrown at a boundary into a `RagError`. */
export function toRagError(error: unknown, code: RagErrorCode = 'STORE_FAILED'): RagError {
  if (error instanceof RagError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RagError(code, message, { cause: error });
}

/** An expected outcome of this package: a value, or a `RagError`. */
export type RagResult<T> = Result<T, RagError>;

/** Builds a successful {@link RagResult}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Builds a failed {@link RagResult}. */
export function fail(error: RagError): { readonly ok: false; readonly error: RagError } {
  return { ok: false, error };
}

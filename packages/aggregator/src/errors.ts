/** What went wrong in the aggregator package. */
export type AggregatorErrorCode =
  'INVALID_OPTIONS' | 'INVALID_STATE' | 'INVALID_SNAPSHOT' | 'KEY_MISMATCH';

/** The one error class of `@slo-scout/aggregator`; `path` names the offending field when known. */
export class AggregatorError extends Error {
  override readonly name = 'AggregatorError';
  readonly code: AggregatorErrorCode;
  /** Dotted path of the offending field, e.g. `reservoir_sample[3].event_id`. */
  readonly path: string | undefined;

  constructor(
    code: AggregatorErrorCode,
    message: string,
    options: { path?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}

/** Wraps anything thrown at a boundary into an `AggregatorError`. */
export function toAggregatorError(
  error: unknown,
  code: AggregatorErrorCode = 'INVALID_STATE',
): AggregatorError {
  if (error instanceof AggregatorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AggregatorError(code, message, { cause: error });
}

/** An expected outcome: a value, or a typed error. */
export type Result<T, E = AggregatorError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Builds a successful {@link Result}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Builds a failed {@link Result}. */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

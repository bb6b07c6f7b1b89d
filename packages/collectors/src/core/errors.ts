/** What went wrong in a collector. */
export type CollectorErrorCode =
  | 'INVALID_OPTIONS'
  | 'BAD_PROTOBUF'
  | 'BAD_SNAPPY'
  | 'BAD_JSON'
  | 'BAD_SHAPE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'SINK_SATURATED'
  | 'SINK_FAILED'
  | 'UPSTREAM_FAILED';

/** The one error class of `@slo-scout/collectors`. */
export class CollectorError extends Error {
  override readonly name = 'CollectorError';
  readonly code: CollectorErrorCode;
  /** For `RATE_LIMITED` and `SINK_SATURATED`: how long the caller should wait, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: CollectorErrorCode,
    message: string,
    options: { cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Wraps anything thrown at a boundary into a `CollectorError` with `code`. */
export function toCollectorError(e: unknown, code: CollectorErrorCode): CollectorError {
  if (e instanceof CollectorError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new CollectorError(code, message, { cause: e });
}

/** An expected outcome: a value, or a typed error. */
export type Result<T, E = CollectorError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Builds a successful {@link Result}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Builds a failed {@link Result}. */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** Shorthand for a failed result carrying a new `CollectorError`. */
export function fail(
  code: CollectorErrorCode,
  message: string,
): { readonly ok: false; readonly error: CollectorError } {
  return err(new CollectorError(code, message));
}

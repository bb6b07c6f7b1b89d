/** What went wrong in the store package. */
export type StoreErrorCode =
  | 'INVALID_OPTIONS'
  | 'INVALID_INPUT'
  | 'REDACTION_REQUIRED'
  | 'DUPLICATE_MIGRATION'
  | 'MIGRATION_CHANGED'
  | 'UNKNOWN_MIGRATION'
  | 'MIGRATION_FAILED'
  | 'WINDOW_CONFLICT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'QUERY_FAILED'
  | 'BLOB_IO';

/** The one error class of `@slo-scout/store`; `path` names the offending field when known. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  /** Path of the offending input, e.g. `windows[3].count` or `capsules[0].redaction_applied`. */
  readonly path: string | undefined;

  constructor(
    code: StoreErrorCode,
    message: string,
    options: { path?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}

/** Wraps anything thrown at a boundary into a `StoreError`. */
export function toStoreError(error: unknown, code: StoreErrorCode = 'QUERY_FAILED'): StoreError {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError(code, message, { cause: error });
}

/** An expected outcome: a value, or a typed error. */
export type Result<T, E = StoreError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Builds a successful {@link Result}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Builds a failed {@link Result}. */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** Builds a failed {@link Result} carrying an `INVALID_INPUT`-style error at `path`. */
export function invalid(
  path: string,
  message: string,
  code: StoreErrorCode = 'INVALID_INPUT',
): { readonly ok: false; readonly error: StoreError } {
  return err(new StoreError(code, `${path}: ${message}`, { path }));
}

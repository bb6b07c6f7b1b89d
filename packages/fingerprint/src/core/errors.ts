/** What went wrong in the fingerprint package. */
export type FingerprintErrorCode = 'INVALID_OPTIONS' | 'INVALID_STATE' | 'INVALID_INPUT';

/** The one error class of `@slo-scout/fingerprint`. */
export class FingerprintError extends Error {
  override readonly name = 'FingerprintError';
  readonly code: FingerprintErrorCode;

  constructor(code: FingerprintErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Wraps anything thrown at a boundary into a `FingerprintError`. */
export function toFingerprintError(
  error: unknown,
  code: FingerprintErrorCode = 'INVALID_INPUT',
): FingerprintError {
  if (error instanceof FingerprintError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FingerprintError(code, message, { cause: error });
}

/** An expected outcome: a value, or a typed error. */
export type Result<T, E = FingerprintError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

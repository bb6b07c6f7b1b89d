import type { Result as SchemaResult } from '@slo-scout/schema';

/** What went wrong in the slo package. */
export type SloErrorCode =
  | 'INVALID_OPTIONS'
  | 'NO_DATA'
  | 'NO_TARGET'
  | 'NO_METRIC'
  | 'PARSE_FAILED'
  | 'INVALID_SPEC'
  | 'LLM_FAILED'
  | 'LLM_INVALID_ANSWER';

/** The one error class of `@slo-scout/slo`. */
export class SloError extends Error {
  override readonly name = 'SloError';
  readonly code: SloErrorCode;

  constructor(code: SloErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Wraps anything thrown at a boundary into a `SloError`. */
export function toSloError(error: unknown, code: SloErrorCode = 'LLM_FAILED'): SloError {
  if (error instanceof SloError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SloError(code, message, { cause: error });
}

/** An expected outcome of this package: a value, or a `SloError`. */
export type Result<T> = SchemaResult<T, SloError>;

/** Builds a successful {@link Result}. */
export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });

/** Builds a failed {@link Result}. */
export const fail = (
  code: SloErrorCode,
  message: string,
): { readonly ok: false; readonly error: SloError } => ({
  ok: false,
  error: new SloError(code, message),
});

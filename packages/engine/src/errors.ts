import type { Result as SchemaResult } from '@slo-scout/schema';

/** What went wrong in the engine. */
export type EngineErrorCode =
  | 'INVALID_OPTIONS'
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'NO_DATA'
  | 'CONFLICT'
  | 'VALIDATION_FAILED'
  | 'POLICY_DENIED'
  | 'NOT_CONFIGURED'
  | 'UPSTREAM_FAILED';

/** The one error class of `@slo-scout/engine`; `path` names the offending input field. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly code: EngineErrorCode;
  readonly path: string | undefined;

  constructor(
    code: EngineErrorCode,
    message: string,
    options: { cause?: unknown; path?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}

/** Wraps anything thrown at a boundary into an `EngineError`. */
export function toEngineError(
  error: unknown,
  code: EngineErrorCode = 'UPSTREAM_FAILED',
): EngineError {
  if (error instanceof EngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError(code, message, { cause: error });
}

/** An expected outcome: a value, or an `EngineError`. */
export type Result<T> = SchemaResult<T, EngineError>;

/** Builds a successful {@link Result}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Builds a failed {@link Result}. */
export function fail(
  code: EngineErrorCode,
  message: string,
  options: { cause?: unknown; path?: string } = {},
): { readonly ok: false; readonly error: EngineError } {
  return { ok: false, error: new EngineError(code, message, options) };
}

/** What went wrong in the schema package. */
export type SchemaErrorCode =
  | 'INVALID_RECORD'
  | 'BAD_FRAME'
  | 'UNKNOWN_SCHEMA_ID'
  | 'UNKNOWN_SUBJECT'
  | 'INCOMPATIBLE_SCHEMA'
  | 'DECODE_FAILED'
  | 'INVALID_SPEC'
  | 'REGISTRY_IO';

/** The one error class of `@slo-scout/schema`; `path` names the offending field when known. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  readonly code: SchemaErrorCode;
  /** Dotted path of the offending field, e.g. `rum.session_id` or `spec.objectives[0].target`. */
  readonly path: string | undefined;

  constructor(
    code: SchemaErrorCode,
    message: string,
    options: { path?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}

/** Wraps anything thrown at a boundary into a `SchemaError`. */
export function toSchemaError(err: unknown, code: SchemaErrorCode = 'DECODE_FAILED'): SchemaError {
  if (err instanceof SchemaError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SchemaError(code, message, { cause: err });
}

/** An expected outcome: a value, or a typed error. */
export type Result<T, E = SchemaError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Builds a successful {@link Result}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Builds a failed {@link Result}. */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

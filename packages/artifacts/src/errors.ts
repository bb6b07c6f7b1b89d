/** What went wrong in the artifacts package. */
export type ArtifactsErrorCode =
  | 'INVALID_OPTIONS'
  | 'INVALID_SPEC'
  | 'PARSE_FAILED'
  | 'VALIDATION_FAILED'
  | 'SENSITIVE_CONTENT'
  | 'POLICY_DENIED'
  | 'TOOL_FAILED'
  | 'PUBLISH_FAILED';

/** The one error class of `@slo-scout/artifacts`; `path` names the offending field when known. */
export class ArtifactsError extends Error {
  override readonly name = 'ArtifactsError';
  readonly code: ArtifactsErrorCode;
  /** Dotted path of the offending field or file, when known. */
  readonly path: string | undefined;

  constructor(
    code: ArtifactsErrorCode,
    message: string,
    options: { path?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}

/** Wraps anything thrown at a boundary into an `ArtifactsError`. */
export function toArtifactsError(
  error: unknown,
  code: ArtifactsErrorCode = 'PUBLISH_FAILED',
): ArtifactsError {
  if (error instanceof ArtifactsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ArtifactsError(code, message, { cause: error });
}

/** An expected outcome: a value, or a typed error. */
export type Result<T, E = ArtifactsError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Builds a successful {@link Result}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Builds a failed {@link Result}. */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** The API's error type and the mapping from engine and store errors to HTTP answers. */

/** What went wrong in the API layer. */
export type ApiErrorCode =
  | 'INVALID_OPTIONS'
  | 'INVALID_INPUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL';

/** The one error class of `@slo-scout/api`; `field` names the offending input (`body.fromMs`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly field: string | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    options: { cause?: unknown; field?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

/** An HTTP status with its error body. */
export interface HttpError {
  readonly status: number;
  readonly body: ErrorBody;
}

/** An error as the engine and the store report it (`code`, `message`, optional `path`). */
export interface CodedError {
  readonly code: string;
  readonly message: string;
  readonly path?: string | undefined;
}

const STATUS: Readonly<Record<string, number>> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  NO_DATA: 422,
  VALIDATION_FAILED: 422,
  POLICY_DENIED: 422,
  NOT_CONFIGURED: 501,
};

/** Builds an error body; `field` is left out when unknown. */
export function toErrorBody(code: string, message: string, field?: string): ErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

/**
 * Maps an engine or store error to HTTP. `INVALID_INPUT` names the field under `location`
 * (`range.fromMs` in a body becomes `body.fromMs`); unknown codes are a 500 whose message is
 * not passed on (the caller logs the error).
 */
export function toHttpError(error: CodedError, location = 'body'): HttpError {
  const status = STATUS[error.code] ?? 500;
  if (status === 500) {
    return { status, body: toErrorBody('INTERNAL', 'internal error; see the server log') };
  }
  const field = status === 400 || status === 409 ? toField(error.path, location) : undefined;
  return { status, body: toErrorBody(error.code, error.message, field) };
}

/** Prefixes an input path with its location: `range.toMs` → `body.toMs`, `limit` → `query.limit`. */
export function toField(path: string | undefined, location: string): string | undefined {
  if (path === undefined || path.length === 0) return undefined;
  const inner = path.startsWith('range.') ? path.slice('range.'.length) : path;
  return `${location}.${inner}`;
}

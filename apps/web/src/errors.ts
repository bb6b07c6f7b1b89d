/** The console's one error class and its result type. */

/** What went wrong talking to the API. */
export type WebErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'REFUSED'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'NETWORK'
  | 'BAD_RESPONSE';

/** Options of {@link WebError}. */
export interface WebErrorOptions {
  /** HTTP status, when the API answered. */
  readonly status?: number;
  /** The API's own error code (`VALIDATION_FAILED`, `POLICY_DENIED`...). */
  readonly apiCode?: string;
  /** The request field the API named (`body.reason`). */
  readonly field?: string;
  readonly cause?: unknown;
}

/** An API call that failed: the status, the API's code, message and field. */
export class WebError extends Error {
  override readonly name = 'WebError';
  readonly code: WebErrorCode;
  readonly status: number | undefined;
  readonly apiCode: string | undefined;
  readonly field: string | undefined;

  constructor(code: WebErrorCode, message: string, options: WebErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.apiCode = options.apiCode;
    this.field = options.field;
  }
}

/** A value or the error that prevented it. */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WebError };

/** The error code for an HTTP status. */
export function codeForStatus(status: number): WebErrorCode {
  switch (status) {
    case 400:
      return 'INVALID_INPUT';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 422:
      return 'REFUSED';
    case 429:
      return 'RATE_LIMITED';
    default:
      return status >= 500 ? 'SERVER_ERROR' : 'BAD_RESPONSE';
  }
}

/** Turns anything thrown at a boundary into a {@link WebError}. */
export function toWebError(e: unknown): WebError {
  if (e instanceof WebError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new WebError('NETWORK', `The API could not be reached: ${message}`, { cause: e });
}

/** The headline of an error box: `Approving failed (HTTP 422 POLICY_DENIED)`. */
export function errorHeadline(error: WebError, action?: string): string {
  const what = action === undefined ? 'Request failed' : `${action} failed`;
  if (error.status === undefined) return what;
  return `${what} (HTTP ${error.status}${error.apiCode === undefined ? '' : ` ${error.apiCode}`})`;
}

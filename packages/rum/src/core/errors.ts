/** What went wrong in `@slo-scout/rum`. */
export type RumErrorCode = 'INVALID_OPTIONS' | 'NO_ENVIRONMENT';

/** The one error class of `@slo-scout/rum`; thrown only by factories given bad configuration. */
export class RumError extends Error {
  /** Machine-readable reason. */
  readonly code: RumErrorCode;

  /** Creates an error with a code, a message and an optional cause. */
  constructor(code: RumErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RumError';
    this.code = code;
  }
}

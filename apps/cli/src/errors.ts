/** The CLI's one error class: every message says what went wrong and what to do about it. */

/** What failed. */
export type CliErrorCode =
  'USAGE' | 'CONFIG' | 'NOT_FOUND' | 'TOOL_MISSING' | 'INGEST_FAILED' | 'ENGINE_FAILED' | 'TIMEOUT';

/** Exit codes: 2 for usage and configuration mistakes, 1 for everything else. */
const EXIT_CODES: Record<CliErrorCode, number> = {
  USAGE: 2,
  CONFIG: 2,
  NOT_FOUND: 1,
  TOOL_MISSING: 1,
  INGEST_FAILED: 1,
  ENGINE_FAILED: 1,
  TIMEOUT: 1,
};

/** A failure to report to the user: `message` says what happened, `hint` what to do. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;
  readonly hint: string | undefined;
  /** The command already printed its outcome (e.g. a failed validation report with --json). */
  readonly reported: boolean;

  constructor(
    code: CliErrorCode,
    message: string,
    options: { readonly hint?: string; readonly cause?: unknown; readonly reported?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.reported = options.reported ?? false;
  }

  /** The process exit code for this error. */
  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

/** Wraps anything thrown into a {@link CliError}. */
export function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new CliError('ENGINE_FAILED', message, { cause: e });
}

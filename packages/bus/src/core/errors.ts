/** What went wrong on a bus. */
export type BusErrorCode =
  | 'UNKNOWN_TOPIC'
  | 'BAD_PARTITION'
  | 'TRANSACTION_STATE'
  | 'CLOSED'
  | 'INVALID_OPTIONS'
  | 'PERSISTENCE'
  | 'BROKER';

/** The one error class of `@slo-scout/bus`. */
export class BusError extends Error {
  override readonly name = 'BusError';
  readonly code: BusErrorCode;

  constructor(code: BusErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Wraps anything thrown at a boundary into a `BusError`. */
export function toBusError(err: unknown, code: BusErrorCode = 'BROKER'): BusError {
  if (err instanceof BusError) return err;
  return new BusError(code, err instanceof Error ? err.message : String(err), { cause: err });
}

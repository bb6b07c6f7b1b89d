import { CollectorError, err, ok, type Result } from '../errors.ts';
import type { MessageType } from './messages.ts';

/** Decodes protobuf bytes; malformed input is a `BAD_PROTOBUF` error value, never a throw. */
export function decodeMessage(type: MessageType, bytes: Uint8Array): Result<unknown> {
  try {
    return ok(type.decode(bytes));
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return err(new CollectorError('BAD_PROTOBUF', `${type.name}: ${detail}`, { cause }));
  }
}

/** Encodes a plain object as protobuf bytes (the object must match `type`). */
export function encodeMessage(type: MessageType, value: Record<string, unknown>): Uint8Array {
  return type.encode(type.fromObject(value)).finish();
}

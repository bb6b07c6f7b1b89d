import { SchemaError } from '../errors.ts';

/** The Confluent wire format's magic byte. */
export const MAGIC_BYTE = 0;
/** Bytes before the Avro payload: magic byte plus a 4-byte big-endian schema id. */
export const FRAME_HEADER_BYTES = 5;

/** Prefixes an Avro payload with the Confluent header (magic 0, schema id big-endian). */
export function toFramed(schemaId: number, payload: Uint8Array): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) {
    throw new SchemaError('BAD_FRAME', `schema id ${schemaId} is not a 32-bit unsigned integer`);
  }
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  out.writeUInt8(MAGIC_BYTE, 0);
  out.writeUInt32BE(schemaId, 1);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** The schema id in a Confluent header, or undefined when `message` does not start with one. */
export function frameSchemaId(message: Uint8Array): number | undefined {
  if (message.length < FRAME_HEADER_BYTES || message[0] !== MAGIC_BYTE) return undefined;
  return ((message[1]! << 24) | (message[2]! << 16) | (message[3]! << 8) | message[4]!) >>> 0;
}

/** Splits a Confluent-framed message into its schema id and Avro payload. */
export function parseFrame(message: Uint8Array): { schemaId: number; payload: Buffer } {
  if (message.length < FRAME_HEADER_BYTES) {
    throw new SchemaError(
      'BAD_FRAME',
      `message has ${message.length} bytes; a framed message needs at least ${FRAME_HEADER_BYTES}`,
    );
  }
  const buf = Buffer.from(message.buffer, message.byteOffset, message.length);
  const magic = buf.readUInt8(0);
  if (magic !== MAGIC_BYTE) {
    throw new SchemaError('BAD_FRAME', `message starts with byte ${magic}, expected magic byte 0`);
  }
  return { schemaId: buf.readUInt32BE(1), payload: buf.subarray(FRAME_HEADER_BYTES) };
}

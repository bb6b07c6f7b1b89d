import avro from 'avsc';
import { SchemaError, err, ok, toSchemaError, type Result } from '../errors.ts';
import type { RecordType } from '../avro/types.ts';
import { FRAME_HEADER_BYTES, MAGIC_BYTE, parseFrame } from './framing.ts';
import type { SchemaRegistry } from './registry.ts';

/**
 * Encodes and decodes records of one type in the Confluent wire format. Decoding resolves the
 * writer's schema (looked up by the id in the frame) against the reader's, so data written with an
 * older or newer compatible schema reads into the current type.
 */
export interface AvroSerde<T> {
  /** Registers the reader schema under the subject (once) and frames `value` with its id. */
  encode(value: T): Promise<Buffer>;
  /** Decodes a framed message; a bad frame, unknown id or incompatible schema is an error value. */
  decode(message: Uint8Array): Promise<Result<T>>;
  /** The id of the reader schema under the subject (registered once), which `encode` frames with. */
  schemaId(): Promise<number>;
}

/** Creates a serde for `type` under `subject` (e.g. `raw-telemetry-value`). */
export function createAvroSerde<T>(
  registry: SchemaRegistry,
  subject: string,
  type: RecordType<T>,
): AvroSerde<T> {
  const canonical = JSON.stringify(type.avro.schema());
  let ownId: Promise<number> | undefined;
  const resolvers = new Map<number, Promise<avro.Resolver | null>>();

  const resolverFor = (id: number): Promise<avro.Resolver | null> => {
    let cached = resolvers.get(id);
    if (!cached) {
      cached = (async () => {
        if (id === (await ownId)) return null;
        const writer = await registry.getById(id);
        const writerType = avro.Type.forSchema(JSON.parse(writer.schema) as avro.Schema, {
          wrapUnions: false,
        });
        try {
          return type.avro.createResolver(writerType);
        } catch (cause) {
          throw new SchemaError(
            'INCOMPATIBLE_SCHEMA',
            `schema id ${id} (${writer.subject} v${writer.version}) cannot be read as ${type.name}`,
            { cause },
          );
        }
      })();
      resolvers.set(id, cached);
      cached.catch(() => resolvers.delete(id));
    }
    return cached;
  };

  /** Resolvers already looked up, so a decode of a known id does not wait on a promise. */
  const ready = new Map<number, avro.Resolver | null>();
  let knownId: number | undefined;

  const schemaId = (): Promise<number> => (ownId ??= registry.register(subject, canonical));

  return {
    schemaId,
    async encode(value) {
      knownId ??= await schemaId();
      const problem = type.check(value);
      if (problem) throw problem;
      return encodeFramed(knownId, type.avro, value);
    },
    async decode(message) {
      let resolved = false;
      try {
        void schemaId();
        const id = parseFrame(message).schemaId;
        let resolver = ready.get(id);
        if (resolver === undefined) {
          resolver = await resolverFor(id);
          ready.set(id, resolver);
        }
        resolved = resolver !== null;
        const buf = Buffer.isBuffer(message)
          ? message
          : Buffer.from(message.buffer, message.byteOffset, message.length);
        // Decoded in place after the header: no sliced copy of the payload.
        const decoded = type.avro.decode(buf, FRAME_HEADER_BYTES, resolver ?? undefined);
        const offset = decoded.offset;
        if (offset < 0) throw new Error('truncated buffer');
        if (offset < buf.length) throw new Error('trailing data');
        return ok(decoded.value as T);
      } catch (e) {
        // The same errors as `fromBuffer` (own schema) and `toSchemaError` (resolved) gave.
        return err(
          e instanceof SchemaError || resolved
            ? toSchemaError(e, 'DECODE_FAILED')
            : new SchemaError('DECODE_FAILED', `${type.name}: cannot decode Avro data`, {
                cause: e,
              }),
        );
      }
    },
  };
}

/**
 * Scratch space the Avro encoder writes into: a framed message is then one exact-size copy,
 * where `toBuffer` + `toFramed` allocated and copied twice per record.
 */
let scratch = Buffer.allocUnsafe(16 * 1024);

/** Frames `value` (already validated) with the Confluent header and schema `id`. */
function encodeFramed(id: number, avroType: avro.Type, value: unknown): Buffer {
  for (;;) {
    const end = avroType.encode(value, scratch, FRAME_HEADER_BYTES);
    if (end >= 0) {
      scratch.writeUInt8(MAGIC_BYTE, 0);
      scratch.writeUInt32BE(id, 1);
      const out = Buffer.allocUnsafe(end);
      scratch.copy(out, 0, 0, end);
      return out;
    }
    scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, scratch.length - end));
  }
}

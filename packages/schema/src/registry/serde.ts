import avro from 'avsc';
import { SchemaError, err, ok, toSchemaError, type Result } from '../errors.ts';
import type { RecordType } from '../avro/types.ts';
import { parseFrame, toFramed } from './framing.ts';
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

  return {
    async encode(value) {
      ownId ??= registry.register(subject, canonical);
      const id = await ownId;
      return toFramed(id, type.toBuffer(value));
    },
    async decode(message) {
      try {
        ownId ??= registry.register(subject, canonical);
        const { schemaId, payload } = parseFrame(message);
        const resolver = await resolverFor(schemaId);
        const value = resolver
          ? (type.avro.fromBuffer(payload, resolver) as T)
          : type.fromBuffer(payload);
        return ok(value);
      } catch (e) {
        return err(toSchemaError(e, 'DECODE_FAILED'));
      }
    },
  };
}

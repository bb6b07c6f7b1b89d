import avro from 'avsc';
import { SchemaError } from '../errors.ts';
import { capsuleEventSchema, capsuleWindowSchema, telemetryEventSchema } from './schemas.ts';
import type { CapsuleEvent, CapsuleWindow, TelemetryEvent } from './records.ts';

/** A compiled Avro type for records of type `T`. */
export interface RecordType<T> {
  /** The fully qualified Avro name, e.g. `io.sloscout.v1.TelemetryEvent`. */
  readonly name: string;
  /** The avsc type, for advanced use (resolvers, fingerprints). */
  readonly avro: avro.Type;
  /** Validates `value`; the error names the first invalid field. */
  check(value: unknown): SchemaError | undefined;
  /** Encodes a valid value to Avro binary (no framing). Throws `SchemaError` on an invalid one. */
  toBuffer(value: T): Buffer;
  /** Decodes Avro binary written with this same schema. */
  fromBuffer(buf: Buffer): T;
}

function describe(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  text ??= String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Compiles an Avro schema into a {@link RecordType}. */
export function createRecordType<T>(schema: avro.Schema): RecordType<T> {
  const type = avro.Type.forSchema(schema, { wrapUnions: false });
  const name = type.name ?? 'anonymous';
  const check = (value: unknown): SchemaError | undefined => {
    // The generated check first; the slower pass with a hook only to name the bad field.
    if (type.isValid(value)) return undefined;
    let found: SchemaError | undefined;
    type.isValid(value, {
      errorHook(path: string[], any: unknown, t: avro.Type) {
        if (found) return;
        const field = path.join('.') || '(root)';
        const expected = t.name ?? t.typeName;
        found = new SchemaError(
          'INVALID_RECORD',
          `${name}: field '${field}' is invalid: expected ${expected}, got ${describe(any)}`,
          { path: field },
        );
      },
    });
    return found;
  };
  return {
    name,
    avro: type,
    check,
    toBuffer(value: T): Buffer {
      const problem = check(value);
      if (problem) throw problem;
      return type.toBuffer(value);
    },
    fromBuffer(buf: Buffer): T {
      try {
        return type.fromBuffer(buf) as T;
      } catch (cause) {
        throw new SchemaError('DECODE_FAILED', `${name}: cannot decode Avro data`, { cause });
      }
    },
  };
}

/** Compiled Avro type of {@link TelemetryEvent}. */
export const telemetryEventType: RecordType<TelemetryEvent> = createRecordType<TelemetryEvent>(
  telemetryEventSchema as unknown as avro.Schema,
);
/** Compiled Avro type of {@link CapsuleEvent}. */
export const capsuleEventType: RecordType<CapsuleEvent> = createRecordType<CapsuleEvent>(
  capsuleEventSchema as unknown as avro.Schema,
);
/** Compiled Avro type of {@link CapsuleWindow}. */
export const capsuleWindowType: RecordType<CapsuleWindow> = createRecordType<CapsuleWindow>(
  capsuleWindowSchema as unknown as avro.Schema,
);

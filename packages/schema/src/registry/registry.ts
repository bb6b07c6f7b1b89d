import { SchemaError } from '../errors.ts';

/** A schema as stored by a registry: its id and its canonical JSON text. */
export interface RegisteredSchema {
  readonly id: number;
  readonly subject: string;
  readonly version: number;
  /** Canonical JSON of the Avro schema. */
  readonly schema: string;
}

/**
 * The part of the Confluent Schema Registry that SLO-Scout uses. Ids are global and stable:
 * registering the same schema text again under a subject returns the id it already has.
 */
export interface SchemaRegistry {
  /** Registers `schema` (canonical JSON) under `subject`; returns its id. */
  register(subject: string, schema: string): Promise<number>;
  /** The schema with this id, or throws `SchemaError` `UNKNOWN_SCHEMA_ID`. */
  getById(id: number): Promise<RegisteredSchema>;
  /** The latest version under `subject`, or throws `SchemaError` `UNKNOWN_SUBJECT`. */
  getLatest(subject: string): Promise<RegisteredSchema>;
}

/** Serialisable state of an in-memory registry, for file-backed persistence. */
export interface RegistrySnapshot {
  readonly schemas: readonly RegisteredSchema[];
}

/** An in-process registry; `onChange` is told of every new schema (used for persistence). */
export interface MemorySchemaRegistry extends SchemaRegistry {
  /** Every schema registered so far, in id order. */
  snapshot(): RegistrySnapshot;
}

/** The id a schema gets in an empty registry: FNV-1a of its text, in 1..2^31-1. */
export function toSchemaId(schema: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < schema.length; i++) {
    h ^= schema.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 1 || 1;
}

/** Creates an in-process registry, optionally seeded from a snapshot. */
export function createMemorySchemaRegistry(
  initial: RegistrySnapshot = { schemas: [] },
  onChange?: (snapshot: RegistrySnapshot) => Promise<void>,
): MemorySchemaRegistry {
  const byId = new Map<number, RegisteredSchema>();
  const bySubject = new Map<string, RegisteredSchema[]>();
  const add = (entry: RegisteredSchema): void => {
    byId.set(entry.id, entry);
    const versions = bySubject.get(entry.subject) ?? [];
    versions.push(entry);
    bySubject.set(entry.subject, versions);
  };
  for (const entry of initial.schemas) add(entry);
  // Ids derive from the schema text, so independent processes (two pipeline workers, a collector)
  // give one schema the same id without talking to each other. A collision probes the next id.
  const freeIdFor = (schema: string): number => {
    let id = toSchemaId(schema);
    while (byId.has(id)) id = id === 0x7fffffff ? 1 : id + 1;
    return id;
  };
  const snapshot = (): RegistrySnapshot => ({
    schemas: [...byId.values()].sort((a, b) => a.id - b.id),
  });

  return {
    async register(subject, schema) {
      const versions = bySubject.get(subject) ?? [];
      const existing = versions.find((v) => v.schema === schema);
      if (existing) return existing.id;
      // Ids are global: the same text under another subject shares the id, as Confluent does.
      const sameText = [...byId.values()].find((v) => v.schema === schema);
      const id = sameText?.id ?? freeIdFor(schema);
      add({ id, subject, version: versions.length + 1, schema });
      if (onChange) await onChange(snapshot());
      return id;
    },
    getById(id) {
      const entry = [...byId.values()].find((v) => v.id === id);
      if (!entry) {
        return Promise.reject(
          new SchemaError('UNKNOWN_SCHEMA_ID', `schema id ${id} is not in the registry`),
        );
      }
      return Promise.resolve(entry);
    },
    getLatest(subject) {
      const latest = bySubject.get(subject)?.at(-1);
      if (!latest) {
        return Promise.reject(
          new SchemaError('UNKNOWN_SUBJECT', `subject '${subject}' has no schema in the registry`),
        );
      }
      return Promise.resolve(latest);
    },
    snapshot,
  };
}

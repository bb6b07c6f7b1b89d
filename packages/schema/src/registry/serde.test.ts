import type avro from 'avsc';
import fc from 'fast-check';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { telemetryEventArb } from '../../test/arbitraries.ts';
import { createFileSchemaRegistry } from '../adapters/file/index.ts';
import { createRecordType, telemetryEventType } from '../avro/types.ts';
import { telemetryEventSchema } from '../avro/schemas.ts';
import { TOPICS, toValueSubject } from '../topics.ts';
import { frameSchemaId, parseFrame, toFramed } from './framing.ts';
import { createMemorySchemaRegistry, toSchemaId } from './registry.ts';
import { createAvroSerde } from './serde.ts';

const subject = toValueSubject(TOPICS.rawTelemetry);

describe('Confluent framing', () => {
  it('writes magic byte 0 and the schema id big-endian before the payload', () => {
    const framed = toFramed(0x01020304, Buffer.from([9, 8]));
    expect([...framed]).toEqual([0, 1, 2, 3, 4, 9, 8]);
    expect(parseFrame(framed)).toEqual({ schemaId: 0x01020304, payload: Buffer.from([9, 8]) });
  });
  it('rejects a short message and a wrong magic byte with BAD_FRAME', () => {
    expect(() => parseFrame(Buffer.from([0, 1]))).toThrow(/at least 5/);
    expect(() => parseFrame(Buffer.from([1, 0, 0, 0, 1, 2]))).toThrow(/magic byte 0/);
  });
  it('peeks at the schema id of a header without throwing', () => {
    expect(frameSchemaId(toFramed(0xfffffffe, Buffer.from([1])))).toBe(0xfffffffe);
    expect(frameSchemaId(toFramed(7, Buffer.alloc(0)))).toBe(7);
    expect(frameSchemaId(Buffer.from([0, 1]))).toBeUndefined();
    expect(frameSchemaId(Buffer.from([1, 0, 0, 0, 7]))).toBeUndefined();
  });
});

describe('AvroSerde', () => {
  it('round-trips any TelemetryEvent through a framed message', async () => {
    const serde = createAvroSerde(createMemorySchemaRegistry(), subject, telemetryEventType);
    await fc.assert(
      fc.asyncProperty(telemetryEventArb, async (event) => {
        const decoded = await serde.decode(await serde.encode(event));
        expect(decoded).toEqual({ ok: true, value: event });
      }),
      { numRuns: 50 },
    );
  });

  it('gives a schema the same id in independent registries', async () => {
    const a = createAvroSerde(createMemorySchemaRegistry(), subject, telemetryEventType);
    const b = createAvroSerde(createMemorySchemaRegistry(), subject, telemetryEventType);
    const [event] = fc.sample(telemetryEventArb, { numRuns: 1, seed: 4 });
    const framed = await a.encode(event!);
    expect(parseFrame(framed).schemaId).toBe(parseFrame(await b.encode(event!)).schemaId);
    expect(await b.decode(framed)).toEqual({ ok: true, value: event });
  });

  it('registers once and reuses the id', async () => {
    const registry = createMemorySchemaRegistry();
    const serde = createAvroSerde(registry, subject, telemetryEventType);
    const [event] = fc.sample(telemetryEventArb, { numRuns: 1, seed: 2 });
    const a = parseFrame(await serde.encode(event!)).schemaId;
    const b = parseFrame(await serde.encode(event!)).schemaId;
    expect(a).toBe(b);
    expect(await serde.schemaId()).toBe(a);
    expect(registry.snapshot().schemas).toHaveLength(1);
  });

  it('a reader schema with a new optional field still reads data written with the old one', async () => {
    const registry = createMemorySchemaRegistry();
    const writer = createAvroSerde(registry, subject, telemetryEventType);
    const evolvedSchema = {
      ...telemetryEventSchema,
      fields: [
        ...telemetryEventSchema.fields,
        { name: 'tenant', type: ['null', 'string'], default: null },
      ],
    };
    const reader = createAvroSerde(
      registry,
      subject,
      createRecordType<Record<string, unknown>>(evolvedSchema as unknown as avro.Schema),
    );
    const [event] = fc.sample(telemetryEventArb, { numRuns: 1, seed: 5 });
    const decoded = await reader.decode(await writer.encode(event!));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.value).toEqual({ ...event, tenant: null });
  });

  it('old readers read data from a newer writer that added a field (forward compatibility)', async () => {
    const registry = createMemorySchemaRegistry();
    const newer = createRecordType<Record<string, unknown>>({
      ...telemetryEventSchema,
      fields: [...telemetryEventSchema.fields, { name: 'tenant', type: 'string', default: 'x' }],
    } as unknown as avro.Schema);
    const writer = createAvroSerde(registry, subject, newer);
    const reader = createAvroSerde(registry, subject, telemetryEventType);
    const [event] = fc.sample(telemetryEventArb, { numRuns: 1, seed: 6 });
    const decoded = await reader.decode(await writer.encode({ ...event!, tenant: 'acme' }));
    expect(decoded).toEqual({ ok: true, value: event });
  });

  it('returns typed errors for unknown ids, bad frames and incompatible writers', async () => {
    const registry = createMemorySchemaRegistry();
    const serde = createAvroSerde(registry, subject, telemetryEventType);
    const unknown = await serde.decode(toFramed(999, Buffer.from([0])));
    expect(unknown.ok ? undefined : unknown.error.code).toBe('UNKNOWN_SCHEMA_ID');
    const bad = await serde.decode(Buffer.from('hello'));
    expect(bad.ok ? undefined : bad.error.code).toBe('BAD_FRAME');
    const otherId = await registry.register(
      'other',
      JSON.stringify({
        type: 'record',
        name: 'io.sloscout.v1.TelemetryEvent',
        fields: [{ name: 'x', type: 'int' }],
      }),
    );
    const incompatible = await serde.decode(toFramed(otherId, Buffer.from([2])));
    expect(incompatible.ok ? undefined : incompatible.error.code).toBe('INCOMPATIBLE_SCHEMA');
    const [sample] = fc.sample(telemetryEventArb, { numRuns: 1, seed: 9 });
    const ownId = parseFrame(await serde.encode(sample!)).schemaId;
    const truncated = await serde.decode(toFramed(ownId, Buffer.from([2])));
    expect(truncated.ok ? undefined : truncated.error.code).toBe('DECODE_FAILED');
  });
});

describe('file-backed registry', () => {
  it('keeps ids across restarts', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'slo-reg-')), 'registry.json');
    const first = await createFileSchemaRegistry(path);
    const id = await first.register(subject, '{"type":"string"}');
    const second = await createFileSchemaRegistry(path);
    expect((await second.getById(id)).schema).toBe('{"type":"string"}');
    expect(await second.register('other', '{"type":"int"}')).toBe(toSchemaId('{"type":"int"}'));
    expect(JSON.parse(await readFile(path, 'utf8')).schemas).toHaveLength(2);
  });
  it('names the file when it is corrupt', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'slo-reg-')), 'registry.json');
    await writeFile(path, '{nope');
    await expect(createFileSchemaRegistry(path)).rejects.toThrow(path);
  });
});

import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { capsuleEventArb, capsuleWindowArb, telemetryEventArb } from '../../test/arbitraries.ts';
import type { AvroType } from './avro-type.ts';
import type { CapsuleEvent, CapsuleWindow, TelemetryEvent } from './records.ts';
import { capsuleEventSchema, capsuleWindowSchema, telemetryEventSchema } from './schemas.ts';
import { capsuleEventType, capsuleWindowType, telemetryEventType } from './types.ts';
import { SchemaError } from '../errors.ts';
import { createTelemetryEvent } from './create.ts';

describe('types and schemas agree', () => {
  // Checked by `tsc` (npm run typecheck): a field added to one side only fails to compile.
  it('TelemetryEvent equals the type derived from its Avro schema', () => {
    expectTypeOf<AvroType<typeof telemetryEventSchema>>().toEqualTypeOf<TelemetryEvent>();
    expectTypeOf<AvroType<typeof capsuleEventSchema>>().toEqualTypeOf<CapsuleEvent>();
    expectTypeOf<AvroType<typeof capsuleWindowSchema>>().toEqualTypeOf<CapsuleWindow>();
  });

  it('every schema field is a key of the arbitrary records and vice versa', () => {
    const keysOf = (arb: fc.Arbitrary<object>): string[] =>
      Object.keys(fc.sample(arb, { numRuns: 1, seed: 1 })[0]!).sort();
    const names = (schema: { fields: readonly { name: string }[] }): string[] =>
      schema.fields.map((f) => f.name).sort();
    expect(keysOf(telemetryEventArb)).toEqual(names(telemetryEventSchema));
    expect(keysOf(capsuleEventArb)).toEqual(names(capsuleEventSchema));
    expect(keysOf(capsuleWindowArb)).toEqual(names(capsuleWindowSchema));
  });
});

describe('round trip', () => {
  it('any valid TelemetryEvent round-trips to an equal value', () => {
    fc.assert(
      fc.property(telemetryEventArb, (event) => {
        expect(telemetryEventType.fromBuffer(telemetryEventType.toBuffer(event))).toEqual(event);
      }),
    );
  });
  it('any valid CapsuleEvent round-trips to an equal value', () => {
    fc.assert(
      fc.property(capsuleEventArb, (event) => {
        expect(capsuleEventType.fromBuffer(capsuleEventType.toBuffer(event))).toEqual(event);
      }),
    );
  });
  it('any valid CapsuleWindow round-trips to an equal value', () => {
    fc.assert(
      fc.property(capsuleWindowArb, (w) => {
        expect(capsuleWindowType.fromBuffer(capsuleWindowType.toBuffer(w))).toEqual(w);
      }),
    );
  });
});

describe('invalid records name the field', () => {
  const fields = telemetryEventSchema.fields.map((f) => f.name);
  it.each([
    ['event_id', 42],
    ['kind', 'span'],
    ['event_time_ms', 'yesterday'],
    ['span_kind', 'SIDEWAYS'],
    ['attributes', { a: { nested: true } }],
  ])('TelemetryEvent.%s = %j is rejected', (field, bad) => {
    const event = {
      ...createTelemetryEvent({ event_id: 'e', kind: 'log', service: 's', event_time_ms: 1 }),
      [field]: bad,
    };
    const problem = telemetryEventType.check(event);
    expect(problem).toBeInstanceOf(SchemaError);
    expect(problem?.code).toBe('INVALID_RECORD');
    expect(problem?.path?.split('.')[0]).toBe(field);
    expect(problem?.message).toContain(field);
    expect(() => telemetryEventType.toBuffer(event)).toThrow(field);
  });

  it('any corruption of one field of a valid record is rejected naming that field', () => {
    const wrongValue = fc.constantFrom<unknown>(undefined, Symbol.for('x'), { bogus: 1 }, [1, 2]);
    fc.assert(
      fc.property(
        telemetryEventArb,
        fc.constantFrom(...fields),
        wrongValue,
        (event, field, bad) => {
          const corrupt = { ...event, [field]: bad };
          const problem = telemetryEventType.check(corrupt);
          // Two corruptions are legal values: `{bogus: 1}` is a valid attribute map, and
          // `undefined` in a field with a default encodes as that default. Everything else fails.
          const nullable = telemetryEventSchema.fields.some(
            (f) => f.name === field && 'default' in f,
          );
          if (problem === undefined) {
            const legal =
              (bad === undefined && nullable) ||
              (typeof bad === 'object' &&
                bad !== null &&
                !Array.isArray(bad) &&
                ['attributes', 'resource_attributes'].includes(field));
            expect(legal, `${field} = ${String(bad)} was accepted`).toBe(true);
            return;
          }
          expect(problem.path?.split('.')[0]).toBe(field);
        },
      ),
    );
  });

  it('a nested invalid field is named with its full path', () => {
    const event = createTelemetryEvent({
      event_id: 'e',
      kind: 'rum',
      service: 'web',
      event_time_ms: 1,
      rum: {
        session_id: 7 as unknown as string,
        event_type: 'page_view',
        route: null,
        journey: null,
        step: null,
        vital_name: null,
        vital_value: null,
        vital_rating: null,
        user_agent: null,
      },
    });
    expect(telemetryEventType.check(event)?.path).toBe('rum.session_id');
  });

  it('a CapsuleWindow with a negative-typed count is rejected', () => {
    const [w] = fc.sample(capsuleWindowArb, { numRuns: 1, seed: 3 });
    expect(capsuleWindowType.check({ ...w, count: 'many' })?.path).toBe('count');
  });
});

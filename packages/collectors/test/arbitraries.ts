import fc from 'fast-check';

/** Random 16/8-byte ids that are not all zero. */
export const idBytes = (n: number) =>
  fc.uint8Array({ minLength: n, maxLength: n }).filter((b) => b.some((x) => x !== 0));

/** An OTLP AnyValue in protobufjs object form. */
export const anyValueArb = fc.oneof(
  fc.string().map((stringValue) => ({ stringValue })),
  fc.boolean().map((boolValue) => ({ boolValue })),
  fc.integer().map((intValue) => ({ intValue })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((doubleValue) => ({ doubleValue })),
);

/** OTLP KeyValue lists. */
export const attributesArb = fc.uniqueArray(
  fc.record({ key: fc.string({ minLength: 1, maxLength: 12 }), value: anyValueArb }),
  { selector: (kv) => kv.key, maxLength: 5 },
);

/** A valid OTLP span in protobufjs object form. */
export const spanArb = fc.record({
  traceId: idBytes(16),
  spanId: idBytes(8),
  name: fc.string({ maxLength: 20 }),
  kind: fc.integer({ min: 0, max: 5 }),
  startTimeUnixNano: fc.integer({ min: 1, max: 2 ** 52 }).map((n) => n * 1000),
  durationNanos: fc.integer({ min: 0, max: 10 ** 9 }),
  attributes: attributesArb,
  status: fc.record({
    code: fc.integer({ min: 0, max: 2 }),
    message: fc.string({ maxLength: 10 }),
  }),
});

/** A valid ExportTraceServiceRequest object with 1-3 resources. */
export const traceRequestArb = fc
  .array(
    fc.record({
      service: fc.string({ minLength: 1, maxLength: 10 }),
      spans: fc.array(spanArb, { minLength: 1, maxLength: 5 }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((resources) => ({
    resourceSpans: resources.map((r) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: r.service } }] },
      scopeSpans: [
        {
          scope: { name: 'scope', version: '1' },
          spans: r.spans.map(({ durationNanos, ...s }) => ({
            ...s,
            endTimeUnixNano: s.startTimeUnixNano + durationNanos,
          })),
        },
      ],
    })),
  }));

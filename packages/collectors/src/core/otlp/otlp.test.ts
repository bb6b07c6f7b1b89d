import { telemetryEventType } from '@slo-scout/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceRequestArb } from '../../../test/arbitraries.ts';
import { encodeMessage } from '../proto/decode.ts';
import { messages } from '../proto/messages.ts';
import { toHex } from '../values.ts';
import { decodeOtlpLogs, encodeOtlpResponse } from './logs.ts';
import { decodeOtlpTraces } from './traces.ts';
import { parseLabelSet } from '../loki/labels.ts';

const ctx = { observedTimeMs: 1_700_000_000_000 };
const enc = (o: unknown) => encodeMessage(messages.traceRequest, o as Record<string, unknown>);
const toJson = (o: unknown): Uint8Array =>
  new TextEncoder().encode(
    JSON.stringify(o, (_k, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v)),
  );

describe('OTLP trace normaliser', () => {
  it('maps every span of a valid request, identically from protobuf and JSON', () => {
    fc.assert(
      fc.property(traceRequestArb, (request) => {
        const fromProto = decodeOtlpTraces(enc(request), 'protobuf', ctx);
        const fromJson = decodeOtlpTraces(toJson(request), 'json', ctx);
        if (!fromProto.ok || !fromJson.ok) throw new Error('decode failed');
        const spans = request.resourceSpans.flatMap((r) => r.scopeSpans[0]!.spans);
        expect(fromProto.value.rejected).toBe(0);
        expect(fromProto.value.events).toHaveLength(spans.length);
        expect(fromJson.value.events).toEqual(fromProto.value.events);
        fromProto.value.events.forEach((e, i) => {
          const s = spans[i]!;
          expect(telemetryEventType.check(e)).toBeUndefined();
          expect(e.event_id).toBe(`otlp-span:${toHex(s.traceId)}:${toHex(s.spanId)}`);
          // The generator makes whole microseconds, which a double above 2^53 ns holds only to
          // within 256 ns; the normaliser gives the exact millisecond of those microseconds.
          const micros = Math.round(s.startTimeUnixNano / 1000);
          expect(e.event_time_ms).toBe(Math.floor(micros / 1000));
          expect(e.status_code).toBe(['UNSET', 'OK', 'ERROR'][s.status.code]);
          expect(e.span_name).toBe(s.name);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('rejects malformed spans through partial success and keeps the rest', () => {
    const good = {
      traceId: new Uint8Array(16).fill(1),
      spanId: new Uint8Array(8).fill(2),
      name: 'ok',
      startTimeUnixNano: 1_000_000,
      endTimeUnixNano: 2_000_000,
    };
    const request = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                good,
                { ...good, traceId: new Uint8Array(3) },
                { ...good, spanId: new Uint8Array(8).fill(3), startTimeUnixNano: 0 },
              ],
            },
          ],
        },
      ],
    };
    const out = decodeOtlpTraces(enc(request), 'protobuf', ctx);
    expect(out.ok && out.value.events.map((e) => e.span_name)).toEqual(['ok']);
    expect(out.ok && out.value.rejected).toBe(2);
    const response = messages.traceResponse.toObject(
      messages.traceResponse.decode(
        encodeOtlpResponse(
          'traces',
          out.ok ? out.value : { rejected: 0, errorMessage: '' },
          'protobuf',
        ),
      ),
      { longs: Number },
    );
    expect(response).toMatchObject({ partialSuccess: { rejectedSpans: 2 } });
  });

  it('gives a typed error, never a throw, for random or mutated protobuf', () => {
    fc.assert(
      fc.property(
        traceRequestArb,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (request, at, byte) => {
          const bytes = enc(request).slice();
          bytes[at % bytes.length] = byte;
          const out = decodeOtlpTraces(
            bytes.subarray(0, (at * 7) % (bytes.length + 1)),
            'protobuf',
            ctx,
          );
          if (!out.ok) expect(['BAD_PROTOBUF', 'BAD_SHAPE']).toContain(out.error.code);
          else
            for (const e of out.value.events) expect(telemetryEventType.check(e)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => {
        const traces = decodeOtlpTraces(junk, 'protobuf', ctx);
        const logs = decodeOtlpLogs(junk, 'protobuf', ctx);
        for (const out of [traces, logs]) if (!out.ok) expect(out.error.code).toBe('BAD_PROTOBUF');
      }),
      { numRuns: 300 },
    );
  });

  it('gives a typed error for wrong JSON shapes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const bytes = new TextEncoder().encode(JSON.stringify(value));
        for (const out of [
          decodeOtlpTraces(bytes, 'json', ctx),
          decodeOtlpLogs(bytes, 'json', ctx),
        ]) {
          if (!out.ok) expect(['BAD_JSON', 'BAD_SHAPE']).toContain(out.error.code);
          else expect(out.value.events).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
    const nested = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 5, spanId: {} }] }] }] };
    const out = decodeOtlpTraces(new TextEncoder().encode(JSON.stringify(nested)), 'json', ctx);
    expect(out.ok && out.value.rejected).toBe(1);
    const notJson = decodeOtlpTraces(new TextEncoder().encode('{"resourceSpans": ['), 'json', ctx);
    expect(!notJson.ok && notJson.error.code).toBe('BAD_JSON');
  });
});

describe('OTLP logs normaliser', () => {
  const record = (body: string) => ({
    timeUnixNano: '1700000000123000000',
    severityNumber: 13,
    severityText: 'WARN',
    body: { stringValue: body },
    attributes: [
      {
        key: 'user',
        value: { kvlistValue: { values: [{ key: 'id', value: { intValue: '7' } }] } },
      },
    ],
  });
  const request = (bodies: string[]) =>
    new TextEncoder().encode(
      JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
            scopeLogs: [{ logRecords: bodies.map(record) }],
          },
        ],
      }),
    );

  it('maps records and derives the same event_id when the same data is re-sent', () => {
    const a = decodeOtlpLogs(request(['disk full', 'disk ok']), 'json', ctx);
    const b = decodeOtlpLogs(request(['disk full']), 'json', { observedTimeMs: 5 });
    if (!a.ok || !b.ok) throw new Error('decode failed');
    expect(a.value.events[0]).toMatchObject({
      kind: 'log',
      service: 'api',
      event_time_ms: 1_700_000_000_123,
      severity_number: 13,
      body: 'disk full',
      attributes: { user: '{"id":7}' },
    });
    expect(b.value.events[0]!.event_id).toBe(a.value.events[0]!.event_id);
    expect(a.value.events[1]!.event_id).not.toBe(a.value.events[0]!.event_id);
  });
});

describe('hostile attribute and label keys', () => {
  it('keeps a `__proto__` key as `_proto_` instead of replacing the prototype, through Avro', () => {
    const body = new TextEncoder().encode(
      JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
            scopeLogs: [
              {
                logRecords: [
                  {
                    timeUnixNano: '1700000000000000000',
                    body: { stringValue: 'hello' },
                    attributes: [
                      { key: '__proto__', value: { stringValue: 'polluted' } },
                      { key: 'user', value: { stringValue: 'u1' } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    const out = decodeOtlpLogs(body, 'json', ctx);
    if (!out.ok) throw out.error;
    const event = out.value.events[0]!;
    expect(Object.getPrototypeOf(event.attributes)).toBe(Object.prototype);
    expect(event.attributes).toEqual({ _proto_: 'polluted', user: 'u1' });
    expect(telemetryEventType.fromBuffer(telemetryEventType.toBuffer(event))).toEqual(event);
  });

  it('renames a `__proto__` label in a Loki/Prometheus label set', () => {
    const labels = parseLabelSet('{__proto__="x", job="api"}');
    expect(labels).toEqual({ _proto_: 'x', job: 'api' });
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });
});

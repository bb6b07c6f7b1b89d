import { normaliseOtlpLogs, normaliseOtlpTraces } from '@slo-scout/collectors';
import { createTelemetryEvent, type Journey, type TelemetryEvent } from '@slo-scout/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discoverJourneys } from '../journeys/discover.ts';
import { toOtlpJson } from './otlp.ts';
import { createSyntheticShop } from './shop.ts';

const HOUR = 3_600_000;
const ctx = { observedTimeMs: 1_800_000_000_000 };

/** Sends `events` through OTLP/JSON text and the collectors' normalisers. */
function roundTrip(events: readonly TelemetryEvent[]): TelemetryEvent[] {
  const otlp = toOtlpJson(events);
  const traces = normaliseOtlpTraces(JSON.parse(JSON.stringify(otlp.traces)), ctx);
  const logs = normaliseOtlpLogs(JSON.parse(JSON.stringify(otlp.logs)), ctx);
  if (!traces.ok) throw traces.error;
  if (!logs.ok) throw logs.error;
  expect(traces.value.rejected).toBe(0);
  expect(logs.value.rejected).toBe(0);
  return [...traces.value.events, ...logs.value.events];
}

/** A journey without the latency percentiles, which carry sub-microsecond float noise. */
function comparable(j: Journey): unknown {
  const { latencyMs: _latency, ...evidence } = j.evidence;
  return { ...j, evidence };
}

const hex = (bytes: number) =>
  fc
    .uint8Array({ minLength: bytes, maxLength: bytes })
    .filter((b) => b.some((x) => x !== 0))
    .map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(''));
const attrValue = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
);
const attrs = fc.dictionary(
  fc.string({ minLength: 1 }).filter((k) => k !== '__proto__'),
  attrValue,
  { maxKeys: 4 },
);
const common = {
  service: fc.stringMatching(/^[a-z][a-z-]{0,12}$/),
  time: fc.integer({ min: 1_500_000_000_000, max: 2_000_000_000_000 }),
  attributes: attrs,
};
const spanArb = fc
  .record({
    ...common,
    traceId: hex(16),
    spanId: hex(8),
    parent: fc.option(hex(8), { nil: null }),
    name: fc.string(),
    kind: fc.constantFrom('UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'),
    status: fc.constantFrom('UNSET', 'OK', 'ERROR'),
    durationUs: fc.integer({ min: 0, max: 600_000_000 }),
  })
  .map((s) =>
    createTelemetryEvent({
      event_id: `${s.traceId}-${s.spanId}`,
      kind: 'trace',
      service: s.service,
      event_time_ms: s.time,
      attributes: s.attributes,
      resource_attributes: { 'service.name': s.service },
      trace_id: s.traceId,
      span_id: s.spanId,
      parent_span_id: s.parent,
      span_name: s.name,
      span_kind: s.kind,
      status_code: s.status,
      duration_ms: s.durationUs / 1000,
    }),
  );
const logArb = fc
  .record({
    ...common,
    severity: fc.integer({ min: 1, max: 24 }),
    text: fc.option(fc.constantFrom('INFO', 'WARN', 'ERROR'), { nil: null }),
    body: fc.string(),
    traceId: fc.option(hex(16), { nil: null }),
  })
  .map((l) =>
    createTelemetryEvent({
      event_id: 'x',
      kind: 'log',
      service: l.service,
      event_time_ms: l.time,
      severity_number: l.severity,
      severity_text: l.text,
      body: l.body,
      attributes: l.attributes,
      resource_attributes: { 'service.name': l.service, 'host.name': 'h1' },
      trace_id: l.traceId,
    }),
  );

describe('toOtlpJson', () => {
  it('carries the synthetic shop through the collectors: discovery finds the same journeys', () => {
    const shop = createSyntheticShop({
      seed: 7,
      startMs: Date.UTC(2026, 0, 5),
      durationMs: 12 * HOUR,
      sessions: 300,
      incidents: [
        {
          startMs: Date.UTC(2026, 0, 5) + 3 * HOUR,
          endMs: Date.UTC(2026, 0, 5) + 4 * HOUR,
          service: 'payment',
          errorRate: 0.5,
        },
      ],
    });
    const received = roundTrip(shop.events);
    const sent = shop.events.filter((e) => e.kind === 'trace' || e.kind === 'log');
    expect(received).toHaveLength(sent.length);
    expect(toOtlpJson(shop.events).skipped).toBe(shop.events.length - sent.length);

    const before = discoverJourneys(shop.events);
    const after = discoverJourneys(received);
    expect(before.length).toBeGreaterThan(3);
    expect(after.map(comparable)).toEqual(before.map(comparable));
    after.forEach((j, i) => {
      const want = before[i]!.evidence.latencyMs!;
      expect(j.evidence.latencyMs!.p50).toBeCloseTo(want.p50, 3);
      expect(j.evidence.latencyMs!.p99).toBeCloseTo(want.p99, 3);
    });
    // The incident's errors survive the trip.
    const errors = (es: readonly TelemetryEvent[]) =>
      es.filter((e) => e.kind === 'trace' && e.status_code === 'ERROR').length;
    expect(errors(received)).toBe(errors(shop.events));
    expect(errors(received)).toBeGreaterThan(0);
  });

  it('keeps every span field a receiver reads', () => {
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 20 }), (spans) => {
        const fields = (e: TelemetryEvent) =>
          JSON.stringify([
            e.kind,
            e.service,
            e.event_time_ms,
            e.trace_id,
            e.span_id,
            e.parent_span_id,
            e.span_name,
            e.span_kind,
            e.status_code,
            e.attributes,
            // Microseconds: the receiver's float nanosecond arithmetic adds sub-microsecond noise.
            Math.round(e.duration_ms! * 1000),
          ]);
        expect(roundTrip(spans).map(fields).sort()).toEqual(spans.map(fields).sort());
      }),
      { numRuns: 60 },
    );
  });

  it('keeps every log field a receiver reads, grouped by resource', () => {
    fc.assert(
      fc.property(fc.array(logArb, { maxLength: 20 }), (logs) => {
        const otlp = toOtlpJson(logs);
        const services = new Set(logs.map((l) => l.service));
        expect(otlp.logs.resourceLogs).toHaveLength(services.size);
        expect(otlp.traces.resourceSpans).toHaveLength(0);
        const back = roundTrip(logs);
        const key = (e: TelemetryEvent) =>
          JSON.stringify([
            e.service,
            e.event_time_ms,
            e.severity_number,
            e.severity_text,
            e.body,
            e.attributes,
            e.resource_attributes,
            e.trace_id,
          ]);
        expect(back.map(key).sort()).toEqual(logs.map(key).sort());
      }),
      { numRuns: 60 },
    );
  });

  it('encodes ids as hex and times as decimal nanosecond strings', () => {
    const span = createTelemetryEvent({
      event_id: 'a',
      kind: 'trace',
      service: 'cart',
      event_time_ms: 1_700_000_000_123,
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      span_name: 'GET /cart',
      span_kind: 'SERVER',
      status_code: 'ERROR',
      duration_ms: 2.5,
      attributes: { 'http.response.status_code': 500, ratio: 0.25, ok: false },
    });
    const s = toOtlpJson([span]).traces.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(s).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      name: 'GET /cart',
      kind: 2,
      startTimeUnixNano: '1700000000123500000',
      endTimeUnixNano: '1700000000126000000',
      attributes: [
        { key: 'http.response.status_code', value: { intValue: '500' } },
        { key: 'ratio', value: { doubleValue: 0.25 } },
        { key: 'ok', value: { boolValue: false } },
      ],
      status: { code: 2 },
    });
  });
});

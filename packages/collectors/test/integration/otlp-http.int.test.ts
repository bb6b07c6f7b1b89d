import { SeverityNumber } from '@opentelemetry/api-logs';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPLogExporter as LogsHttpJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as TraceHttpJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  LoggerProvider,
  SimpleLogRecordProcessor,
  type LogRecordExporter,
} from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { telemetryEventType, type TelemetryEvent } from '@slo-scout/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySink } from '../../src/index.ts';
import { createCollectorServer } from '../../src/adapters/http/index.ts';

const sink = createMemorySink();
const server = createCollectorServer({ sink });
let base = '';

beforeAll(async () => {
  base = `http://127.0.0.1:${await server.listen()}`;
});
afterAll(() => server.close());

async function sendSpans(exporter: SpanExporter, service: string): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('checkout-tests', '1.2.3');
  const parent = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    attributes: { 'http.route': '/cart', 'http.response.status_code': 500, retry: true },
  });
  const child = tracer.startSpan(
    'SELECT cart',
    { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } },
    trace.setSpan(context.active(), parent),
  );
  child.end();
  parent.addEvent('cache miss', { key: 'cart:42' });
  parent.recordException(new Error('payment backend timed out'));
  parent.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
  parent.end();
  await provider.forceFlush();
  await provider.shutdown();
}

async function sendLogs(exporter: LogRecordExporter, service: string): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('app-logger', '0.9.0');
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'order 42 failed: card declined',
    attributes: { 'order.id': 42 },
  });
  logger.emit({ severityNumber: SeverityNumber.INFO, body: 'order 43 placed' });
  await provider.forceFlush();
  await provider.shutdown();
}

function byService(service: string): TelemetryEvent[] {
  return sink.events().filter((e) => e.service === service);
}

function expectTraces(service: string): void {
  const events = byService(service);
  for (const e of events) expect(telemetryEventType.check(e)).toBeUndefined();
  const spans = events.filter((e) => e.kind === 'trace');
  expect(spans).toHaveLength(2);
  const parent = spans.find((s) => s.span_name === 'GET /cart')!;
  const child = spans.find((s) => s.span_name === 'SELECT cart')!;
  expect(parent.span_kind).toBe('SERVER');
  expect(parent.status_code).toBe('ERROR');
  expect(parent.attributes).toMatchObject({
    'http.route': '/cart',
    'http.response.status_code': 500,
    retry: true,
    'otel.scope.name': 'checkout-tests',
    'otel.scope.version': '1.2.3',
    'otel.status_description': 'upstream failed',
    'otel.event_count': 2,
  });
  expect(parent.resource_attributes).toMatchObject({ 'deployment.environment': 'test' });
  expect(parent.trace_id).toMatch(/^[0-9a-f]{32}$/);
  expect(parent.parent_span_id).toBeNull();
  expect(child.parent_span_id).toBe(parent.span_id);
  expect(child.trace_id).toBe(parent.trace_id);
  expect(child.span_kind).toBe('CLIENT');
  expect(parent.event_id).toBe(`otlp-span:${parent.trace_id}:${parent.span_id}`);
  expect(parent.duration_ms).toBeGreaterThanOrEqual(0);
  expect(Math.abs(parent.event_time_ms - Date.now())).toBeLessThan(60_000);
  const logs = events.filter((e) => e.kind === 'log');
  expect(logs.map((l) => l.body).sort()).toEqual([
    'cache miss',
    'exception: payment backend timed out',
  ]);
  const exception = logs.find((l) => l.severity_text === 'ERROR')!;
  expect(exception.span_id).toBe(parent.span_id);
  expect(exception.attributes['exception.type']).toBe('Error');
}

function expectLogs(service: string): void {
  const logs = byService(service);
  expect(logs).toHaveLength(2);
  for (const e of logs) expect(telemetryEventType.check(e)).toBeUndefined();
  const error = logs.find((l) => l.severity_number === 17)!;
  expect(error).toMatchObject({
    kind: 'log',
    body: 'order 42 failed: card declined',
    severity_text: 'ERROR',
  });
  expect(error.attributes).toMatchObject({ 'order.id': 42, 'otel.scope.name': 'app-logger' });
  expect(error.event_id).toMatch(/^otlp-log:[0-9a-f]{32}$/);
}

describe('OTLP/HTTP receiver with the real OpenTelemetry JS exporters', () => {
  it('accepts spans over HTTP/protobuf', async () => {
    await sendSpans(new TraceProto({ url: `${base}/v1/traces` }), 'cart-proto');
    expectTraces('cart-proto');
  });

  it('accepts gzip-compressed spans over HTTP/JSON', async () => {
    await sendSpans(
      new TraceHttpJson({ url: `${base}/v1/traces`, compression: 'gzip' as never }),
      'cart-json',
    );
    expectTraces('cart-json');
  });

  it('accepts logs over HTTP/protobuf and HTTP/JSON', async () => {
    await sendLogs(new LogsProto({ url: `${base}/v1/logs` }), 'orders-proto');
    await sendLogs(new LogsHttpJson({ url: `${base}/v1/logs` }), 'orders-json');
    expectLogs('orders-proto');
    expectLogs('orders-json');
  });
});

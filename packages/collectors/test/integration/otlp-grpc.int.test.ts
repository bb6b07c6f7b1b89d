import { SeverityNumber } from '@opentelemetry/api-logs';
import { SpanKind } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { telemetryEventType } from '@slo-scout/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtlpGrpcServer } from '../../src/adapters/grpc/index.ts';
import { createMemorySink } from '../../src/index.ts';

const sink = createMemorySink();
const server = createOtlpGrpcServer({ sink });
let url = '';
beforeAll(async () => {
  url = `http://127.0.0.1:${await server.listen()}`;
});
afterAll(() => server.close());

describe('OTLP/gRPC receiver with the real OpenTelemetry JS gRPC exporters', () => {
  it('accepts spans and logs', async () => {
    const tracer = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'grpc-svc' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url }))],
    });
    tracer
      .getTracer('t')
      .startSpan('POST /pay', { kind: SpanKind.SERVER, attributes: { amount: 12.5 } })
      .end();
    await tracer.forceFlush();
    await tracer.shutdown();
    const logs = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'grpc-svc' }),
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url }) })],
    });
    logs
      .getLogger('l')
      .emit({ severityNumber: SeverityNumber.WARN, body: 'slow payment provider' });
    await logs.forceFlush();
    await logs.shutdown();
    const events = sink.events().filter((e) => e.service === 'grpc-svc');
    for (const e of events) expect(telemetryEventType.check(e)).toBeUndefined();
    expect(events.find((e) => e.kind === 'trace')).toMatchObject({
      span_name: 'POST /pay',
      span_kind: 'SERVER',
      attributes: { amount: 12.5 },
    });
    expect(events.find((e) => e.kind === 'log')).toMatchObject({
      body: 'slow payment provider',
      severity_number: 13,
    });
  });
});

import {
  createTelemetryEvent,
  type Attributes,
  type SpanKind,
  type StatusCode,
  type TelemetryEvent,
} from '@slo-scout/schema';
import { CollectorError, err, ok, type Result } from '../errors.ts';
import { messages } from '../proto/messages.ts';
import {
  arrayField,
  attributes,
  idField,
  intField,
  isObj,
  nanosToMs,
  stringField,
  type Obj,
} from '../values.ts';
import {
  parseOtlpBody,
  readResource,
  Rejections,
  scopeAttributes,
  type NormaliseContext,
  type NormalisedBatch,
  type OtlpEncoding,
  type ResourceInfo,
} from './common.ts';

const SPAN_KINDS: readonly SpanKind[] = [
  'UNSPECIFIED',
  'INTERNAL',
  'SERVER',
  'CLIENT',
  'PRODUCER',
  'CONSUMER',
];
const STATUS_CODES: readonly StatusCode[] = ['UNSET', 'OK', 'ERROR'];

/** Severity numbers of the log events derived from span events (OpenTelemetry log data model). */
const SEVERITY_INFO = 9;
const SEVERITY_ERROR = 17;

/**
 * Normalises an OTLP ExportTraceServiceRequest (decoded protobuf or OTLP/JSON object) into
 * TelemetryEvents: one `trace` event per span (event_id `otlp-span:<trace>:<span>`) and one `log`
 * event per span event (exceptions at ERROR severity). Malformed spans are counted as rejected.
 */
export function normaliseOtlpTraces(
  request: unknown,
  ctx: NormaliseContext,
): Result<NormalisedBatch> {
  if (!isObj(request))
    return err(new CollectorError('BAD_SHAPE', 'trace request must be an object'));
  const resourceSpans = arrayField(request, 'resourceSpans');
  if (!resourceSpans) {
    return err(new CollectorError('BAD_SHAPE', 'resourceSpans must be an array'));
  }
  const events: TelemetryEvent[] = [];
  const rejections = new Rejections();
  for (const rs of resourceSpans) {
    if (!isObj(rs)) {
      rejections.add('resourceSpans entry is not an object');
      continue;
    }
    const resource = readResource(rs, ctx);
    const scopeSpans = arrayField(rs, 'scopeSpans');
    if (!scopeSpans) {
      rejections.add('scopeSpans must be an array');
      continue;
    }
    for (const ss of scopeSpans) {
      if (!isObj(ss)) {
        rejections.add('scopeSpans entry is not an object');
        continue;
      }
      const spans = arrayField(ss, 'spans');
      if (!spans) {
        rejections.add('spans must be an array');
        continue;
      }
      const scope = scopeAttributes(ss);
      for (const span of spans) {
        const reason = span === null || !isObj(span) ? 'span is not an object' : undefined;
        const out = reason ?? toSpanEvents(span as Obj, { resource, scope, ctx }, events);
        if (out !== undefined) rejections.add(out);
      }
    }
  }
  return ok({ events, rejected: rejections.count, errorMessage: rejections.message() });
}

interface SpanScope {
  readonly resource: ResourceInfo;
  readonly scope: Attributes;
  readonly ctx: NormaliseContext;
}

/** Appends a span's events to `out`; returns a rejection reason instead when it is malformed. */
function toSpanEvents(span: Obj, at: SpanScope, out: TelemetryEvent[]): string | undefined {
  const traceId = idField(span, 'traceId', 16);
  const spanId = idField(span, 'spanId', 8);
  if (!traceId) return 'span has an invalid or empty traceId';
  if (!spanId) return `span in trace ${traceId} has an invalid or empty spanId`;
  const parent = idField(span, 'parentSpanId', 8);
  if (parent === undefined) return `span ${spanId}: invalid parentSpanId`;
  const name = stringField(span, 'name');
  const kind = intField(span, 'kind');
  const start = intField(span, 'startTimeUnixNano');
  const end = intField(span, 'endTimeUnixNano');
  const attrList = arrayField(span, 'attributes');
  const eventList = arrayField(span, 'events');
  if (name === undefined || kind === undefined || !attrList || !eventList) {
    return `span ${spanId}: malformed name, kind, attributes or events`;
  }
  if (start === undefined || end === undefined || start <= 0 || end < start) {
    return `span ${spanId}: invalid start/end time`;
  }
  const status = isObj(span['status']) ? span['status'] : {};
  const code = intField(status, 'code');
  const statusMessage = stringField(status, 'message');
  if (code === undefined || statusMessage === undefined) return `span ${spanId}: malformed status`;
  const attrs = { ...at.scope, ...attributes(attrList) };
  if (statusMessage !== '') attrs['otel.status_description'] = statusMessage;
  if (eventList.length > 0) attrs['otel.event_count'] = eventList.length;
  const startMs = nanosToMs(start);
  out.push(
    createTelemetryEvent({
      event_id: `otlp-span:${traceId}:${spanId}`,
      kind: 'trace',
      service: at.resource.service,
      event_time_ms: startMs,
      observed_time_ms: at.ctx.observedTimeMs,
      attributes: attrs,
      resource_attributes: at.resource.attributes,
      trace_id: traceId,
      span_id: spanId,
      parent_span_id: parent,
      span_name: name,
      span_kind: SPAN_KINDS[kind] ?? 'UNSPECIFIED',
      status_code: STATUS_CODES[code] ?? 'UNSET',
      duration_ms: (end - start) / 1e6,
    }),
  );
  eventList.forEach((ev, index) => {
    if (!isObj(ev)) return;
    const evName = stringField(ev, 'name') ?? '';
    const evTime = intField(ev, 'timeUnixNano');
    const evAttrs = { ...at.scope, ...attributes(arrayField(ev, 'attributes') ?? []) };
    const isException = evName === 'exception';
    const message = evAttrs['exception.message'];
    out.push(
      createTelemetryEvent({
        event_id: `otlp-span-event:${traceId}:${spanId}:${index}`,
        kind: 'log',
        service: at.resource.service,
        event_time_ms: evTime !== undefined && evTime > 0 ? nanosToMs(evTime) : startMs,
        observed_time_ms: at.ctx.observedTimeMs,
        severity_number: isException ? SEVERITY_ERROR : SEVERITY_INFO,
        severity_text: isException ? 'ERROR' : 'INFO',
        body: isException && typeof message === 'string' ? `${evName}: ${message}` : evName,
        attributes: { ...evAttrs, 'otel.event.name': evName },
        resource_attributes: at.resource.attributes,
        trace_id: traceId,
        span_id: spanId,
        span_name: name,
      }),
    );
  });
  return undefined;
}

/** Decodes an OTLP trace request body (protobuf or JSON) and normalises it. */
export function decodeOtlpTraces(
  body: Uint8Array,
  encoding: OtlpEncoding,
  ctx: NormaliseContext,
): Result<NormalisedBatch> {
  const parsed = parseOtlpBody(body, encoding, messages.traceRequest);
  return parsed.ok ? normaliseOtlpTraces(parsed.value, ctx) : parsed;
}

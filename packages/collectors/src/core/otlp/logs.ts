import { createTelemetryEvent, type Attributes, type TelemetryEvent } from '@slo-scout/schema';
import { CollectorError, err, ok, type Result } from '../errors.ts';
import { toEventId } from '../hash.ts';
import { messages } from '../proto/messages.ts';
import {
  anyValue,
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
} from './common.ts';

/**
 * Normalises an OTLP ExportLogsServiceRequest into `log` TelemetryEvents. The event_id hashes the
 * record's identity (service, times, severity, body, attributes, trace context), so a retried
 * export yields the same ids. Malformed records are counted as rejected.
 */
export function normaliseOtlpLogs(
  request: unknown,
  ctx: NormaliseContext,
): Result<NormalisedBatch> {
  if (!isObj(request))
    return err(new CollectorError('BAD_SHAPE', 'logs request must be an object'));
  const resourceLogs = arrayField(request, 'resourceLogs');
  if (!resourceLogs) return err(new CollectorError('BAD_SHAPE', 'resourceLogs must be an array'));
  const events: TelemetryEvent[] = [];
  const rejections = new Rejections();
  for (const rl of resourceLogs) {
    if (!isObj(rl)) {
      rejections.add('resourceLogs entry is not an object');
      continue;
    }
    const resource = readResource(rl, ctx);
    const scopeLogs = arrayField(rl, 'scopeLogs');
    if (!scopeLogs) {
      rejections.add('scopeLogs must be an array');
      continue;
    }
    for (const sl of scopeLogs) {
      const records = isObj(sl) ? arrayField(sl, 'logRecords') : undefined;
      if (!isObj(sl) || !records) {
        rejections.add('scopeLogs entry or its logRecords is malformed');
        continue;
      }
      const scope = scopeAttributes(sl);
      for (const record of records) {
        const event = isObj(record)
          ? toLogEvent(record, { scope, resource, ctx })
          : 'log record is not an object';
        if (typeof event === 'string') rejections.add(event);
        else events.push(event);
      }
    }
  }
  return ok({ events, rejected: rejections.count, errorMessage: rejections.message() });
}

interface LogScope {
  readonly scope: Attributes;
  readonly resource: { readonly service: string; readonly attributes: Record<string, unknown> };
  readonly ctx: NormaliseContext;
}

function toLogEvent(record: Obj, at: LogScope): TelemetryEvent | string {
  const time = intField(record, 'timeUnixNano');
  const observed = intField(record, 'observedTimeUnixNano');
  const severity = intField(record, 'severityNumber');
  const severityText = stringField(record, 'severityText');
  const attrList = arrayField(record, 'attributes');
  const traceId = idField(record, 'traceId', 16);
  const spanId = idField(record, 'spanId', 8);
  if (time === undefined || observed === undefined || time < 0 || observed < 0) {
    return 'log record has an invalid timestamp';
  }
  if (severity === undefined || severity < 0 || severity > 24 || severityText === undefined) {
    return 'log record has an invalid severity';
  }
  if (!attrList || traceId === undefined || spanId === undefined) {
    return 'log record has malformed attributes or trace context';
  }
  const nanos = time > 0 ? time : observed;
  if (nanos === 0) return 'log record has neither timeUnixNano nor observedTimeUnixNano';
  const bodyValue = anyValue(record['body']);
  const body = bodyValue === null ? null : String(bodyValue);
  const attrs = { ...at.scope, ...attributes(attrList) };
  const eventName = stringField(record, 'eventName');
  if (eventName) attrs['otel.event.name'] = eventName;
  const service = at.resource.service;
  return createTelemetryEvent({
    event_id: toEventId('otlp-log', [
      service,
      time,
      observed,
      severity,
      body,
      JSON.stringify(attrs),
      traceId,
      spanId,
    ]),
    kind: 'log',
    service,
    event_time_ms: nanosToMs(nanos),
    observed_time_ms: at.ctx.observedTimeMs,
    severity_number: severity,
    severity_text: severityText === '' ? null : severityText,
    body,
    attributes: attrs,
    resource_attributes: at.resource.attributes as TelemetryEvent['resource_attributes'],
    trace_id: traceId,
    span_id: spanId,
  });
}

/** Decodes an OTLP logs request body (protobuf or JSON) and normalises it. */
export function decodeOtlpLogs(
  body: Uint8Array,
  encoding: OtlpEncoding,
  ctx: NormaliseContext,
): Result<NormalisedBatch> {
  const parsed = parseOtlpBody(body, encoding, messages.logsRequest);
  return parsed.ok ? normaliseOtlpLogs(parsed.value, ctx) : parsed;
}

/** Encodes an OTLP export response (partial success when records were rejected). */
export function encodeOtlpResponse(
  signal: 'traces' | 'logs',
  batch: Pick<NormalisedBatch, 'rejected' | 'errorMessage'>,
  encoding: OtlpEncoding,
): Uint8Array {
  const countKey = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  const partial =
    batch.rejected > 0
      ? { [countKey]: batch.rejected, errorMessage: batch.errorMessage }
      : undefined;
  const body = partial ? { partialSuccess: partial } : {};
  if (encoding === 'json') {
    const json = partial
      ? { partialSuccess: { ...partial, [countKey]: String(batch.rejected) } }
      : {};
    return new TextEncoder().encode(JSON.stringify(json));
  }
  const type = signal === 'traces' ? messages.traceResponse : messages.logsResponse;
  return type.encode(type.fromObject(body)).finish();
}

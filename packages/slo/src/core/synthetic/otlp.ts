import type { AttributeValue, Attributes, SpanKind, TelemetryEvent } from '@slo-scout/schema';

/** An OTLP/JSON `AnyValue` (64-bit integers as decimal strings, as the encoding requires). */
export type OtlpAnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number }
  | Record<string, never>;

/** An OTLP/JSON `KeyValue`. */
export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}

/** An OTLP/JSON `Resource`. */
export interface OtlpResource {
  readonly attributes: readonly OtlpKeyValue[];
}

/** An OTLP/JSON `Span` (ids as lower-case hex, times as decimal nanosecond strings). */
export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly status: { readonly code: number };
}

/** An OTLP/JSON `LogRecord`. */
export interface OtlpLogRecord {
  readonly timeUnixNano: string;
  readonly observedTimeUnixNano: string;
  readonly severityNumber: number;
  readonly severityText?: string;
  readonly body?: OtlpAnyValue;
  readonly attributes: readonly OtlpKeyValue[];
  readonly traceId?: string;
  readonly spanId?: string;
}

/** An OTLP/JSON `ExportTraceServiceRequest`. */
export interface OtlpTraceRequest {
  readonly resourceSpans: readonly {
    readonly resource: OtlpResource;
    readonly scopeSpans: readonly { readonly spans: readonly OtlpSpan[] }[];
  }[];
}

/** An OTLP/JSON `ExportLogsServiceRequest`. */
export interface OtlpLogsRequest {
  readonly resourceLogs: readonly {
    readonly resource: OtlpResource;
    readonly scopeLogs: readonly { readonly logRecords: readonly OtlpLogRecord[] }[];
  }[];
}

/** What {@link toOtlpJson} produced. */
export interface OtlpJson {
  readonly traces: OtlpTraceRequest;
  readonly logs: OtlpLogsRequest;
  /** Events with no OTLP trace/log form (`rum`, `metric`), left out. */
  readonly skipped: number;
}

const SPAN_KINDS: readonly SpanKind[] = [
  'UNSPECIFIED',
  'INTERNAL',
  'SERVER',
  'CLIENT',
  'PRODUCER',
  'CONSUMER',
];
const STATUS_CODES = { UNSET: 0, OK: 1, ERROR: 2 } as const;

/**
 * Encodes `trace` and `log` TelemetryEvents (e.g. the synthetic shop's) as OTLP/JSON export
 * requests, grouped by resource, so they can be sent through a real OTLP receiver.
 * @example
 * const { traces, logs } = toOtlpJson(createSyntheticShop(options).events);
 * await fetch(`${collector}/v1/traces`, { method: 'POST', body: JSON.stringify(traces), headers });
 */
export function toOtlpJson(events: readonly TelemetryEvent[]): OtlpJson {
  const spans = new Map<string, { resource: OtlpResource; items: OtlpSpan[] }>();
  const logs = new Map<string, { resource: OtlpResource; items: OtlpLogRecord[] }>();
  let skipped = 0;
  for (const e of events) {
    if (e.kind === 'trace' && e.trace_id !== null && e.span_id !== null) {
      groupOf(spans, e).items.push(toSpan(e, e.trace_id, e.span_id));
    } else if (e.kind === 'log') {
      groupOf(logs, e).items.push(toLogRecord(e));
    } else skipped++;
  }
  return {
    traces: {
      resourceSpans: [...spans.values()].map((g) => ({
        resource: g.resource,
        scopeSpans: [{ spans: g.items }],
      })),
    },
    logs: {
      resourceLogs: [...logs.values()].map((g) => ({
        resource: g.resource,
        scopeLogs: [{ logRecords: g.items }],
      })),
    },
    skipped,
  };
}

function groupOf<T>(
  groups: Map<string, { resource: OtlpResource; items: T[] }>,
  e: TelemetryEvent,
): { resource: OtlpResource; items: T[] } {
  // The resource must name the service, or the receiver would attribute the event to another.
  const attrs: Attributes = { ...e.resource_attributes, 'service.name': e.service };
  const key = JSON.stringify(Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : 1)));
  let group = groups.get(key);
  if (group === undefined) {
    group = { resource: { attributes: toKeyValues(attrs) }, items: [] };
    groups.set(key, group);
  }
  return group;
}

function toSpan(e: TelemetryEvent, traceId: string, spanId: string): OtlpSpan {
  const start = msToNanos(e.event_time_ms);
  const end = start + BigInt(Math.max(0, Math.round((e.duration_ms ?? 0) * 1e6)));
  const kind = SPAN_KINDS.indexOf(e.span_kind ?? 'UNSPECIFIED');
  return {
    traceId,
    spanId,
    ...(e.parent_span_id === null ? {} : { parentSpanId: e.parent_span_id }),
    name: e.span_name ?? '',
    kind: Math.max(0, kind),
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    attributes: toKeyValues(e.attributes),
    status: { code: STATUS_CODES[e.status_code ?? 'UNSET'] },
  };
}

function toLogRecord(e: TelemetryEvent): OtlpLogRecord {
  return {
    timeUnixNano: msToNanos(e.event_time_ms).toString(),
    observedTimeUnixNano: msToNanos(e.observed_time_ms).toString(),
    severityNumber: e.severity_number ?? 0,
    ...(e.severity_text === null ? {} : { severityText: e.severity_text }),
    ...(e.body === null ? {} : { body: { stringValue: e.body } }),
    attributes: toKeyValues(e.attributes),
    ...(e.trace_id === null ? {} : { traceId: e.trace_id }),
    ...(e.span_id === null ? {} : { spanId: e.span_id }),
  };
}

/**
 * Milliseconds to nanoseconds, plus half a millisecond: a receiver that turns the nanosecond string
 * back into milliseconds through a double (`Math.floor(Number(ns) / 1e6)`) then lands on the same
 * millisecond, where an exact `ms * 1e6` can round down to the one before.
 */
function msToNanos(ms: number): bigint {
  return BigInt(Math.round(ms)) * 1_000_000n + 500_000n;
}

function toKeyValues(attrs: Attributes): OtlpKeyValue[] {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: toAnyValue(value) }));
}

function toAnyValue(v: AttributeValue): OtlpAnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') {
    return Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  }
  return {};
}

import type { JourneyKey, TelemetryEvent } from '@slo-scout/schema';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MONEY = /pay|checkout|charge|refund|billing|invoice|purchase|transfer/i;
/** gRPC codes that are server faults (UNKNOWN, DEADLINE_EXCEEDED, INTERNAL, UNAVAILABLE, DATA_LOSS). */
const GRPC_SERVER_ERRORS = new Set([2, 4, 13, 14, 15]);

/** The span attributes journey discovery and SLI history read; nothing else needs keeping. */
export const JOURNEY_ATTRIBUTES: readonly string[] = [
  'http.request.method',
  'http.method',
  'http.route',
  'http.response.status_code',
  'http.status_code',
  'rpc.service',
  'rpc.method',
  'rpc.grpc.status_code',
  'session.id',
];

/**
 * A trace span reduced to what journeys need: ids, service, name, kind, timing, status and the
 * {@link JOURNEY_ATTRIBUTES}; body, resource attributes and every other attribute are dropped.
 * `redact` (e.g. the fingerprint redactor's `redact(t).text`) is applied to the span name and the
 * kept string attributes except `session.id`, a random id. Non-trace events answer `undefined`.
 */
export function toJourneySpan(
  event: TelemetryEvent,
  redact: (text: string) => string = (t) => t,
): TelemetryEvent | undefined {
  if (event.kind !== 'trace' || event.trace_id === null || event.span_id === null) return undefined;
  const attributes: TelemetryEvent['attributes'] = {};
  for (const k of JOURNEY_ATTRIBUTES) {
    const v = event.attributes[k];
    if (v !== undefined)
      attributes[k] = typeof v === 'string' && k !== 'session.id' ? redact(v) : v;
  }
  return {
    ...event,
    span_name: event.span_name === null ? null : redact(event.span_name),
    body: null,
    resource_attributes: {},
    metric_labels: {},
    attributes,
  };
}

/** The journey key of an entry span: HTTP route, else RPC method, else span name; never a raw path. */
export function toJourneyKey(span: TelemetryEvent): JourneyKey {
  const a = span.attributes;
  const method = a['http.request.method'] ?? a['http.method'];
  const route = a['http.route'];
  if (typeof method === 'string' && typeof route === 'string' && route.length > 0)
    return { type: 'http', service: span.service, method: method.toUpperCase(), route };
  const rpcService = a['rpc.service'];
  const rpcMethod = a['rpc.method'];
  if (typeof rpcService === 'string' && typeof rpcMethod === 'string')
    return { type: 'rpc', service: span.service, rpcService, rpcMethod };
  return { type: 'span', service: span.service, spanName: span.span_name ?? '(unnamed)' };
}

/** A readable journey name: `POST /checkout`, `shop.Payment/Charge`, a span name, or steps. */
export function toJourneyName(key: JourneyKey): string {
  switch (key.type) {
    case 'http':
      return `${key.method} ${key.route}`;
    case 'rpc':
      return `${key.rpcService}/${key.rpcMethod}`;
    case 'span':
      return key.spanName;
    case 'sequence':
      return key.steps.join(' → ');
    case 'other':
      return `other (${key.service})`;
  }
}

/** A stable DNS-1123 id for a key: a readable slug plus a short hash of the whole key. */
export function toJourneyId(key: JourneyKey): string {
  const service = key.type === 'sequence' ? 'flow' : key.service;
  const slug = `${service}-${toJourneyName(key)}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return `${slug}-${fnv1a(JSON.stringify(key)).slice(0, 6)}`;
}

/** True for operations that write or move money. */
export function isCriticalKey(key: JourneyKey): boolean {
  if (key.type === 'http' && WRITE_METHODS.has(key.method)) return true;
  return MONEY.test(toJourneyName(key));
}

/** True when a span is a server-side failure: error status, 5xx, or a gRPC server fault; 4xx are not. */
export function isServerError(span: TelemetryEvent): boolean {
  const http = span.attributes['http.response.status_code'] ?? span.attributes['http.status_code'];
  if (typeof http === 'number') return http >= 500;
  const grpc = span.attributes['rpc.grpc.status_code'];
  if (typeof grpc === 'number') return GRPC_SERVER_ERRORS.has(grpc);
  return span.status_code === 'ERROR';
}

/** 32-bit FNV-1a as 8 hex digits. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

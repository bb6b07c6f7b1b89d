/**
 * Avro schemas of SLO-Scout's wire records. They are the contract between collectors, stream jobs
 * and stores; evolve them only by adding fields with defaults (see `schema-evolution.test.ts`).
 */

const NAMESPACE = 'io.sloscout.v1';

/** An attribute value as carried on the wire: OpenTelemetry AnyValue narrowed to scalars. */
const attributeMap = {
  type: 'map',
  values: ['null', 'string', 'double', 'boolean'],
} as const;

/** Avro schema of `TelemetryEvent`: one normalised metric sample, span, log record or RUM event. */
export const telemetryEventSchema = {
  type: 'record',
  name: 'TelemetryEvent',
  namespace: NAMESPACE,
  doc: 'One normalised telemetry item: a metric sample, a span, a log record or a RUM event.',
  fields: [
    { name: 'event_id', type: 'string', doc: 'Idempotency key: source plus a stable identity.' },
    {
      name: 'kind',
      type: { type: 'enum', name: 'TelemetryKind', symbols: ['metric', 'trace', 'log', 'rum'] },
    },
    { name: 'service', type: 'string' },
    { name: 'event_time_ms', type: 'long', doc: 'When it happened, Unix epoch milliseconds.' },
    { name: 'observed_time_ms', type: 'long', doc: 'When a collector saw it, epoch ms.' },
    { name: 'severity_number', type: ['null', 'int'], default: null },
    { name: 'severity_text', type: ['null', 'string'], default: null },
    { name: 'body', type: ['null', 'string'], default: null },
    { name: 'attributes', type: attributeMap, default: {} },
    { name: 'resource_attributes', type: attributeMap, default: {} },
    { name: 'trace_id', type: ['null', 'string'], default: null },
    { name: 'span_id', type: ['null', 'string'], default: null },
    { name: 'parent_span_id', type: ['null', 'string'], default: null },
    { name: 'span_name', type: ['null', 'string'], default: null },
    {
      name: 'span_kind',
      type: [
        'null',
        {
          type: 'enum',
          name: 'SpanKind',
          symbols: ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'],
        },
      ],
      default: null,
    },
    {
      name: 'status_code',
      type: ['null', { type: 'enum', name: 'StatusCode', symbols: ['UNSET', 'OK', 'ERROR'] }],
      default: null,
    },
    { name: 'duration_ms', type: ['null', 'double'], default: null },
    { name: 'metric_name', type: ['null', 'string'], default: null },
    {
      name: 'metric_type',
      type: [
        'null',
        {
          type: 'enum',
          name: 'MetricType',
          symbols: ['gauge', 'counter', 'histogram', 'summary'],
        },
      ],
      default: null,
    },
    { name: 'metric_value', type: ['null', 'double'], default: null },
    { name: 'metric_labels', type: { type: 'map', values: 'string' }, default: {} },
    {
      name: 'histogram',
      type: [
        'null',
        {
          type: 'record',
          name: 'Histogram',
          doc: 'Explicit-bucket histogram; counts has bounds.length + 1 entries.',
          fields: [
            { name: 'bounds', type: { type: 'array', items: 'double' } },
            { name: 'counts', type: { type: 'array', items: 'long' } },
            { name: 'sum', type: ['null', 'double'], default: null },
            { name: 'count', type: 'long' },
          ],
        },
      ],
      default: null,
    },
    {
      name: 'rum',
      type: [
        'null',
        {
          type: 'record',
          name: 'RumFields',
          fields: [
            { name: 'session_id', type: 'string' },
            {
              name: 'event_type',
              type: {
                type: 'enum',
                name: 'RumEventType',
                symbols: ['page_view', 'route_change', 'web_vital', 'js_error', 'resource_error'],
              },
            },
            { name: 'route', type: ['null', 'string'], default: null },
            { name: 'journey', type: ['null', 'string'], default: null },
            { name: 'step', type: ['null', 'string'], default: null },
            { name: 'vital_name', type: ['null', 'string'], default: null },
            { name: 'vital_value', type: ['null', 'double'], default: null },
            { name: 'vital_rating', type: ['null', 'string'], default: null },
            { name: 'user_agent', type: ['null', 'string'], default: null },
          ],
        },
      ],
      default: null,
    },
  ],
} as const;

/** Avro schema of `CapsuleEvent`: one fingerprinted, redacted log or span message. */
export const capsuleEventSchema = {
  type: 'record',
  name: 'CapsuleEvent',
  namespace: NAMESPACE,
  doc: 'A fingerprinted message. redaction_applied must be true before it is stored or embedded.',
  fields: [
    { name: 'fingerprint_hash', type: 'string', doc: 'SHA-256 hex of (service, template).' },
    { name: 'template', type: 'string' },
    { name: 'service', type: 'string' },
    { name: 'severity_number', type: 'int', doc: 'OpenTelemetry severity number, 0 = unset.' },
    { name: 'severity_text', type: ['null', 'string'], default: null },
    { name: 'event_time_ms', type: 'long' },
    { name: 'redacted_sample', type: 'string' },
    { name: 'redaction_applied', type: 'boolean' },
    { name: 'source_event_id', type: 'string' },
    {
      name: 'source_kind',
      type: { type: 'enum', name: 'CapsuleSource', symbols: ['log', 'trace', 'rum'] },
    },
    { name: 'parameters', type: { type: 'array', items: 'string' }, default: [] },
    { name: 'trace_id', type: ['null', 'string'], default: null },
    {
      name: 'source',
      type: ['null', 'string'],
      default: null,
      doc: 'Emitting instance (service.instance.id or host.name) when known.',
    },
  ],
} as const;

/** Avro schema of `CapsuleWindow`: one closed tumbling window of a fingerprint in a service. */
export const capsuleWindowSchema = {
  type: 'record',
  name: 'CapsuleWindow',
  namespace: NAMESPACE,
  doc: 'Aggregate of one fingerprint in one service over one time bucket.',
  fields: [
    { name: 'fingerprint_hash', type: 'string' },
    { name: 'service', type: 'string' },
    { name: 'template', type: 'string' },
    { name: 'time_bucket_ms', type: 'long', doc: 'Window start, epoch ms (UTC bucket).' },
    { name: 'window_size_ms', type: 'long' },
    { name: 'count', type: 'long' },
    {
      name: 'severity_distribution',
      doc: 'Counts by OpenTelemetry severity range: 1-4 TRACE ... 21-24 FATAL, 0 unspecified.',
      type: {
        type: 'record',
        name: 'SeverityDistribution',
        fields: [
          { name: 'unspecified', type: 'long', default: 0 },
          { name: 'trace', type: 'long', default: 0 },
          { name: 'debug', type: 'long', default: 0 },
          { name: 'info', type: 'long', default: 0 },
          { name: 'warn', type: 'long', default: 0 },
          { name: 'error', type: 'long', default: 0 },
          { name: 'fatal', type: 'long', default: 0 },
        ],
      },
    },
    {
      name: 'reservoir_sample',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'SampleEntry',
          fields: [
            { name: 'event_id', type: 'string' },
            { name: 'event_time_ms', type: 'long' },
            { name: 'severity_number', type: 'int' },
            { name: 'redacted_sample', type: 'string' },
          ],
        },
      },
      default: [],
    },
    {
      name: 'distinct_sources',
      type: 'long',
      doc: 'Distinct emitting instances (CapsuleEvent.source) seen.',
    },
    { name: 'first_seen_ms', type: 'long' },
    { name: 'last_seen_ms', type: 'long' },
  ],
} as const;

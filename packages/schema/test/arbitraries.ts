/** fast-check arbitraries of valid wire records, shared by the schema tests. */
import fc from 'fast-check';
import type {
  CapsuleEvent,
  CapsuleWindow,
  Histogram,
  RumFields,
  TelemetryEvent,
} from '../src/index.ts';

const epochMs = fc.integer({ min: 0, max: 4_102_444_800_000 });
const nullable = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
// `__proto__` is excluded: avsc decodes maps into plain objects, where that key cannot be a
// property (collectors must not emit it).
const key = (maxLength?: number) =>
  fc.string(maxLength === undefined ? {} : { maxLength }).filter((k) => k !== '__proto__');
const attrs = fc.dictionary(
  key(12),
  fc.oneof(fc.constant(null), fc.string(), finite, fc.boolean()),
  { maxKeys: 5 },
);

const histogram: fc.Arbitrary<Histogram> = fc.array(finite, { maxLength: 6 }).chain((bounds) =>
  fc.record({
    bounds: fc.constant(bounds),
    counts: fc.array(fc.nat(), { minLength: bounds.length + 1, maxLength: bounds.length + 1 }),
    sum: nullable(finite),
    count: fc.nat(),
  }),
);

const rum: fc.Arbitrary<RumFields> = fc.record({
  session_id: fc.uuid(),
  event_type: fc.constantFrom(
    'page_view',
    'route_change',
    'web_vital',
    'js_error',
    'resource_error',
  ),
  route: nullable(fc.string()),
  journey: nullable(fc.string()),
  step: nullable(fc.string()),
  vital_name: nullable(fc.constantFrom('LCP', 'INP', 'CLS')),
  vital_value: nullable(finite),
  vital_rating: nullable(fc.string()),
  user_agent: nullable(fc.string()),
});

/** Any valid TelemetryEvent. */
export const telemetryEventArb: fc.Arbitrary<TelemetryEvent> = fc.record({
  event_id: fc.string({ minLength: 1 }),
  kind: fc.constantFrom('metric', 'trace', 'log', 'rum'),
  service: fc.string(),
  event_time_ms: epochMs,
  observed_time_ms: epochMs,
  severity_number: nullable(fc.integer({ min: 0, max: 24 })),
  severity_text: nullable(fc.string()),
  body: nullable(fc.string()),
  attributes: attrs,
  resource_attributes: attrs,
  trace_id: nullable(fc.stringMatching(/^[0-9a-f]{32}$/)),
  span_id: nullable(fc.stringMatching(/^[0-9a-f]{16}$/)),
  parent_span_id: nullable(fc.stringMatching(/^[0-9a-f]{16}$/)),
  span_name: nullable(fc.string()),
  span_kind: nullable(
    fc.constantFrom('UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'),
  ),
  status_code: nullable(fc.constantFrom('UNSET', 'OK', 'ERROR')),
  duration_ms: nullable(finite),
  metric_name: nullable(fc.string()),
  metric_type: nullable(fc.constantFrom('gauge', 'counter', 'histogram', 'summary')),
  metric_value: nullable(finite),
  metric_labels: fc.dictionary(key(), fc.string(), { maxKeys: 4 }),
  histogram: nullable(histogram),
  rum: nullable(rum),
});

/** Any valid CapsuleEvent. */
export const capsuleEventArb: fc.Arbitrary<CapsuleEvent> = fc.record({
  fingerprint_hash: fc.stringMatching(/^[0-9a-f]{64}$/),
  template: fc.string(),
  service: fc.string(),
  severity_number: fc.integer({ min: 0, max: 24 }),
  severity_text: nullable(fc.string()),
  event_time_ms: epochMs,
  redacted_sample: fc.string(),
  redaction_applied: fc.boolean(),
  source_event_id: fc.string(),
  source_kind: fc.constantFrom('log', 'trace', 'rum'),
  parameters: fc.array(fc.string(), { maxLength: 5 }),
  trace_id: nullable(fc.string()),
  source: nullable(fc.string()),
});

/** Any valid CapsuleWindow. */
export const capsuleWindowArb: fc.Arbitrary<CapsuleWindow> = fc.record({
  fingerprint_hash: fc.stringMatching(/^[0-9a-f]{64}$/),
  service: fc.string(),
  template: fc.string(),
  time_bucket_ms: epochMs,
  window_size_ms: fc.integer({ min: 1, max: 86_400_000 }),
  count: fc.nat(),
  severity_distribution: fc.record({
    unspecified: fc.nat(),
    trace: fc.nat(),
    debug: fc.nat(),
    info: fc.nat(),
    warn: fc.nat(),
    error: fc.nat(),
    fatal: fc.nat(),
  }),
  reservoir_sample: fc.array(
    fc.record({
      event_id: fc.string(),
      event_time_ms: epochMs,
      severity_number: fc.integer({ min: 0, max: 24 }),
      redacted_sample: fc.string(),
    }),
    { maxLength: 10 },
  ),
  distinct_sources: fc.nat(),
  first_seen_ms: epochMs,
  last_seen_ms: epochMs,
});

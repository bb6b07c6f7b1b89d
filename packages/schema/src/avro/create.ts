import type { CapsuleEvent, TelemetryEvent } from './records.ts';

type Required<T, K extends keyof T> = Pick<T, K> & Partial<Omit<T, K>>;

/** Builds a `TelemetryEvent`, filling every optional field with its schema default. */
export function createTelemetryEvent(
  init: Required<TelemetryEvent, 'event_id' | 'kind' | 'service' | 'event_time_ms'>,
): TelemetryEvent {
  return {
    observed_time_ms: init.event_time_ms,
    severity_number: null,
    severity_text: null,
    body: null,
    attributes: {},
    resource_attributes: {},
    trace_id: null,
    span_id: null,
    parent_span_id: null,
    span_name: null,
    span_kind: null,
    status_code: null,
    duration_ms: null,
    metric_name: null,
    metric_type: null,
    metric_value: null,
    metric_labels: {},
    histogram: null,
    rum: null,
    ...init,
  };
}

/** Builds a `CapsuleEvent`, filling optional fields with their schema defaults. */
export function createCapsuleEvent(
  init: Required<
    CapsuleEvent,
    | 'fingerprint_hash'
    | 'template'
    | 'service'
    | 'event_time_ms'
    | 'redacted_sample'
    | 'redaction_applied'
    | 'source_event_id'
  >,
): CapsuleEvent {
  return {
    severity_number: 0,
    severity_text: null,
    source_kind: 'log',
    parameters: [],
    trace_id: null,
    source: null,
    ...init,
  };
}

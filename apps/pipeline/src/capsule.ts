/**
 * TelemetryEvent → CapsuleEvent: which text of an event is fingerprinted, with which severity.
 * The redactor runs before the miner, so templates, parameters and samples never hold PII.
 */
import type { Redactor, TemplateMiner } from '@slo-scout/fingerprint';
import type { CapsuleEvent, CapsuleSource, TelemetryEvent } from '@slo-scout/schema';

/** OpenTelemetry severity numbers used for spans and RUM errors. */
const SEVERITY_INFO = 9;
const SEVERITY_ERROR = 17;

/** The text to fingerprint and its severity, or why the event has none. */
export type CapsuleInput =
  | {
      readonly ok: true;
      readonly text: string;
      readonly kind: CapsuleSource;
      readonly severity: number;
      readonly severityText: string | null;
    }
  | { readonly ok: false; readonly reason: 'metric' | 'no-message' };

/** Picks what a TelemetryEvent contributes to the capsules. */
export function toCapsuleInput(event: TelemetryEvent): CapsuleInput {
  switch (event.kind) {
    case 'metric':
      return { ok: false, reason: 'metric' };
    case 'log':
      if (!event.body) return { ok: false, reason: 'no-message' };
      return {
        ok: true,
        text: event.body,
        kind: 'log',
        severity: event.severity_number ?? 0,
        severityText: event.severity_text,
      };
    case 'trace': {
      if (!event.span_name) return { ok: false, reason: 'no-message' };
      const failed = event.status_code === 'ERROR';
      const detail = event.attributes['exception.message'] ?? event.attributes['error.type'];
      const text = failed
        ? `${event.span_name} failed${typeof detail === 'string' ? `: ${detail}` : ''}`
        : event.span_name;
      return {
        ok: true,
        text,
        kind: 'trace',
        severity: failed ? SEVERITY_ERROR : SEVERITY_INFO,
        severityText: failed ? 'ERROR' : 'INFO',
      };
    }
    case 'rum':
      if (event.rum?.event_type !== 'js_error' && event.rum?.event_type !== 'resource_error') {
        return { ok: false, reason: 'no-message' };
      }
      return {
        ok: true,
        text: event.body ?? event.rum.event_type,
        kind: 'rum',
        severity: SEVERITY_ERROR,
        severityText: 'ERROR',
      };
  }
}

/** The emitting instance, from the resource attributes OpenTelemetry defines. */
function sourceOf(event: TelemetryEvent): string | null {
  const r = event.resource_attributes;
  const v = r['service.instance.id'] ?? r['host.name'] ?? r['k8s.pod.name'];
  return typeof v === 'string' ? v : null;
}

/** Builds the capsule of an event: redact, mine, fingerprint. `isNew` tells the miner changed. */
export function toCapsuleEvent(
  event: TelemetryEvent,
  input: Extract<CapsuleInput, { ok: true }>,
  tools: { readonly redactor: Redactor; readonly miner: TemplateMiner },
): { readonly capsule: CapsuleEvent; readonly isNew: boolean } {
  const redacted = tools.redactor.redact(input.text).text;
  const match = tools.miner.add(redacted, event.service);
  return {
    isNew: match.isNew,
    capsule: {
      fingerprint_hash: match.fingerprint,
      template: match.template,
      service: event.service,
      severity_number: input.severity,
      severity_text: input.severityText,
      event_time_ms: event.event_time_ms,
      redacted_sample: redacted,
      redaction_applied: true,
      source_event_id: event.event_id,
      source_kind: input.kind,
      parameters: [...match.parameters],
      trace_id: event.trace_id,
      source: sourceOf(event),
    },
  };
}

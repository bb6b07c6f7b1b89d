/**
 * Structural copies of the `@slo-scout/schema` wire records this package reads and writes. The
 * package depends on nothing of ours at runtime; `types.test.ts` proves at compile time that these
 * types equal schema's, so the two cannot drift apart.
 */

/** Where a capsule's message came from. */
export type CapsuleSource = 'log' | 'trace' | 'rum';

/** A fingerprinted message, as on the `capsule-events` topic. */
export interface CapsuleEvent {
  fingerprint_hash: string;
  template: string;
  service: string;
  severity_number: number;
  severity_text: string | null;
  event_time_ms: number;
  redacted_sample: string;
  redaction_applied: boolean;
  source_event_id: string;
  source_kind: CapsuleSource;
  parameters: string[];
  trace_id: string | null;
  source: string | null;
}

/** The fields of a {@link CapsuleEvent} the aggregator reads; any `CapsuleEvent` is one. */
export type AggregatorEvent = Readonly<
  Pick<
    CapsuleEvent,
    | 'fingerprint_hash'
    | 'template'
    | 'service'
    | 'severity_number'
    | 'event_time_ms'
    | 'redacted_sample'
    | 'source_event_id'
    | 'source'
  >
>;

/** Counts by OpenTelemetry severity range (1-4 TRACE, 5-8 DEBUG, ... 21-24 FATAL, 0 unspecified). */
export interface SeverityDistribution {
  unspecified: number;
  trace: number;
  debug: number;
  info: number;
  warn: number;
  error: number;
  fatal: number;
}

/** One event kept in a window's reservoir sample. */
export interface SampleEntry {
  event_id: string;
  event_time_ms: number;
  severity_number: number;
  redacted_sample: string;
}

/** Aggregate of one fingerprint in one service over one time bucket, as on `capsule-windows`. */
export interface CapsuleWindow {
  fingerprint_hash: string;
  service: string;
  template: string;
  time_bucket_ms: number;
  window_size_ms: number;
  count: number;
  severity_distribution: SeverityDistribution;
  reservoir_sample: SampleEntry[];
  distinct_sources: number;
  first_seen_ms: number;
  last_seen_ms: number;
}

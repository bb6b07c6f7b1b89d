/**
 * Turns redacted capsules (events or windows) into the documents the embedders and stores see.
 * The redaction gate lives here so no path can embed or store a capsule that skipped redaction.
 */
import type { CapsuleEvent, CapsuleWindow, SeverityDistribution } from '@slo-scout/schema';
import { RagError, fail, ok, type RagResult } from '../errors.ts';

/**
 * A `CapsuleWindow` the caller vouches for: the Avro window record carries no redaction flag, so
 * whoever built it from redacted events says so explicitly.
 */
export type RedactedCapsuleWindow = CapsuleWindow & { readonly redaction_applied: boolean };

/** What the package accepts: a fingerprinted event or a flagged window. */
export type CapsuleInput = CapsuleEvent | RedactedCapsuleWindow;

/** The unit that is embedded and stored: one fingerprint in one service over one time bucket. */
export interface CapsuleDocument {
  /** `fingerprint:service:time_bucket_ms`, unique per window. */
  readonly id: string;
  readonly fingerprint: string;
  readonly service: string;
  readonly template: string;
  /** Highest OpenTelemetry severity number seen (0 when unspecified). */
  readonly severity: number;
  readonly timeBucketMs: number;
  /** Events in this window. */
  readonly count: number;
  readonly lastSeenMs: number;
  /** Event ids of the window's samples, for citing. */
  readonly sampleRefs: readonly string[];
  /** The text that is embedded: the masked template. */
  readonly text: string;
  /** Always `true`: only redacted capsules become documents; stores check it again. */
  readonly redactionApplied: true;
}

/** Options of {@link toCapsuleDocument}. */
export interface CapsuleDocumentOptions {
  /** Bucket size for single events, in milliseconds (windows bring their own). Default 60 000. */
  readonly bucketMs?: number;
  /** Most sample references kept per document. Default 5. */
  readonly maxSampleRefs?: number;
}

/** True when the record says, with a literal `true`, that redaction was applied. */
export function isRedacted(record: unknown): boolean {
  return (
    typeof record === 'object' &&
    record !== null &&
    (record as { redaction_applied?: unknown }).redaction_applied === true
  );
}

/** Refuses anything whose `redaction_applied` is not literally `true`. */
export function checkRedacted<T>(record: T): RagResult<T> {
  if (isRedacted(record)) return ok(record);
  const hash =
    typeof record === 'object' && record !== null
      ? (record as { fingerprint_hash?: unknown }).fingerprint_hash
      : undefined;
  const fp = typeof hash === 'string' ? hash : '?';
  return fail(
    new RagError(
      'UNREDACTED_INPUT',
      `capsule ${fp} has no redaction_applied = true; run it through the redactor first`,
    ),
  );
}

const SEVERITY_FLOOR: readonly (readonly [keyof SeverityDistribution, number])[] = [
  ['fatal', 21],
  ['error', 17],
  ['warn', 13],
  ['info', 9],
  ['debug', 5],
  ['trace', 1],
];

function isWindow(input: CapsuleInput): input is RedactedCapsuleWindow {
  return 'time_bucket_ms' in input;
}

/** The highest severity a window holds: its samples' numbers, or the floor of its top range. */
function windowSeverity(window: CapsuleWindow): number {
  let top = 0;
  for (const [range, floor] of SEVERITY_FLOOR) {
    if (window.severity_distribution[range] > 0) {
      top = floor;
      break;
    }
  }
  for (const sample of window.reservoir_sample) top = Math.max(top, sample.severity_number);
  return top;
}

/** Builds the stored id of a window. */
export function toDocumentId(fingerprint: string, service: string, timeBucketMs: number): string {
  return `${fingerprint}:${service}:${timeBucketMs}`;
}

/** Converts a redacted capsule to a {@link CapsuleDocument}; unredacted input is refused. */
export function toCapsuleDocument(
  input: CapsuleInput,
  options: CapsuleDocumentOptions = {},
): RagResult<CapsuleDocument> {
  const checked = checkRedacted(input);
  if (!checked.ok) return checked;
  const maxRefs = options.maxSampleRefs ?? 5;
  if (isWindow(input)) {
    return ok({
      id: toDocumentId(input.fingerprint_hash, input.service, input.time_bucket_ms),
      fingerprint: input.fingerprint_hash,
      service: input.service,
      template: input.template,
      severity: windowSeverity(input),
      timeBucketMs: input.time_bucket_ms,
      count: input.count,
      lastSeenMs: input.last_seen_ms,
      sampleRefs: input.reservoir_sample.slice(0, maxRefs).map((s) => s.event_id),
      text: input.template,
      redactionApplied: true,
    });
  }
  const bucketMs = options.bucketMs ?? 60_000;
  const timeBucketMs = Math.floor(input.event_time_ms / bucketMs) * bucketMs;
  return ok({
    id: toDocumentId(input.fingerprint_hash, input.service, timeBucketMs),
    fingerprint: input.fingerprint_hash,
    service: input.service,
    template: input.template,
    severity: input.severity_number,
    timeBucketMs,
    count: 1,
    lastSeenMs: input.event_time_ms,
    sampleRefs: maxRefs > 0 ? [input.source_event_id] : [],
    text: input.template,
    redactionApplied: true,
  });
}

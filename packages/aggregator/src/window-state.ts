/**
 * The mergeable, JSON-serialisable state of one window: everything `mergeWindows` needs to combine
 * two partial windows of one key into what a single pass would have produced.
 */
import { AggregatorError, err, ok, type Result } from './errors.ts';
import { splitHashes } from './id-set.ts';
import { SEVERITY_RANGES } from './severity.ts';
import { estimateFromSketch } from './sources.ts';
import type { CapsuleWindow, SampleEntry, SeverityDistribution } from './types.ts';

/** Version tag carried by every {@link WindowState}. */
export const WINDOW_STATE_FORMAT = 'slo-scout/aggregator-window/v1';

/** Mergeable state of one window; plain JSON, safe to store and to send between processes. */
export interface WindowState {
  format: typeof WINDOW_STATE_FORMAT;
  fingerprint_hash: string;
  service: string;
  /** Lexicographically smallest template seen, so the choice does not depend on arrival order. */
  template: string;
  time_bucket_ms: number;
  window_size_ms: number;
  /** Distinct events counted: `event_hashes.length / 16 + untracked_count`. */
  count: number;
  severity_distribution: SeverityDistribution;
  first_seen_ms: number;
  last_seen_ms: number;
  /** K, the most events the reservoir holds. */
  reservoir_size: number;
  /** A uniform random sample of `min(K, count)` of the window's `count` events. */
  reservoir_sample: SampleEntry[];
  /** The distinct non-null sources while there are at most `source_capacity`; else `null`. */
  sources: string[] | null;
  /** Sorted K-minimum-values sketch of source hashes once `sources` overflowed; else `null`. */
  source_sketch: number[] | null;
  source_capacity: number;
  /**
   * The dedup state: the 64-bit hash (`hashEventId`, 16 hex digits) of every event id counted,
   * concatenated, at most the aggregator's `maxTrackedIdsPerWindow` of them. Two entries share a
   * hash only if two different ids collided (the aggregator keeps such ids apart).
   */
  event_hashes: string;
  /** One digit per hash in `event_hashes`: its severity range index (0 unspecified ... 6 fatal). */
  event_severity: string;
  /** Events counted after the id cap was reached; duplicates among them were not detectable. */
  untracked_count: number;
}

/** Converts a window state to the wire `CapsuleWindow` (a copy; the state is not shared). */
export function toCapsuleWindow(state: WindowState): CapsuleWindow {
  return {
    fingerprint_hash: state.fingerprint_hash,
    service: state.service,
    template: state.template,
    time_bucket_ms: state.time_bucket_ms,
    window_size_ms: state.window_size_ms,
    count: state.count,
    severity_distribution: { ...state.severity_distribution },
    reservoir_sample: state.reservoir_sample.map((entry) => ({ ...entry })),
    distinct_sources: distinctSources(state),
    first_seen_ms: state.first_seen_ms,
    last_seen_ms: state.last_seen_ms,
  };
}

/** Number of distinct sources of a window state: exact while small, else the sketch estimate. */
export function distinctSources(state: WindowState): number {
  if (state.sources !== null) return state.sources.length;
  return estimateFromSketch(state.source_sketch ?? [], state.source_capacity);
}

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isCount: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const isPositive: Check = (v) => Number.isSafeInteger(v) && (v as number) > 0;
const isTime: Check = (v) => Number.isSafeInteger(v);
const isUint32: Check = (v) => isCount(v) && (v as number) < 4_294_967_296;

function fail(path: string, message: string): Result<never> {
  return err(new AggregatorError('INVALID_STATE', `${path}: ${message}`, { path }));
}

function checkFields(
  record: Record<string, unknown>,
  checks: Record<string, Check>,
  prefix: string,
): Result<true> {
  for (const [key, check] of Object.entries(checks)) {
    if (!check(record[key])) return fail(prefix + key, `invalid value ${String(record[key])}`);
  }
  return ok(true);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const sampleChecks = {
  event_id: isString,
  event_time_ms: isTime,
  severity_number: Number.isSafeInteger,
  redacted_sample: isString,
};

const stateChecks: Record<string, Check> = {
  format: (v) => v === WINDOW_STATE_FORMAT,
  fingerprint_hash: isString,
  service: isString,
  template: isString,
  time_bucket_ms: isTime,
  window_size_ms: isPositive,
  count: isPositive,
  first_seen_ms: isTime,
  last_seen_ms: isTime,
  reservoir_size: isPositive,
  source_capacity: (v) => isPositive(v) && (v as number) >= 2,
  event_hashes: (v) => typeof v === 'string' && v.length % 16 === 0 && /^[0-9a-f]*$/.test(v),
  event_severity: (v) => typeof v === 'string' && /^[0-6]*$/.test(v),
  untracked_count: isCount,
};

/** Checks the cross-field invariants of a structurally valid state. */
function checkInvariants(s: WindowState): Result<WindowState> {
  const end = s.time_bucket_ms + s.window_size_ms;
  if (s.first_seen_ms > s.last_seen_ms) return fail('first_seen_ms', 'after last_seen_ms');
  if (s.first_seen_ms < s.time_bucket_ms || s.last_seen_ms >= end) {
    return fail('first_seen_ms', 'event times outside the window');
  }
  const hashes = splitHashes(s.event_hashes);
  if (s.count !== hashes.length + s.untracked_count) {
    return fail('count', 'differs from the number of event hashes + untracked_count');
  }
  if (s.event_severity.length !== hashes.length) {
    return fail('event_severity', 'needs one digit per event hash');
  }
  const total = SEVERITY_RANGES.reduce((sum, r) => sum + s.severity_distribution[r], 0);
  if (total !== s.count) return fail('severity_distribution', 'does not add up to count');
  const tracked = [0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < s.event_severity.length; i++) tracked[s.event_severity.charCodeAt(i) - 48]!++;
  for (const [i, range] of SEVERITY_RANGES.entries()) {
    if (tracked[i]! > s.severity_distribution[range]) {
      return fail(`severity_distribution.${range}`, 'smaller than its tracked events');
    }
  }
  // Untracked events may hide duplicates, so then the sample may fall short of min(K, count).
  const expected = Math.min(s.reservoir_size, s.count);
  const size = s.reservoir_sample.length;
  if (s.untracked_count === 0 ? size !== expected : size > expected || size === 0) {
    return fail('reservoir_sample', 'must hold min(reservoir_size, count) entries');
  }
  if (new Set(s.reservoir_sample.map((e) => e.event_id)).size !== s.reservoir_sample.length) {
    return fail('reservoir_sample', 'duplicate event ids');
  }
  if ((s.sources === null) === (s.source_sketch === null)) {
    return fail('sources', 'exactly one of sources and source_sketch must be set');
  }
  if (
    s.sources !== null &&
    (s.sources.length > s.source_capacity || new Set(s.sources).size !== s.sources.length)
  ) {
    return fail('sources', 'too many or duplicate sources');
  }
  const sketch = s.source_sketch;
  if (
    sketch !== null &&
    (sketch.length !== s.source_capacity || sketch.some((h, i) => i > 0 && h <= sketch[i - 1]!))
  ) {
    return fail('source_sketch', 'must be source_capacity strictly increasing hashes');
  }
  return ok(s);
}

/** Validates unknown input (for example a row read back from the store) as a {@link WindowState}. */
export function parseWindowState(value: unknown): Result<WindowState> {
  if (!isRecord(value)) return fail('$', 'not an object');
  const fields = checkFields(value, stateChecks, '');
  if (!fields.ok) return fields;
  const dist = value['severity_distribution'];
  if (!isRecord(dist)) return fail('severity_distribution', 'not an object');
  for (const range of SEVERITY_RANGES) {
    if (!isCount(dist[range])) return fail(`severity_distribution.${range}`, 'not a count');
  }
  const sample = value['reservoir_sample'];
  if (!Array.isArray(sample)) return fail('reservoir_sample', 'not an array');
  for (const [i, entry] of sample.entries()) {
    if (!isRecord(entry)) return fail(`reservoir_sample[${i}]`, 'not an object');
    const entryOk = checkFields(entry, sampleChecks, `reservoir_sample[${i}].`);
    if (!entryOk.ok) return entryOk;
  }
  const sources = value['sources'];
  if (sources !== null && (!Array.isArray(sources) || !sources.every(isString))) {
    return fail('sources', 'not null or a string array');
  }
  const sketch = value['source_sketch'];
  if (sketch !== null && (!Array.isArray(sketch) || !sketch.every(isUint32))) {
    return fail('source_sketch', 'not null or an array of 32-bit hashes');
  }
  return checkInvariants(value as unknown as WindowState);
}

/** Factories: a fresh aggregator, or one restored from a snapshot. */
import { StreamAggregator, type Aggregator, type RestoredWindow } from './aggregator.ts';
import {
  AGGREGATOR_SNAPSHOT_FORMAT,
  emptyStats,
  type AggregatorOutput,
  type AggregatorSnapshot,
} from './outputs.ts';
import { AggregatorError, err, ok, toAggregatorError, type Result } from './errors.ts';
import { resolveOptions, type AggregatorOptions } from './options.ts';
import { hashEventId } from './id-set.ts';
import { WindowAccumulator } from './window.ts';
import { parseWindowState } from './window-state.ts';

/**
 * Creates an aggregator; validates `options` and throws `AggregatorError('INVALID_OPTIONS')`.
 * @example
 * const agg = createAggregator({ random: createRandom(1), windowMs: 3_600_000 });
 * agg.add(event); for (const out of agg.drain()) if (out.kind !== 'late') save(out.state);
 */
export function createAggregator(options: AggregatorOptions): Aggregator {
  return new StreamAggregator(options);
}

function invalid(message: string, path: string): Result<never> {
  return err(new AggregatorError('INVALID_SNAPSHOT', message, { path }));
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNullableTime = (v: unknown): boolean => v === null || Number.isSafeInteger(v);

function checkHeader(s: Record<string, unknown>, windowMs: number): Result<true> {
  if (s['format'] !== AGGREGATOR_SNAPSHOT_FORMAT) return invalid('unknown format', 'format');
  if (s['window_size_ms'] !== windowMs) {
    return invalid(
      `snapshot window_size_ms ${String(s['window_size_ms'])} differs from windowMs ${windowMs}`,
      'window_size_ms',
    );
  }
  if (!isNullableTime(s['max_event_time_ms'])) return invalid('bad time', 'max_event_time_ms');
  const floor = s['watermark_floor_ms'];
  if (floor !== null && !Number.isFinite(floor)) return invalid('bad time', 'watermark_floor_ms');
  const stats = s['stats'];
  if (!isRecord(stats)) return invalid('not an object', 'stats');
  for (const key of Object.keys(emptyStats())) {
    if (!Number.isSafeInteger(stats[key])) return invalid('not a count', `stats.${key}`);
  }
  if (!Array.isArray(s['windows'])) return invalid('not an array', 'windows');
  if (!Array.isArray(s['pending'])) return invalid('not an array', 'pending');
  return ok(true);
}

function checkPending(pending: unknown[]): Result<true> {
  for (const [i, output] of pending.entries()) {
    const path = `pending[${i}]`;
    if (!isRecord(output)) return invalid('not an object', path);
    const kind = output['kind'];
    if (kind === 'late' || kind === 'invalid') {
      if (!isRecord(output['event'])) return invalid('event missing', `${path}.event`);
    } else if (
      kind === 'closed' ||
      kind === 'correction' ||
      kind === 'evicted' ||
      kind === 'flushed'
    ) {
      const state = parseWindowState(output['state']);
      if (!state.ok) return invalid(state.error.message, `${path}.state`);
    } else {
      return invalid(`unknown kind ${String(kind)}`, `${path}.kind`);
    }
  }
  return ok(true);
}

function toAccumulators(
  windows: unknown[],
  windowMs: number,
  maxTrackedIds: number,
): Result<RestoredWindow[]> {
  const seen = new Set<string>();
  const out: RestoredWindow[] = [];
  for (const [i, entry] of windows.entries()) {
    const path = `windows[${i}]`;
    const rank = isRecord(entry) ? entry['correction_rank'] : undefined;
    const next = isRecord(entry) ? entry['next_replacement'] : undefined;
    if (
      !isRecord(entry) ||
      (rank !== null && !(Number.isSafeInteger(rank) && (rank as number) >= 0)) ||
      !(Number.isSafeInteger(next) && (next as number) >= 0)
    ) {
      return invalid('needs a state, a correction_rank and a next_replacement', path);
    }
    const parsed = parseWindowState(entry['state']);
    if (!parsed.ok) return invalid(parsed.error.message, `${path}.state`);
    const state = parsed.value;
    if (
      state.window_size_ms !== windowMs ||
      Math.floor(state.time_bucket_ms / windowMs) * windowMs !== state.time_bucket_ms
    ) {
      return invalid('window not aligned to windowMs', `${path}.state.time_bucket_ms`);
    }
    const key = JSON.stringify([state.fingerprint_hash, state.service, state.time_bucket_ms]);
    if (seen.has(key)) return invalid('duplicate window key', path);
    seen.add(key);
    const ids = entry['event_ids'];
    if (
      ids !== undefined &&
      !(
        Array.isArray(ids) &&
        ids.length * 16 === state.event_hashes.length &&
        ids.every(
          (id, e) =>
            id === null ||
            (typeof id === 'string' &&
              hashEventId(id) === state.event_hashes.slice(e * 16, e * 16 + 16)),
        )
      )
    ) {
      return invalid(
        'event_ids must hold, per event hash, null or an id with that hash',
        `${path}.event_ids`,
      );
    }
    const acc = WindowAccumulator.fromState(
      state,
      maxTrackedIds,
      ids as (string | null)[] | undefined,
    );
    acc.nextReplacement = next as number;
    out.push({ acc, correctionRank: rank as number | null });
  }
  return ok(out);
}

/**
 * Rebuilds an aggregator from a snapshot (for example one read back from a checkpoint as JSON).
 * A malformed snapshot is an expected failure and comes back as `{ ok: false }`; bad options throw.
 * The snapshot does not hold the state of `options.random`: save a `SeededRandom`'s `state()` beside
 * it when replays must be bit-identical.
 */
export function restoreAggregator(
  options: AggregatorOptions,
  snapshot: unknown,
): Result<Aggregator> {
  const resolved = resolveOptions(options);
  try {
    if (!isRecord(snapshot)) return invalid('not an object', '$');
    const header = checkHeader(snapshot, resolved.windowMs);
    if (!header.ok) return header;
    const pending = checkPending(snapshot['pending'] as unknown[]);
    if (!pending.ok) return pending;
    const accumulators = toAccumulators(
      snapshot['windows'] as unknown[],
      resolved.windowMs,
      resolved.maxTrackedIdsPerWindow,
    );
    if (!accumulators.ok) return accumulators;
    const aggregator = new StreamAggregator(options);
    aggregator.load(snapshot as unknown as AggregatorSnapshot, accumulators.value);
    return ok(aggregator);
  } catch (error) {
    return err(toAggregatorError(error, 'INVALID_SNAPSHOT'));
  }
}

/** Outputs that carry a window state (everything but `late` and `invalid`). */
export function isWindowOutput(
  output: AggregatorOutput,
): output is Extract<AggregatorOutput, { state: unknown }> {
  return 'state' in output;
}

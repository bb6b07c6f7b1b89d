/**
 * `mergeWindows`: combines two partial states of one window (two consumers, or before and after a
 * restart, or a closed window and its correction) into what one pass over their events gives.
 */
import { AggregatorError, err, ok, type Result } from './errors.ts';
import { hashEventId, splitHashes } from './id-set.ts';
import type { Random } from './random.ts';
import { downsample, mergeSamples } from './reservoir.ts';
import { toSeverityCounts, toSeverityDistribution } from './severity.ts';
import { mergeSketches, toSketch } from './sources.ts';
import type { SampleEntry } from './types.ts';
import { WINDOW_STATE_FORMAT, type WindowState } from './window-state.ts';

/**
 * Merges two states of the same window key. Events whose ids both sides tracked count once, so
 * the merge is exact for any overlap (a replay, a correction after a close) as long as both sides
 * stayed under their id cap. Counts, severity distribution, first and last seen, template and
 * distinct sources are order-independent; the reservoir is re-drawn with `random` so it stays a
 * uniform sample of the union (see the README for the one thin-overlap caveat).
 * @example const merged = mergeWindows(a, b, createRandom(7)); if (merged.ok) save(merged.value);
 */
export function mergeWindows(a: WindowState, b: WindowState, random: Random): Result<WindowState> {
  if (
    a.fingerprint_hash !== b.fingerprint_hash ||
    a.service !== b.service ||
    a.time_bucket_ms !== b.time_bucket_ms ||
    a.window_size_ms !== b.window_size_ms
  ) {
    return err(
      new AggregatorError(
        'KEY_MISMATCH',
        `cannot merge window ${describe(a)} with ${describe(b)}: keys differ`,
      ),
    );
  }
  const aHashes = splitHashes(a.event_hashes);
  const bHashes = splitHashes(b.event_hashes);
  const aIds = new Set(aHashes);
  const severity = toSeverityCounts(a.severity_distribution);
  const bCounts = toSeverityCounts(b.severity_distribution);
  for (let i = 0; i < severity.length; i++) severity[i]! += bCounts[i]!;
  let hashes = a.event_hashes;
  let severities = a.event_severity;
  let overlap = 0;
  for (let i = 0; i < bHashes.length; i++) {
    const hash = bHashes[i]!;
    const digit = b.event_severity.charCodeAt(i) - 48;
    if (aIds.has(hash)) {
      overlap++;
      severity[digit]!--;
    } else {
      hashes += hash;
      severities += String(digit);
    }
  }
  const count = a.count + b.count - overlap;
  const k = Math.min(a.reservoir_size, b.reservoir_size);
  const sourceCapacity = Math.min(a.source_capacity, b.source_capacity);
  return ok({
    format: WINDOW_STATE_FORMAT,
    fingerprint_hash: a.fingerprint_hash,
    service: a.service,
    template: a.template <= b.template ? a.template : b.template,
    time_bucket_ms: a.time_bucket_ms,
    window_size_ms: a.window_size_ms,
    count,
    severity_distribution: toSeverityDistribution(severity),
    first_seen_ms: Math.min(a.first_seen_ms, b.first_seen_ms),
    last_seen_ms: Math.max(a.last_seen_ms, b.last_seen_ms),
    reservoir_size: k,
    reservoir_sample: mergeReservoirs(a, b, {
      aIds,
      aTracked: aHashes.length,
      bTracked: bHashes.length,
      overlap,
      k,
      random,
    }),
    ...mergeSources(a, b, sourceCapacity),
    source_capacity: sourceCapacity,
    event_hashes: hashes,
    event_severity: severities,
    untracked_count: a.untracked_count + b.untracked_count,
  });
}

interface ReservoirMergeContext {
  readonly aIds: ReadonlySet<string>;
  readonly aTracked: number;
  readonly bTracked: number;
  readonly overlap: number;
  readonly k: number;
  readonly random: Random;
}

function mergeReservoirs(
  a: WindowState,
  b: WindowState,
  ctx: ReservoirMergeContext,
): SampleEntry[] {
  const { aIds, overlap, k, random } = ctx;
  const copy = (sample: SampleEntry[]): SampleEntry[] =>
    downsample(sample, k, random).map((entry) => ({ ...entry }));
  // One side holds every event of the other: its sample is already uniform over the union.
  if (overlap === ctx.bTracked && b.untracked_count === 0) return copy(a.reservoir_sample);
  if (overlap === ctx.aTracked && a.untracked_count === 0) return copy(b.reservoir_sample);
  // Otherwise drop b's events that a also holds, and weight b by what is left of it.
  const inA = new Set(a.reservoir_sample.map((entry) => entry.event_id));
  const bOnly = b.reservoir_sample.filter(
    (e) => !inA.has(e.event_id) && !aIds.has(hashEventId(e.event_id)),
  );
  return mergeSamples(
    { sample: a.reservoir_sample, population: a.count },
    { sample: bOnly, population: b.count - overlap },
    { k, random },
  ).map((entry) => ({ ...entry }));
}

function mergeSources(
  a: WindowState,
  b: WindowState,
  capacity: number,
): Pick<WindowState, 'sources' | 'source_sketch'> {
  if (a.sources !== null && b.sources !== null) {
    const union = new Set(a.sources);
    for (const source of b.sources) union.add(source);
    if (union.size <= capacity) return { sources: [...union], source_sketch: null };
    return { sources: null, source_sketch: toSketch(union, capacity) };
  }
  const sketchOf = (s: WindowState): number[] =>
    s.sources !== null ? toSketch(s.sources, capacity) : s.source_sketch!.slice(0, capacity);
  return { sources: null, source_sketch: mergeSketches(sketchOf(a), sketchOf(b), capacity) };
}

function describe(s: WindowState): string {
  return `${s.fingerprint_hash}/${s.service}@${s.time_bucket_ms}+${s.window_size_ms}`;
}

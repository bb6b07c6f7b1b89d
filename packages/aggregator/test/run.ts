/** Test helpers: running aggregators and folding their outputs the way the store will. */
import {
  createAggregator,
  createRandom,
  isWindowOutput,
  mergeWindows,
  type AddOutcome,
  type AggregatorOptions,
  type AggregatorOutput,
  type CapsuleEvent,
  type Random,
  type WindowState,
} from '../src/index.ts';

/** Options that never close a window before `flush()`. */
export const NEVER_CLOSE: Omit<AggregatorOptions, 'random'> = {
  windowMs: 100,
  watermarkDelayMs: 1e12,
  allowedLatenessMs: 0,
};

/** Runs events through a fresh aggregator, flushes, and returns outcomes and outputs. */
export function runAll(
  events: readonly CapsuleEvent[],
  options: Omit<AggregatorOptions, 'random'>,
  seed: number,
): { outcomes: AddOutcome[]; outputs: AggregatorOutput[] } {
  const agg = createAggregator({ ...options, random: createRandom(seed) });
  const outcomes = events.map((e) => agg.add(e));
  agg.flush();
  return { outcomes, outputs: agg.drain() };
}

/** Key of a window state. */
export const keyOf = (s: Pick<WindowState, 'fingerprint_hash' | 'service' | 'time_bucket_ms'>) =>
  `${s.fingerprint_hash}|${s.service}|${s.time_bucket_ms}`;

/** Merges every window output into one state per key, like the store's merge on conflict. */
export function foldOutputs(
  outputs: readonly AggregatorOutput[],
  random: Random,
  into = new Map<string, WindowState>(),
): Map<string, WindowState> {
  for (const output of outputs) {
    if (!isWindowOutput(output)) continue;
    const key = keyOf(output.state);
    const previous = into.get(key);
    if (previous === undefined) {
      into.set(key, output.state);
      continue;
    }
    const merged = mergeWindows(previous, output.state, random);
    if (!merged.ok) throw merged.error;
    into.set(key, merged.value);
  }
  return into;
}

/** Options of `createAggregator`, their defaults and their validation. */
import { AggregatorError } from './errors.ts';
import type { Random } from './random.ts';

/** Options of {@link createAggregator}; only `random` is required. */
export interface AggregatorOptions {
  /** Seeded source of randomness for the reservoir samples, e.g. `createRandom(seed)`. */
  readonly random: Random;
  /** Tumbling window size; buckets are `floor(event time / windowMs) * windowMs` (UTC). Default 1 h. */
  readonly windowMs?: number;
  /** The watermark trails the largest event time seen by this much. Default 60 s. */
  readonly watermarkDelayMs?: number;
  /** How long after it closed a window still accepts late events (emitting corrections). Default 10 min. */
  readonly allowedLatenessMs?: number;
  /** K, the reservoir sample size per window. Default 10. */
  readonly reservoirSize?: number;
  /** Cap on windows held in memory (open, or closed and awaiting late events). Default 100,000. */
  readonly maxOpenWindows?: number;
  /** Cap on event ids kept per window for deduplication. Default 16,384. */
  readonly maxTrackedIdsPerWindow?: number;
  /** Distinct sources counted exactly up to this many per window, then estimated. Default 128. */
  readonly maxExactSources?: number;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  readonly random: Random;
  readonly windowMs: number;
  readonly watermarkDelayMs: number;
  readonly allowedLatenessMs: number;
  readonly reservoirSize: number;
  readonly maxOpenWindows: number;
  readonly maxTrackedIdsPerWindow: number;
  readonly maxExactSources: number;
}

/** Default option values. */
export const DEFAULT_AGGREGATOR_OPTIONS = {
  windowMs: 3_600_000,
  watermarkDelayMs: 60_000,
  allowedLatenessMs: 600_000,
  reservoirSize: 10,
  maxOpenWindows: 100_000,
  maxTrackedIdsPerWindow: 16_384,
  maxExactSources: 128,
} as const;

function check(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new AggregatorError(
      'INVALID_OPTIONS',
      `${name} must be an integer >= ${min}, got ${String(value)}`,
      { path: name },
    );
  }
  return value;
}

/** Validates options and fills defaults; throws `AggregatorError('INVALID_OPTIONS')`. */
export function resolveOptions(options: AggregatorOptions): ResolvedOptions {
  const d = DEFAULT_AGGREGATOR_OPTIONS;
  const random: unknown = (options as { random?: unknown } | undefined)?.random;
  if (typeof (random as Random | undefined)?.next !== 'function') {
    throw new AggregatorError('INVALID_OPTIONS', 'random must be a Random (use createRandom)', {
      path: 'random',
    });
  }
  return {
    random: options.random,
    windowMs: check('windowMs', options.windowMs ?? d.windowMs, 1),
    watermarkDelayMs: check('watermarkDelayMs', options.watermarkDelayMs ?? d.watermarkDelayMs, 0),
    allowedLatenessMs: check(
      'allowedLatenessMs',
      options.allowedLatenessMs ?? d.allowedLatenessMs,
      0,
    ),
    reservoirSize: check('reservoirSize', options.reservoirSize ?? d.reservoirSize, 1),
    maxOpenWindows: check('maxOpenWindows', options.maxOpenWindows ?? d.maxOpenWindows, 1),
    maxTrackedIdsPerWindow: check(
      'maxTrackedIdsPerWindow',
      options.maxTrackedIdsPerWindow ?? d.maxTrackedIdsPerWindow,
      0,
    ),
    maxExactSources: check('maxExactSources', options.maxExactSources ?? d.maxExactSources, 2),
  };
}

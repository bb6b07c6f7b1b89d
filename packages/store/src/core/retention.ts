/** Retention policy: defaults, validation and the cutoffs it implies at a given time. Pure. */
import { StoreError } from '../errors.ts';
import { DAY_MS, toDayStart } from './time.ts';

/** How long each kind of data is kept, in days. */
export interface RetentionPolicy {
  /** Raw samples: blob objects and the reservoir samples inside windows. Default 7. */
  readonly rawSampleDays: number;
  /** Capsules not seen for this long are deleted. Default 90. */
  readonly capsuleDays: number;
  /** Window aggregates: whole daily partitions older than this are dropped. Default 365. */
  readonly aggregateDays: number;
}

/** The defaults from ARCHITECTURE.md: 7 d raw, 90 d capsules, 1 y aggregates. */
export const DEFAULT_RETENTION: RetentionPolicy = Object.freeze({
  rawSampleDays: 7,
  capsuleDays: 90,
  aggregateDays: 365,
});

/** Fills defaults and validates; throws `StoreError('INVALID_OPTIONS')` naming the bad field. */
export function resolveRetention(policy: Partial<RetentionPolicy> = {}): RetentionPolicy {
  const out = { ...DEFAULT_RETENTION, ...policy };
  for (const key of ['rawSampleDays', 'capsuleDays', 'aggregateDays'] as const) {
    const v = out[key];
    if (!Number.isSafeInteger(v) || v < 1) {
      throw new StoreError(
        'INVALID_OPTIONS',
        `retention.${key} must be a whole number of days >= 1, got ${String(v)}`,
        {
          path: `retention.${key}`,
        },
      );
    }
  }
  if (out.rawSampleDays > out.aggregateDays) {
    throw new StoreError('INVALID_OPTIONS', 'retention.rawSampleDays cannot exceed aggregateDays', {
      path: 'retention.rawSampleDays',
    });
  }
  return Object.freeze(out);
}

/** Instants before which each kind of data expires. */
export interface RetentionCutoffs {
  readonly rawSamplesBeforeMs: number;
  readonly capsulesBeforeMs: number;
  /** A day boundary: partitions whose whole day lies before it are dropped. */
  readonly aggregatesBeforeMs: number;
}

/** Cutoffs at time `nowMs`; aggregates round down to a day so only whole partitions go. */
export function toRetentionCutoffs(policy: RetentionPolicy, nowMs: number): RetentionCutoffs {
  return {
    rawSamplesBeforeMs: nowMs - policy.rawSampleDays * DAY_MS,
    capsulesBeforeMs: nowMs - policy.capsuleDays * DAY_MS,
    aggregatesBeforeMs: toDayStart(nowMs - policy.aggregateDays * DAY_MS),
  };
}

/** The partitions (by day start) that lie wholly before `beforeMs`, in ascending order. */
export function selectExpiredPartitions(dayStarts: readonly number[], beforeMs: number): number[] {
  return dayStarts.filter((day) => day + DAY_MS <= beforeMs).sort((a, b) => a - b);
}

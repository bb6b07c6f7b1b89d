/**
 * OpenTelemetry severity numbers grouped into ranges: 0 unspecified, 1-4 TRACE, 5-8 DEBUG,
 * 9-12 INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL. Anything else (negative, above 24, not an
 * integer) is counted as unspecified rather than dropped.
 */
import type { SeverityDistribution } from './types.ts';

/** Index of each severity range in a {@link SeverityCounts} tuple, in OpenTelemetry order. */
export const SEVERITY_RANGES = [
  'unspecified',
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
] as const;

/** Name of one severity range. */
export type SeverityRange = (typeof SEVERITY_RANGES)[number];

/** Counts per severity range, indexed like {@link SEVERITY_RANGES}. */
export type SeverityCounts = number[];

/** Maps an OpenTelemetry severity number to its range index (0 unspecified ... 6 fatal). */
export function toSeverityIndex(severityNumber: number): number {
  // (n + 3) >> 2 maps 1-4 to 1, 5-8 to 2, ... 21-24 to 6; `| 0` rejects fractions below.
  if (severityNumber >= 1 && severityNumber <= 24 && (severityNumber | 0) === severityNumber) {
    return (severityNumber + 3) >> 2;
  }
  return 0;
}

/** Returns a zeroed {@link SeverityCounts}. */
export function emptySeverityCounts(): SeverityCounts {
  return [0, 0, 0, 0, 0, 0, 0];
}

/** Converts counts to the wire {@link SeverityDistribution}. */
export function toSeverityDistribution(counts: SeverityCounts): SeverityDistribution {
  return {
    unspecified: counts[0] ?? 0,
    trace: counts[1] ?? 0,
    debug: counts[2] ?? 0,
    info: counts[3] ?? 0,
    warn: counts[4] ?? 0,
    error: counts[5] ?? 0,
    fatal: counts[6] ?? 0,
  };
}

/** Converts a wire {@link SeverityDistribution} to counts. */
export function toSeverityCounts(distribution: SeverityDistribution): SeverityCounts {
  return SEVERITY_RANGES.map((range) => distribution[range]);
}

/** Time helpers shared by the store's cores; pure. */

/** A source of the current time, injected so retention and tests control it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** One UTC day in milliseconds: the partition size of `capsule_windows`. */
export const DAY_MS = 86_400_000;

/** Start of the UTC day holding `ms`. */
export function toDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** `YYYYMMDD` of the UTC day holding `ms`. */
export function toDayStamp(ms: number): string {
  return new Date(toDayStart(ms)).toISOString().slice(0, 10).replaceAll('-', '');
}

/** Name of the daily `capsule_windows` partition holding `ms`. */
export function toPartitionName(ms: number): string {
  return `capsule_windows_p${toDayStamp(ms)}`;
}

/** Parses a partition name back to its day start, or undefined when it is not one of ours. */
export function parsePartitionName(name: string): number | undefined {
  const m = /^capsule_windows_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return toPartitionName(ms) === name ? ms : undefined;
}

/** The earliest and latest instant `timestamptz` and JavaScript `Date` both hold exactly. */
export const MIN_TIME_MS = Date.UTC(1970, 0, 1);
/** See {@link MIN_TIME_MS}. */
export const MAX_TIME_MS = Date.UTC(9999, 11, 31);

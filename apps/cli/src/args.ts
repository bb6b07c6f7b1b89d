/** Parsers of command-line values; each error says what a good value looks like. */
import { InvalidArgumentError } from 'commander';

/** A whole number in `[min, max]`. */
export function intArg(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected a whole number from ${min} to ${max}, got '${value}'`,
      );
    }
    return n;
  };
}

const UNITS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * A point in time: `now`, `now-6h` / `-6h` (s, m, h, d, w), an ISO-8601 date or date-time, or
 * epoch milliseconds.
 */
export function parseTime(value: string, nowMs: number): number {
  const v = value.trim();
  const rel = /^(?:now)?(?:([+-])(\d+)([smhdw]))?$/.exec(v);
  if (rel && v !== '') {
    if (rel[1] === undefined) return nowMs;
    const delta = Number(rel[2]) * UNITS[rel[3]!]!;
    return rel[1] === '-' ? nowMs - delta : nowMs + delta;
  }
  if (/^\d{10,}$/.test(v)) return Number(v);
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t;
  }
  throw new InvalidArgumentError(
    `expected a time such as now, now-24h, -7d, 2026-01-05, 2026-01-05T10:00:00Z or epoch milliseconds, got '${value}'`,
  );
}

/** {@link parseTime} bound to a clock, for commander. */
export function timeArg(now: () => number): (value: string) => number {
  return (value) => parseTime(value, now());
}

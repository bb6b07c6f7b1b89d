import { SchemaError } from '../errors.ts';

const UNIT_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
} as const;
const DURATION = /^(?:\d+(?:ms|[smhdwy]))+$/;
const PART = /(\d+)(ms|[smhdwy])/g;

/** True when `text` is a Prometheus duration (`30d`, `1h30m`, `500ms`). */
export function isDuration(text: string): boolean {
  return DURATION.test(text) && parseDurationUnchecked(text) > 0;
}

function parseDurationUnchecked(text: string): number {
  let total = 0;
  for (const m of text.matchAll(PART))
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return total;
}

/** Milliseconds in a Prometheus duration; throws `SchemaError` `INVALID_SPEC` otherwise. */
export function parseDuration(text: string): number {
  if (!isDuration(text)) {
    throw new SchemaError('INVALID_SPEC', `'${text}' is not a duration like 5m, 1h or 30d`);
  }
  return parseDurationUnchecked(text);
}

/** Formats milliseconds as the shortest Prometheus duration (`2592000000` → `30d`). */
export function toDurationString(ms: number): string {
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new SchemaError('INVALID_SPEC', `${ms} ms is not a positive whole duration`);
  }
  let rest = ms;
  let out = '';
  for (const unit of ['w', 'd', 'h', 'm', 's', 'ms'] as const) {
    // Weeks only when the whole duration is weeks: `30d` reads better than `4w2d`.
    if (unit === 'w' && ms % UNIT_MS.w !== 0) continue;
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit];
    }
  }
  return out;
}

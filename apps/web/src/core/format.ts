/** Formatting of ratios, targets, durations and times for people. Pure. */

/** A ratio as a percentage with up to `digits` decimals, trailing zeros dropped: 0.9995 → `99.95%`. */
export function formatPercent(ratio: number, digits = 2): string {
  if (!Number.isFinite(ratio)) return '–';
  const s = (ratio * 100).toFixed(digits);
  return `${s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s}%`;
}

/**
 * An SLO target with every significant nine kept: 0.999 → `99.9%`, 0.99995 → `99.995%`.
 * Never rounds a target up to a rounder one.
 */
export function formatTarget(target: number): string {
  if (!Number.isFinite(target)) return '–';
  const pct = Number((target * 100).toPrecision(12));
  return `${String(pct)}%`;
}

/** The number of nines of a target, one decimal: 0.999 → 3, 0.995 → 2.3. */
export function nines(target: number): number {
  if (!(target > 0 && target < 1)) return Number.NaN;
  return Math.round(-Math.log10(1 - target) * 10) / 10;
}

/** A 0..1 confidence as a word and a percentage: `high (92%)`. */
export function formatConfidence(c: number): string {
  if (!Number.isFinite(c)) return '–';
  const word = c >= 0.8 ? 'high' : c >= 0.5 ? 'medium' : 'low';
  return `${word} (${Math.round(Math.min(1, Math.max(0, c)) * 100)}%)`;
}

const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** A duration in milliseconds, the two largest units: 5400000 → `1h 30m`, 250 → `250ms`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.floor(ms / 1000) * 1000;
  for (const [unit, size] of UNITS) {
    if (parts.length === 2) break;
    const n = Math.floor(rest / size);
    if (n > 0 || parts.length > 0) {
      if (n > 0) parts.push(`${n}${unit}`);
      rest -= n * size;
    }
  }
  return parts.join(' ');
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** An epoch-millisecond time in UTC, `2025-01-31 14:05 UTC`; seconds when `seconds` is set. */
export function formatTime(ms: number, seconds = false): string {
  if (!Number.isFinite(ms)) return '–';
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${seconds ? `:${pad(d.getUTCSeconds())}` : ''}`;
  return `${date} ${time} UTC`;
}

/** A short time of day for chart ticks, `14:05` (UTC), with the date when the range spans days. */
export function formatTick(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return spanMs > 86_400_000 ? `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${hm}` : hm;
}

/** A count with thousands separators (fixed to `en` so output does not depend on the machine). */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '–';
}

/** A journey key in one line: `POST /api/checkout`, `grpc cart.Cart/Add`, `a → b → c`. */
export function describeKey(
  key:
    | { type: 'http'; method: string; route: string }
    | { type: 'rpc'; rpcService: string; rpcMethod: string }
    | { type: 'span'; spanName: string }
    | { type: 'sequence'; steps: readonly string[] }
    | { type: 'other'; service: string },
): string {
  switch (key.type) {
    case 'http':
      return `${key.method} ${key.route}`;
    case 'rpc':
      return `rpc ${key.rpcService}/${key.rpcMethod}`;
    case 'span':
      return `span ${key.spanName}`;
    case 'sequence':
      return key.steps.join(' → ');
    case 'other':
      return `other traffic of ${key.service}`;
  }
}

const SEVERITY_RANGES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

/** An OpenTelemetry severity number (1–24) as its range name; 0 or out of range is `UNSPECIFIED`. */
export function severityName(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 24) return 'UNSPECIFIED';
  return SEVERITY_RANGES[Math.floor((n - 1) / 4)]!;
}

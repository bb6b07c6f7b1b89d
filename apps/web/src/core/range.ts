/** Time ranges for the SLI history chart. Pure: the anchor time is a parameter. */

/** A range the reviewer can pick. */
export interface RangeChoice {
  readonly id: string;
  readonly label: string;
  readonly spanMs: number;
}

const H = 3_600_000;

/** The choice that lets the API pick: the week up to the API's clock. */
export const API_DEFAULT_RANGE = 'api';

/** The ranges offered: the API's default first, then shortest first. */
export const RANGE_CHOICES: readonly RangeChoice[] = [
  { id: API_DEFAULT_RANGE, label: 'Last 7 days (API clock)', spanMs: 7 * 24 * H },
  { id: '1h', label: 'Last hour', spanMs: H },
  { id: '6h', label: 'Last 6 hours', spanMs: 6 * H },
  { id: '24h', label: 'Last 24 hours', spanMs: 24 * H },
  { id: '7d', label: 'Last 7 days', spanMs: 7 * 24 * H },
  { id: '28d', label: 'Last 28 days', spanMs: 28 * 24 * H },
];

/**
 * The closed-open range `[to − span, to)` ending at the first step boundary after `anchorMs`, so
 * the newest partial step is included and repeated loads ask for the same range.
 */
export function historyRange(
  anchorMs: number,
  spanMs: number,
  stepMs = 300_000,
): { fromMs: number; toMs: number } {
  const step = stepMs > 0 ? stepMs : 300_000;
  const toMs = (Math.floor(anchorMs / step) + 1) * step;
  return { fromMs: toMs - spanMs, toMs };
}

/** The range choice with this id, or the API's default. */
export function rangeChoice(id: string): RangeChoice {
  return RANGE_CHOICES.find((r) => r.id === id) ?? RANGE_CHOICES[0]!;
}

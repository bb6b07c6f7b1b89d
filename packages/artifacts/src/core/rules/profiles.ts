import { parseDuration, toDurationString } from '@slo-scout/schema';

/** Which alert an entry of a profile feeds: `page` wakes someone, `ticket` waits for office hours. */
export type AlertTier = 'page' | 'ticket';

/** One multi-window burn-rate condition: both windows must burn faster than `factor`. */
export interface BurnWindowPair {
  readonly tier: AlertTier;
  /** Rank used for Alertmanager inhibition: a lower rank inhibits a higher one. */
  readonly rank: number;
  readonly short: string;
  readonly long: string;
  /** Burn-rate factor at the profile's reference period. */
  readonly factor: number;
}

/** How a profile adapts its table to an SLO period different from its reference period. */
export type PeriodScaling = 'factor' | 'windows';

/** A burn-rate profile: the windows and factors as data, plus the naming scheme of the rules. */
export interface BurnRateProfile {
  readonly name: 'sloth' | 'pyrra';
  /** The period the table was written for (`30d` for Sloth, `28d` for Pyrra). */
  readonly referencePeriod: string;
  /**
   * `factor`: keep the windows and scale the factors by period / reference (Sloth);
   * `windows`: keep the factors and scale the windows (Pyrra).
   */
  readonly scaling: PeriodScaling;
  readonly pairs: readonly BurnWindowPair[];
}

/** Sloth's google-30d table: page 14.4× (1h, 5m) or 6× (6h, 30m); ticket 3× (1d, 2h) or 1× (3d, 6h). */
export const SLOTH_PROFILE: BurnRateProfile = {
  name: 'sloth',
  referencePeriod: '30d',
  scaling: 'factor',
  pairs: [
    { tier: 'page', rank: 1, short: '5m', long: '1h', factor: 14.4 },
    { tier: 'page', rank: 2, short: '30m', long: '6h', factor: 6 },
    { tier: 'ticket', rank: 3, short: '2h', long: '1d', factor: 3 },
    { tier: 'ticket', rank: 4, short: '6h', long: '3d', factor: 1 },
  ],
};

/** Pyrra's 4-week table: critical 14× (1h, 5m) and 7× (6h, 30m); warning 2× (1d, 2h) and 1× (4d, 6h). */
export const PYRRA_PROFILE: BurnRateProfile = {
  name: 'pyrra',
  referencePeriod: '28d',
  scaling: 'windows',
  pairs: [
    { tier: 'page', rank: 1, short: '5m', long: '1h', factor: 14 },
    { tier: 'page', rank: 2, short: '30m', long: '6h', factor: 7 },
    { tier: 'ticket', rank: 3, short: '2h', long: '1d', factor: 2 },
    { tier: 'ticket', rank: 4, short: '6h', long: '4d', factor: 1 },
  ],
};

/** The built-in profiles by name. */
export const PROFILES: Readonly<Record<BurnRateProfile['name'], BurnRateProfile>> = {
  sloth: SLOTH_PROFILE,
  pyrra: PYRRA_PROFILE,
};

/** A window pair resolved for one SLO period, factors and windows final. */
export interface ResolvedPair extends BurnWindowPair {
  readonly shortMs: number;
  readonly longMs: number;
}

const MINUTE_MS = 60_000;

function scaleWindow(window: string, ratio: number): string {
  const ms = Math.max(
    MINUTE_MS,
    Math.round((parseDuration(window) * ratio) / MINUTE_MS) * MINUTE_MS,
  );
  return toDurationString(ms);
}

/** Resolves a profile's table for an SLO period (e.g. `30d`): windows and factors ready to render. */
export function resolvePairs(profile: BurnRateProfile, period: string): readonly ResolvedPair[] {
  const periodMs = parseDuration(period);
  const refMs = parseDuration(profile.referencePeriod);
  return profile.pairs.map((p) => {
    if (periodMs === refMs) {
      return { ...p, shortMs: parseDuration(p.short), longMs: parseDuration(p.long) };
    }
    if (profile.scaling === 'factor') {
      // Same share of the budget spent in the same long window: the factor scales with the period.
      const factor = (p.factor * periodMs) / refMs;
      return { ...p, factor, shortMs: parseDuration(p.short), longMs: parseDuration(p.long) };
    }
    const short = scaleWindow(p.short, periodMs / refMs);
    const long = scaleWindow(p.long, periodMs / refMs);
    return { ...p, short, long, shortMs: parseDuration(short), longMs: parseDuration(long) };
  });
}

/** Every window a profile records for a period: the pairs' windows and the period, shortest first. */
export function recordedWindows(pairs: readonly ResolvedPair[], period: string): readonly string[] {
  const byMs = new Map<number, string>();
  for (const p of pairs) {
    byMs.set(p.shortMs, p.short);
    byMs.set(p.longMs, p.long);
  }
  byMs.set(parseDuration(period), period);
  return [...byMs.entries()].sort((a, b) => a[0] - b[0]).map(([, w]) => w);
}

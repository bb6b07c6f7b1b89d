import { parseDuration, parseSloSpec, type SloSpec } from '@slo-scout/schema';
import { ArtifactsError } from '../../errors.ts';
import {
  recordedWindows,
  resolvePairs,
  type AlertTier,
  type BurnRateProfile,
  type ResolvedPair,
} from './profiles.ts';

/** Prometheus label set. */
export type Labels = Readonly<Record<string, string>>;

/** One alert of a plan: a tier and the window pairs any of which fires it. */
export interface PlannedAlert {
  readonly tier: AlertTier;
  readonly name: string;
  readonly pairs: readonly ResolvedPair[];
  readonly labels: Labels;
  readonly annotations: Labels;
}

/** Everything the generators need about one SLO objective, resolved once. */
export interface SloPlan {
  /** Unique id, `<service>-<slo>` (Sloth's `sloth_id`). */
  readonly id: string;
  readonly service: string;
  /** SLO name; suffixed `-<i>` when the spec has several objectives. */
  readonly slo: string;
  readonly displayName: string;
  readonly description: string;
  readonly journeyId: string | undefined;
  readonly owner: string | undefined;
  readonly target: number;
  /** `1 - target`, rounded to 12 significant digits. */
  readonly errorBudget: number;
  readonly period: string;
  readonly periodMs: number;
  /** Error ratio query with `{{.window}}` left in place. */
  readonly errorQuery: string;
  /** Total events rate query with `{{.window}}` left in place. */
  readonly totalQuery: string;
  readonly windows: readonly string[];
  readonly alerts: readonly PlannedAlert[];
  /** Low-traffic guard: minimum events in the long window of a pair before it may fire. */
  readonly minEvents: number;
  readonly sloLabels: Labels;
  readonly spec: SloSpec;
}

const round12 = (n: number): number => Number(n.toPrecision(12));

/** Renders a ratio SLI as an error-ratio query, the way Sloth does for `bad`/`good` events. */
export function toErrorQuery(ratio: SloSpec['spec']['indicator']['ratio']): string {
  if (ratio.bad !== undefined) return `(${ratio.bad})\n/\n(${ratio.total})`;
  return `(\n  1 - (\n    (\n      ${ratio.good}\n    )\n    /\n    (\n      ${ratio.total}\n    )\n  )\n)`;
}

/** Replaces the Sloth `{{.window}}` placeholder with a window. */
export function withWindow(query: string, window: string): string {
  return query.replaceAll('{{.window}}', window);
}

function pascal(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** Options of {@link toSloPlans}. */
export interface PlanOptions {
  readonly profile: BurnRateProfile;
}

/**
 * Validates a spec with `parseSloSpec` and resolves one plan per objective.
 * Throws `ArtifactsError` `INVALID_SPEC` when the spec is not valid.
 */
export function toSloPlans(input: SloSpec, options: PlanOptions): readonly SloPlan[] {
  const parsed = parseSloSpec(input);
  if (!parsed.ok) {
    throw new ArtifactsError('INVALID_SPEC', parsed.error.message, {
      ...(parsed.error.path === undefined ? {} : { path: parsed.error.path }),
      cause: parsed.error,
    });
  }
  const spec = parsed.value;
  const { metadata, spec: s } = spec;
  const period = s.timeWindow.duration;
  const pairs = resolvePairs(options.profile, period);
  const windows = recordedWindows(pairs, period);
  const alerting = s.alerting ?? {};
  const many = s.objectives.length > 1;
  return s.objectives.map((objective, i) => {
    const slo = many ? `${metadata.name}-${i}` : metadata.name;
    const baseName = alerting.name ?? `${pascal(slo)}ErrorBudgetBurn`;
    const alerts: PlannedAlert[] = [];
    const tiers: readonly [AlertTier, boolean | undefined, Labels | undefined][] = [
      ['page', alerting.pageDisabled, alerting.pageLabels],
      ['ticket', alerting.ticketDisabled, alerting.ticketLabels],
    ];
    for (const [tier, disabled, tierLabels] of tiers) {
      if (disabled === true) continue;
      alerts.push({
        tier,
        name: baseName,
        pairs: pairs.filter((p) => p.tier === tier),
        labels: { ...alerting.labels, ...tierLabels },
        annotations: { ...alerting.annotations },
      });
    }
    return {
      id: `${s.service}-${slo}`,
      service: s.service,
      slo,
      displayName: objective.displayName ?? metadata.displayName ?? slo,
      description: s.description ?? '',
      journeyId: s.journeyId,
      owner: s.owner,
      target: objective.target,
      errorBudget: round12(1 - objective.target),
      period,
      periodMs: parseDuration(period),
      errorQuery: toErrorQuery(s.indicator.ratio),
      totalQuery: s.indicator.ratio.total,
      windows,
      alerts,
      minEvents: alerting.minEvents ?? 0,
      sloLabels: { ...metadata.labels },
      spec,
    };
  });
}

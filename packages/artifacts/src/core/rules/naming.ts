import type { BurnRateProfile } from './profiles.ts';
import type { SloPlan } from './plan.ts';

/** How one profile names the series of one SLO; shared by rules, tests, dashboards and runbooks. */
export interface RuleNames {
  /** Identifying labels of the SLO's series. */
  readonly idLabels: Readonly<Record<string, string>>;
  /** `{a="x", b="y"}` selecting the SLO's series. */
  readonly selector: string;
  /** Recording rule name of the error ratio over a window. */
  errorRatio(window: string): string;
  /** Series holding the remaining error budget over the period, 0..1. */
  readonly budgetRemaining: string;
  /** Label telling which alert tier fired, for Alertmanager inhibition. */
  readonly tierLabel: string;
  /** The tier label's value for a tier. */
  tierValue(tier: 'page' | 'ticket'): string;
}

/** Names of the series a profile generates for a plan. */
export function ruleNames(profile: BurnRateProfile, plan: SloPlan): RuleNames {
  const idLabels: Record<string, string> =
    profile.name === 'sloth'
      ? { sloth_id: plan.id, sloth_service: plan.service, sloth_slo: plan.slo }
      : { service: plan.service, slo: plan.slo };
  const selector = `{${Object.entries(idLabels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
  if (profile.name === 'sloth') {
    return {
      idLabels,
      selector,
      errorRatio: (w) => `slo:sli_error:ratio_rate${w}`,
      budgetRemaining: 'slo:period_error_budget_remaining:ratio',
      tierLabel: 'sloth_severity',
      tierValue: (t) => t,
    };
  }
  return {
    idLabels,
    selector,
    errorRatio: (w) => `slo:burnrate${w}`,
    budgetRemaining: 'slo:error_budget_remaining:ratio',
    tierLabel: 'slo_tier',
    tierValue: (t) => t,
  };
}

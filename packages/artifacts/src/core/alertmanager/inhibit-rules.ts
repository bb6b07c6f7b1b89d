import type { SloSpec } from '@slo-scout/schema';
import { stringify } from 'yaml';
import { ruleNames } from '../rules/naming.ts';
import { toSloPlans } from '../rules/plan.ts';
import { SLOTH_PROFILE, type BurnRateProfile } from '../rules/profiles.ts';

/** One Alertmanager `inhibit_rules` entry (matcher syntax of Alertmanager 0.22 and later). */
export interface InhibitRule {
  readonly source_matchers: readonly string[];
  readonly target_matchers: readonly string[];
  /** Labels both alerts must share: the SLO's identifying labels. */
  readonly equal: readonly string[];
}

/** Options of {@link generateInhibitRules}. */
export interface InhibitRuleOptions {
  readonly profile?: BurnRateProfile;
}

const quote = (v: string): string => JSON.stringify(v);

/**
 * Inhibit rules so a firing page alert silences the ticket alert of the same SLO: the source
 * matches the page tier label, the target the ticket tier label of a generated alert, and both
 * must share the SLO's identifying labels. Empty when no spec has both tiers.
 */
export function generateInhibitRules(
  specs: readonly SloSpec[],
  options: InhibitRuleOptions = {},
): readonly InhibitRule[] {
  const profile = options.profile ?? SLOTH_PROFILE;
  const out = new Map<string, InhibitRule>();
  for (const spec of specs) {
    for (const plan of toSloPlans(spec, { profile })) {
      const tiers = new Set(plan.alerts.filter((a) => a.pairs.length > 0).map((a) => a.tier));
      if (!tiers.has('page') || !tiers.has('ticket')) continue;
      const names = ruleNames(profile, plan);
      const idKeys = Object.keys(names.idLabels).sort();
      // Both sides carry the SLO id labels, so unrelated alerts that merely reuse the tier label
      // (and lack the id labels, which Alertmanager would treat as equal) are never inhibited.
      const first = idKeys[0]!;
      const rule: InhibitRule = {
        source_matchers: [`${names.tierLabel}=${quote(names.tierValue('page'))}`, `${first}=~".+"`],
        target_matchers: [
          `${names.tierLabel}=${quote(names.tierValue('ticket'))}`,
          `${first}=~".+"`,
        ],
        equal: idKeys,
      };
      out.set(JSON.stringify(rule), rule);
    }
  }
  return [...out.values()];
}

/** An Alertmanager configuration fragment holding only `inhibit_rules`, to merge into yours. */
export function toInhibitRulesYaml(rules: readonly InhibitRule[]): string {
  return stringify({ inhibit_rules: rules }, { lineWidth: 0 });
}

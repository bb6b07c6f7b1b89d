import { SLO_SPEC_API_VERSION, type SloSpec } from '@slo-scout/schema';
import { ArtifactsError } from '../../errors.ts';
import { ruleNames, type RuleNames } from './naming.ts';
import { toSloPlans, withWindow, type PlannedAlert, type SloPlan } from './plan.ts';
import { SLOTH_PROFILE, type BurnRateProfile, type ResolvedPair } from './profiles.ts';
import {
  sortLabels,
  type AlertingRule,
  type LabelSet,
  type RecordingRule,
  type RuleFile,
  type RuleGroup,
} from './rule-file.ts';

/** Options of {@link generateRules}. */
export interface GenerateRulesOptions {
  /** Burn-rate profile; default {@link SLOTH_PROFILE}. */
  readonly profile?: BurnRateProfile;
  /** Labels added to every recording rule (Sloth's `--extra-labels`). */
  readonly extraLabels?: LabelSet;
  /** Value of `sloth_spec` in the info rule; default `slo-scout/v1`. */
  readonly specVersion?: string;
  /** Value of `sloth_mode` in the info rule; default `slo-scout`. */
  readonly mode?: string;
  /** Value of `sloth_version` in the info rule; default `slo-scout-0.1.0`. */
  readonly generatorVersion?: string;
  /** Adds a `runbook_url` annotation: `<runbookBaseUrl>/<runbook file name>`. */
  readonly runbookBaseUrl?: string;
}

/** The rules of one SLO, with the plan they came from. */
export interface SloRules {
  readonly plan: SloPlan;
  readonly names: RuleNames;
  readonly groups: readonly RuleGroup[];
}

const num = (n: number): string => String(n);

/** File name of the runbook of an alert tier of a plan: `<id>-<tier>.md`. */
export function runbookFileName(plan: SloPlan, tier: 'page' | 'ticket'): string {
  return `${plan.id}-${tier}.md`;
}

function guard(plan: SloPlan, pair: ResolvedPair): string {
  const seconds = pair.longMs / 1000;
  return `(${withWindow(plan.totalQuery, pair.long)}) * ${seconds} >= ${plan.minEvents}`;
}

function slothRecordings(plan: SloPlan, names: RuleNames, base: LabelSet): RecordingRule[] {
  const five = plan.windows[0]!;
  return plan.windows.map((w) => {
    const labels = sortLabels({ ...base, ...names.idLabels, sloth_window: w });
    if (w === plan.period) {
      const series = `${names.errorRatio(five)}${names.selector}[${w}]`;
      return {
        record: names.errorRatio(w),
        expr: `sum_over_time(${series})\n/ ignoring (sloth_window)\ncount_over_time(${series})`,
        labels,
      };
    }
    return { record: names.errorRatio(w), expr: withWindow(plan.errorQuery, w), labels };
  });
}

interface Ctx {
  readonly plan: SloPlan;
  readonly names: RuleNames;
  readonly o: GenerateRulesOptions;
}

function slothMeta({ plan, names, o }: Ctx, base: LabelSet): RecordingRule[] {
  const labels = sortLabels({ ...base, ...names.idLabels });
  const sel = names.selector;
  const on = `/ on(sloth_id, sloth_slo, sloth_service) group_left\n`;
  const days = plan.periodMs / 86_400_000;
  return [
    { record: 'slo:objective:ratio', expr: `vector(${num(plan.target)})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(1-${num(plan.target)})`, labels },
    { record: 'slo:time_period:days', expr: `vector(${num(days)})`, labels },
    {
      record: 'slo:current_burn_rate:ratio',
      expr: `${names.errorRatio(plan.windows[0]!)}${sel}\n${on}slo:error_budget:ratio${sel}`,
      labels,
    },
    {
      record: 'slo:period_burn_rate:ratio',
      expr: `${names.errorRatio(plan.period)}${sel}\n${on}slo:error_budget:ratio${sel}`,
      labels,
    },
    { record: names.budgetRemaining, expr: `1 - slo:period_burn_rate:ratio${sel}`, labels },
    {
      record: 'sloth_slo_info',
      expr: 'vector(1)',
      labels: sortLabels({
        ...labels,
        sloth_mode: o.mode ?? 'slo-scout',
        sloth_objective: num(Number((plan.target * 100).toPrecision(12))),
        sloth_spec: o.specVersion ?? SLO_SPEC_API_VERSION,
        sloth_version: o.generatorVersion ?? 'slo-scout-0.1.0',
      }),
    },
  ];
}

function alertAnnotations(plan: SloPlan, alert: PlannedAlert, o: GenerateRulesOptions): LabelSet {
  return sortLabels({
    summary:
      '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
    title: `(${alert.tier}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
    ...(o.runbookBaseUrl === undefined
      ? {}
      : { runbook_url: `${o.runbookBaseUrl}/${runbookFileName(plan, alert.tier)}` }),
    ...alert.annotations,
  });
}

function slothAlert({ plan, names, o }: Ctx, alert: PlannedAlert): AlertingRule {
  const cond = (w: string, factor: number): string =>
    `max(${names.errorRatio(w)}${names.selector} > (${num(factor)} * ${num(plan.errorBudget)})) without (sloth_window)`;
  const blocks = alert.pairs.map((p) => {
    const lines = [cond(p.short, p.factor), 'and', cond(p.long, p.factor)];
    if (plan.minEvents > 0) lines.push('and on()', guard(plan, p));
    return `(\n${lines.map((l) => `    ${l}`).join('\n')}\n)`;
  });
  return {
    alert: alert.name,
    expr: blocks.join('\nor\n'),
    labels: sortLabels({ ...alert.labels, [names.tierLabel]: names.tierValue(alert.tier) }),
    annotations: alertAnnotations(plan, alert, o),
  };
}

function slothGroups(plan: SloPlan, names: RuleNames, o: GenerateRulesOptions): RuleGroup[] {
  const base = { ...o.extraLabels, ...plan.sloLabels };
  const groups: RuleGroup[] = [
    { name: `sloth-slo-sli-recordings-${plan.id}`, rules: slothRecordings(plan, names, base) },
    { name: `sloth-slo-meta-recordings-${plan.id}`, rules: slothMeta({ plan, names, o }, base) },
  ];
  const alerts = plan.alerts.filter((a) => a.pairs.length > 0);
  if (alerts.length > 0) {
    groups.push({
      name: `sloth-slo-alerts-${plan.id}`,
      rules: alerts.map((a) => slothAlert({ plan, names, o }, a)),
    });
  }
  return groups;
}

function pyrraGroups(plan: SloPlan, names: RuleNames, o: GenerateRulesOptions): RuleGroup[] {
  const base = { ...o.extraLabels, ...plan.sloLabels };
  const labels = sortLabels({ ...base, ...names.idLabels });
  const sel = names.selector;
  const budget = num(plan.errorBudget);
  const recordings: RecordingRule[] = plan.windows.map((w) => ({
    record: names.errorRatio(w),
    expr: withWindow(plan.errorQuery, w),
    labels,
  }));
  recordings.push(
    { record: 'slo:objective:ratio', expr: `vector(${num(plan.target)})`, labels },
    {
      record: names.budgetRemaining,
      expr: `1 - ${names.errorRatio(plan.period)}${sel} / ${budget}`,
      labels,
    },
  );
  const alerts: AlertingRule[] = [];
  for (const alert of plan.alerts) {
    for (const p of alert.pairs) {
      const lines = [
        `${names.errorRatio(p.short)}${sel} > (${num(p.factor)} * ${budget})`,
        'and',
        `${names.errorRatio(p.long)}${sel} > (${num(p.factor)} * ${budget})`,
      ];
      if (plan.minEvents > 0) lines.push('and on()', guard(plan, p));
      alerts.push({
        alert: alert.name,
        expr: lines.join('\n'),
        labels: sortLabels({
          severity: alert.tier === 'page' ? 'critical' : 'warning',
          ...alert.labels,
          ...names.idLabels,
          long: p.long,
          short: p.short,
          [names.tierLabel]: names.tierValue(alert.tier),
        }),
        annotations: alertAnnotations(plan, alert, o),
      });
    }
  }
  const groups: RuleGroup[] = [{ name: `slo-scout-recordings-${plan.id}`, rules: recordings }];
  if (alerts.length > 0) groups.push({ name: `slo-scout-alerts-${plan.id}`, rules: alerts });
  return groups;
}

/** Generates the rules of every objective of a spec, each with its plan and names. */
export function generateSloRules(
  spec: SloSpec,
  options: GenerateRulesOptions = {},
): readonly SloRules[] {
  const profile = options.profile ?? SLOTH_PROFILE;
  return toSloPlans(spec, { profile }).map((plan) => {
    const names = ruleNames(profile, plan);
    const groups =
      profile.name === 'sloth'
        ? slothGroups(plan, names, options)
        : pyrraGroups(plan, names, options);
    return { plan, names, groups };
  });
}

/**
 * Generates a Prometheus rule file for one or more specs: SLI recordings for every window,
 * metadata rules and multi-window multi-burn-rate alerts. Throws `ArtifactsError` on an invalid spec
 * or on two specs with the same id.
 * @example
 * const file = generateRules([spec]);
 * const yaml = toRuleFileYaml(file);
 */
export function generateRules(
  specs: readonly SloSpec[],
  options: GenerateRulesOptions = {},
): RuleFile {
  const seen = new Set<string>();
  const groups: RuleGroup[] = [];
  for (const spec of specs) {
    for (const r of generateSloRules(spec, options)) {
      if (seen.has(r.plan.id)) {
        throw new ArtifactsError('INVALID_SPEC', `two SLOs share the id '${r.plan.id}'`);
      }
      seen.add(r.plan.id);
      groups.push(...r.groups);
    }
  }
  return { groups };
}

import type { SloSpec } from '@slo-scout/schema';
import type { ErrorTemplate } from '../dashboards/generate-dashboard.ts';
import { topErrorsMarkdown } from '../dashboards/generate-dashboard.ts';
import { generateSloRules, runbookFileName } from '../rules/generate-rules.ts';
import type { BurnRateProfile } from '../rules/profiles.ts';
import { withWindow } from '../rules/plan.ts';

/** A generated file: a repository-relative path and its text. */
export interface ArtifactFile {
  readonly path: string;
  readonly content: string;
}

/** Options of {@link generateRunbooks}. */
export interface RunbookOptions {
  readonly profile?: BurnRateProfile;
  /** Link to the journey's Grafana dashboard. */
  readonly dashboardUrl?: string;
  /** Top error fingerprints of the journey, samples already redacted. */
  readonly topErrors?: readonly ErrorTemplate[];
  /** Folder of the runbooks in the repository; default `runbooks`. */
  readonly dir?: string;
}

const pct = (n: number): string => `${Number((n * 100).toPrecision(6))}%`;

/** Markdown runbooks, one per alert tier of every objective of the spec. */
export function generateRunbooks(
  spec: SloSpec,
  options: RunbookOptions = {},
): readonly ArtifactFile[] {
  const dir = options.dir ?? 'runbooks';
  const out: ArtifactFile[] = [];
  for (const { plan, names } of generateSloRules(
    spec,
    options.profile ? { profile: options.profile } : {},
  )) {
    for (const alert of plan.alerts) {
      if (alert.pairs.length === 0) continue;
      const urgent = alert.tier === 'page';
      const conditions = alert.pairs
        .map(
          (p) =>
            `| ${p.long} and ${p.short} | ${Number(p.factor.toPrecision(6))}× | ${pct(p.factor * plan.errorBudget)} | ${pct((p.factor * p.longMs) / plan.periodMs)} of the budget in ${p.long} |`,
        )
        .join('\n');
      const r = spec.spec.indicator.ratio;
      const lines = [
        `# ${alert.name} (${alert.tier}): ${plan.displayName}`,
        '',
        `> Service \`${plan.service}\` · SLO \`${plan.slo}\` · objective ${pct(plan.target)} over ${plan.period} · error budget ${pct(plan.errorBudget)}`,
        '',
        '## What it means',
        '',
        urgent
          ? `The error budget is burning fast enough to be gone within days. Someone should look **now**.`
          : `The error budget is burning faster than the SLO allows, slowly enough to handle during working hours.`,
        '',
        '| windows (both over) | burn rate | error ratio above | spends |',
        '|---|---:|---:|---|',
        conditions,
        '',
        plan.minEvents > 0
          ? `Low-traffic guard: the alert stays silent until ${plan.minEvents} events were seen in the long window.`
          : 'No low-traffic guard is set.',
        '',
        '## Journey and SLI',
        '',
        `- Journey: ${plan.journeyId === undefined ? '(not linked)' : `\`${plan.journeyId}\``}`,
        `- SLI: \`${spec.spec.indicator.name}\` (${spec.spec.indicator.kind})${plan.description ? ` — ${plan.description}` : ''}`,
        `- Owner: ${plan.owner ?? '(none)'}`,
        '',
        '## PromQL',
        '',
        'Error ratio over 5 minutes:',
        '',
        '```promql',
        withWindow(plan.errorQuery, '5m'),
        '```',
        '',
        `${r.bad === undefined ? 'Good' : 'Bad'} events and total:`,
        '',
        '```promql',
        withWindow(r.bad ?? r.good, '5m'),
        withWindow(r.total, '5m'),
        '```',
        '',
        'Recorded series:',
        '',
        '```promql',
        `${names.errorRatio(plan.windows[0]!)}${names.selector}`,
        `${names.budgetRemaining}${names.selector}`,
        '```',
        '',
        '## Dashboard',
        '',
        options.dashboardUrl === undefined
          ? '(no dashboard link configured)'
          : `<${options.dashboardUrl}>`,
        '',
        '## Evidence: top error fingerprints (redacted samples)',
        '',
        topErrorsMarkdown(options.topErrors ?? []),
        '',
        '## First checks',
        '',
        '1. Open the dashboard: is the burn rate high in every window, or only the short one (a spike that is already over)?',
        '2. Compare with recent deploys, config changes and feature flags of the service and its dependencies.',
        '3. Look at the top error fingerprints above: a new fingerprint usually points at the change that caused it.',
        '4. Check the dependencies on the journey (databases, queues, third-party APIs) for their own alerts.',
        '',
        '## Mitigations',
        '',
        '- Roll back or disable the most recent change to the journey.',
        '- Shed or reroute load if the errors follow traffic; scale out if saturation is the cause.',
        '- If a dependency is down, fail over or degrade gracefully, and tell its owners.',
        urgent
          ? '- If the budget is nearly spent, freeze risky deploys until it recovers.'
          : '- Open a ticket and plan the fix; review the SLO if this burn is expected.',
        '',
      ];
      out.push({ path: `${dir}/${runbookFileName(plan, alert.tier)}`, content: lines.join('\n') });
    }
  }
  return out;
}

/* eslint-disable @typescript-eslint/no-deprecated -- the v1 Dashboard model is the one the shared dashboard JSON schema and Grafana file provisioning read; dashboardv2 is a different API. */
import {
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  RowBuilder,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelineBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TextBuilder, TextMode } from '@grafana/grafana-foundation-sdk/text';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import type { SloSpec } from '@slo-scout/schema';
import { generateSloRules, type SloRules } from '../rules/generate-rules.ts';
import type { BurnRateProfile } from '../rules/profiles.ts';

/** A frequent error template from the capsules, with an already-redacted sample. */
export interface ErrorTemplate {
  readonly fingerprint: string;
  readonly template: string;
  readonly count: number;
  /** A redacted sample line; never a raw one. */
  readonly sample?: string;
}

/** Options of {@link generateDashboard}. */
export interface DashboardOptions {
  readonly profile?: BurnRateProfile;
  /** Most frequent error templates of the journey, shown as a table. */
  readonly topErrors?: readonly ErrorTemplate[];
  /** Link shown on the dashboard, e.g. to the runbooks. */
  readonly runbookBaseUrl?: string;
}

const DS = { type: 'prometheus', uid: '${datasource}' };

const q = (expr: string, legend: string, refId: string): DataqueryBuilder =>
  new DataqueryBuilder().expr(expr).legendFormat(legend).refId(refId);

/** The dashboard uid of a spec: at most 40 characters, stable across runs. */
export function dashboardUid(spec: SloSpec): string {
  const full = `slo-${spec.spec.service}-${spec.metadata.name}`;
  if (full.length <= 40) return full;
  // Grafana caps uids at 40 characters; a plain cut would give two SLOs of one journey one uid.
  let h = 0x811c9dc5;
  for (let i = 0; i < full.length; i++) h = Math.imul(h ^ full.charCodeAt(i), 0x01000193);
  return `${full.slice(0, 31).replace(/-+$/, '')}-${(h >>> 0).toString(16).padStart(8, '0')}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Markdown table of the top error templates. */
export function topErrorsMarkdown(top: readonly ErrorTemplate[]): string {
  if (top.length === 0) return '_No error templates were seen in the capsules for this journey._';
  const rows = top.map(
    (t) =>
      `| \`${t.fingerprint.slice(0, 12)}\` | ${t.count} | ${escapeCell(t.template)} | ${escapeCell(t.sample ?? '')} |`,
  );
  return [
    '| fingerprint | count | template | redacted sample |',
    '|---|---:|---|---|',
    ...rows,
  ].join('\n');
}

function addSlo(b: DashboardBuilder, r: SloRules, o: DashboardOptions): void {
  const { plan, names } = r;
  const sel = names.selector;
  const budget = String(plan.errorBudget);
  b.withRow(new RowBuilder(`${plan.displayName} (${plan.target * 100}% over ${plan.period})`));
  b.withPanel(
    new StatBuilder()
      .title(`SLI over ${plan.period}`)
      .datasource(DS)
      .unit('percentunit')
      .decimals(3)
      .span(6)
      .height(5)
      .withTarget(q(`1 - ${names.errorRatio(plan.period)}${sel}`, 'SLI', 'A')),
  );
  b.withPanel(
    new StatBuilder()
      .title('Error budget remaining')
      .datasource(DS)
      .unit('percentunit')
      .decimals(1)
      .span(6)
      .height(5)
      .withTarget(q(`${names.budgetRemaining}${sel}`, 'remaining', 'A')),
  );
  b.withPanel(
    new TimeseriesBuilder()
      .title('SLI (5m) and objective')
      .datasource(DS)
      .unit('percentunit')
      .span(12)
      .height(8)
      .withTarget(q(`1 - ${names.errorRatio(plan.windows[0]!)}${sel}`, 'SLI 5m', 'A'))
      .withTarget(q(`vector(${plan.target})`, 'objective', 'B')),
  );
  const burn = new TimeseriesBuilder()
    .title('Burn rate per window')
    .description(
      'Error ratio divided by the error budget: 1 spends the budget exactly over the period.',
    )
    .datasource(DS)
    .span(12)
    .height(8);
  const windows = plan.windows.filter((w) => w !== plan.period);
  windows.forEach((w, i) => {
    burn.withTarget(q(`${names.errorRatio(w)}${sel} / ${budget}`, w, String.fromCharCode(65 + i)));
  });
  b.withPanel(burn);
  const alertSel = Object.entries(names.idLabels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  const alertNames = [...new Set(plan.alerts.map((a) => a.name))].join('|');
  b.withPanel(
    new StateTimelineBuilder()
      .title('Alert state')
      .datasource(DS)
      .span(12)
      .height(6)
      .withTarget(
        q(
          `max by (alertname, ${names.tierLabel}) (ALERTS{alertname=~"${alertNames || 'none'}", alertstate="firing", ${alertSel}})`,
          `{{alertname}} {{${names.tierLabel}}}`,
          'A',
        ),
      ),
  );
  b.withPanel(
    new TextBuilder()
      .title('Top error templates (capsules)')
      .mode(TextMode.Markdown)
      .content(topErrorsMarkdown(o.topErrors ?? []))
      .span(12)
      .height(8),
  );
}

/**
 * Builds the Grafana dashboard of a journey's SLO with the foundation SDK: the SLI, error budget
 * remaining, burn rate per window, alert state and the top error templates, one row per objective.
 */
export function generateDashboard(spec: SloSpec, options: DashboardOptions = {}): Dashboard {
  const rules = generateSloRules(
    spec,
    options.profile === undefined ? {} : { profile: options.profile },
  );
  const s = spec.spec;
  const b = new DashboardBuilder(
    `SLO / ${s.service} / ${spec.metadata.displayName ?? spec.metadata.name}`,
  )
    .uid(dashboardUid(spec))
    .description(s.description ?? `Service level objective ${spec.metadata.name} of ${s.service}.`)
    .tags([
      'slo',
      'slo-scout',
      s.service,
      ...(s.journeyId === undefined ? [] : [`journey:${s.journeyId}`]),
    ])
    .timezone('utc')
    .refresh('1m')
    .time({ from: 'now-7d', to: 'now' })
    .withVariable(
      new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'),
    );
  if (options.runbookBaseUrl !== undefined) {
    b.link(
      new DashboardLinkBuilder('Runbooks').type(DashboardLinkType.Link).url(options.runbookBaseUrl),
    );
  }
  for (const r of rules) addSlo(b, r, options);
  return b.build();
}

/** Serialises a dashboard as Grafana JSON (2-space indent, trailing newline). */
export function toDashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

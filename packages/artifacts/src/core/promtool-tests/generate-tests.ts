import { stringify } from 'yaml';
import type { SloSpec } from '@slo-scout/schema';
import { ArtifactsError, err, ok, type Result } from '../../errors.ts';
import {
  generateSloRules,
  type GenerateRulesOptions,
  type SloRules,
} from '../rules/generate-rules.ts';
import { withWindow } from '../rules/plan.ts';
import type { LabelSet } from '../rules/rule-file.ts';
import { findSelectors, pickValue, type Matcher, type Selector } from './selectors.ts';

/** One input series of a promtool unit test. */
export interface PromtoolSeries {
  readonly series: string;
  readonly values: string;
}

/** An expected alert of a promtool unit test. */
export interface PromtoolExpectedAlert {
  readonly exp_labels: LabelSet;
  readonly exp_annotations: LabelSet;
}

/** One `tests:` entry of a promtool unit-test file. */
export interface PromtoolTestCase {
  readonly name: string;
  readonly interval: string;
  readonly input_series: readonly PromtoolSeries[];
  readonly alert_rule_test: readonly {
    readonly eval_time: string;
    readonly alertname: string;
    readonly exp_alerts: readonly PromtoolExpectedAlert[];
  }[];
}

/** A promtool unit-test file (`promtool test rules <file>`). */
export interface PromtoolTestFile {
  readonly rule_files: readonly string[];
  readonly evaluation_interval: string;
  readonly tests: readonly PromtoolTestCase[];
}

/** A scenario the generated tests cover. */
export type Scenario = 'fast-burn' | 'slow-burn' | 'healthy' | 'low-traffic';

/** Options of {@link generatePromtoolTests}. */
export interface PromtoolTestOptions extends GenerateRulesOptions {
  /** Rule file name the tests load, relative to the test file. */
  readonly ruleFile: string;
}

interface Traffic {
  /** Total events per minute. */
  readonly perMinute: number;
  readonly errorRatio: number;
}

function seriesText(metric: string, labels: Readonly<Record<string, string>>): string {
  const body = Object.entries(labels)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');
  return `${metric}{${body}}`;
}

function labelsFor(sel: Selector, avoid?: Matcher): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const names = new Set([...sel.matchers.map((m) => m.name), ...(avoid ? [avoid.name] : [])]);
  for (const n of names) {
    if (n === '__name__') continue;
    const v = pickValue(
      sel.matchers.filter((m) => m.name === n),
      avoid?.name === n ? avoid : undefined,
    );
    if (v === undefined) return undefined;
    out[n] = v;
  }
  return out;
}

const counter = (perMinute: number, minutes: number): string =>
  `0+${Number(perMinute.toPrecision(12))}x${minutes}`;

/**
 * Input series making the SLI report `errorRatio` at `perMinute` events: two series of one metric
 * (in and out of the bad/good selector) or one series per metric when bad/good and total differ.
 */
function inputSeries(rules: SloRules, traffic: Traffic, minutes: number): PromtoolSeries[] {
  const ratio = rules.plan.spec.spec.indicator.ratio;
  const isBad = ratio.bad !== undefined;
  const part = findSelectors(withWindow(ratio.bad ?? ratio.good, '5m'));
  const total = findSelectors(withWindow(ratio.total, '5m'));
  if (part.length !== 1 || total.length !== 1) {
    throw new ArtifactsError(
      'INVALID_SPEC',
      'unit tests need exactly one selector in the bad/good and total queries',
    );
  }
  const p = part[0]!;
  const t = total[0]!;
  const bad = traffic.perMinute * traffic.errorRatio;
  const partRate = isBad ? bad : traffic.perMinute - bad;
  const otherRate = traffic.perMinute - partRate;
  if (p.metric !== t.metric) {
    const pl = labelsFor(p);
    const tl = labelsFor(t);
    if (!pl || !tl)
      throw new ArtifactsError(
        'INVALID_SPEC',
        'cannot find label values matching the SLI selectors',
      );
    return [
      { series: seriesText(p.metric, pl), values: counter(partRate, minutes) },
      { series: seriesText(t.metric, tl), values: counter(traffic.perMinute, minutes) },
    ];
  }
  const both: Selector = { metric: p.metric, matchers: [...t.matchers, ...p.matchers] };
  const inside = labelsFor(both);
  const totalKeys = new Set(t.matchers.map((m) => `${m.name}${m.op}${m.value}`));
  let outside: Record<string, string> | undefined;
  for (const m of p.matchers.filter((x) => !totalKeys.has(`${x.name}${x.op}${x.value}`))) {
    outside = labelsFor(t, m);
    if (outside) break;
  }
  if (!inside || !outside)
    throw new ArtifactsError('INVALID_SPEC', 'cannot find label values matching the SLI selectors');
  return [
    { series: seriesText(p.metric, inside), values: counter(partRate, minutes) },
    { series: seriesText(p.metric, outside), values: counter(otherRate, minutes) },
  ];
}

function expand(text: string, labels: LabelSet): string {
  const out = text.replace(
    /\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g,
    (_m, k: string) => labels[k] ?? '',
  );
  if (out.includes('{{'))
    throw new ArtifactsError('INVALID_SPEC', `annotation template not supported in tests: ${text}`);
  return out;
}

function expectedAlerts(rules: SloRules, errorRatio: number, o: PromtoolTestOptions) {
  const { plan, names, groups } = rules;
  const out: { alertname: string; exp: PromtoolExpectedAlert }[] = [];
  const alerting = groups.flatMap((g) => g.rules).filter((r) => 'alert' in r);
  const seriesLabels = { ...o.extraLabels, ...plan.sloLabels, ...names.idLabels };
  let i = 0;
  for (const alert of plan.alerts) {
    const pyrra = names.tierLabel === 'slo_tier';
    const firing = alert.pairs.filter((p) => errorRatio > p.factor * plan.errorBudget);
    const rulesOfAlert = pyrra
      ? alert.pairs.map(() => alerting[i++]!)
      : alert.pairs.length > 0
        ? [alerting[i++]!]
        : [];
    rulesOfAlert.forEach((rule, k) => {
      const fires = pyrra ? firing.includes(alert.pairs[k]!) : firing.length > 0;
      if (!fires || !('alert' in rule)) return;
      const labels = { ...seriesLabels, ...rule.labels };
      const annotations = Object.fromEntries(
        Object.entries(rule.annotations ?? {}).map(([key, v]) => [key, expand(v, labels)]),
      );
      out.push({
        alertname: rule.alert,
        exp: { exp_labels: labels, exp_annotations: annotations },
      });
    });
  }
  return out;
}

const EVAL_MINUTES = 70;

function testCase(
  rules: SloRules,
  s: { readonly scenario: Scenario; readonly traffic: Traffic },
  o: PromtoolTestOptions,
): PromtoolTestCase {
  const { scenario, traffic } = s;
  const { plan } = rules;
  // Constant traffic from t=0: every window's ratio equals the error ratio as soon as it holds two
  // samples, so 70 minutes is enough for every window and keeps promtool fast.
  const evalMinutes = EVAL_MINUTES;
  const expected = expectedAlerts(rules, traffic.errorRatio, o);
  const names = [...new Set(plan.alerts.map((a) => a.name))];
  return {
    name: `${plan.id}: ${scenario} (error ratio ${Number(traffic.errorRatio.toPrecision(6))}, ${Number(traffic.perMinute.toPrecision(6))} events/min)`,
    interval: '1m',
    input_series: inputSeries(rules, traffic, evalMinutes + 5),
    alert_rule_test: names.map((alertname) => ({
      eval_time: `${evalMinutes}m`,
      alertname,
      exp_alerts:
        scenario === 'fast-burn' || scenario === 'slow-burn'
          ? expected.filter((e) => e.alertname === alertname).map((e) => e.exp)
          : [],
    })),
  };
}

/** The scenarios of one SLO with their traffic; scenarios that cannot happen (a page above 100% errors) are left out. */
export function scenariosFor(rules: SloRules): readonly { scenario: Scenario; traffic: Traffic }[] {
  const { plan } = rules;
  const b = plan.errorBudget;
  const pairs = plan.alerts.flatMap((a) => a.pairs);
  if (pairs.length === 0) return [];
  const page = pairs.filter((p) => p.tier === 'page').map((p) => p.factor);
  const ticket = pairs.filter((p) => p.tier === 'ticket').map((p) => p.factor);
  // Events a pair's guard sees: the extrapolated increase over the data, at most EVAL_MINUTES long.
  const minLongMin = Math.min(EVAL_MINUTES, ...pairs.map((p) => p.longMs / 60_000));
  const maxLongMin = Math.max(EVAL_MINUTES + 5, ...pairs.map((p) => p.longMs / 60_000));
  const busy = Math.max(1000, Math.ceil((2 * plan.minEvents) / minLongMin));
  const out: { scenario: Scenario; traffic: Traffic }[] = [];
  const top = Math.max(...pairs.map((p) => p.factor));
  const fast = Math.min(1, 2 * top * b);
  if (fast > Math.max(...page, ...ticket) * b)
    out.push({ scenario: 'fast-burn', traffic: { perMinute: busy, errorRatio: fast } });
  if (ticket.length > 0) {
    const low = Math.max(...ticket) * b;
    const high = page.length > 0 ? Math.min(...page) * b : 2 * low;
    const slow = (low + Math.min(1, high)) / 2;
    if (slow > low && slow < 1)
      out.push({ scenario: 'slow-burn', traffic: { perMinute: busy, errorRatio: slow } });
  }
  out.push({
    scenario: 'healthy',
    traffic: { perMinute: busy, errorRatio: (Math.min(...page, ...ticket) * b) / 2 },
  });
  if (plan.minEvents > 0) {
    out.push({
      scenario: 'low-traffic',
      traffic: { perMinute: plan.minEvents / (2 * maxLongMin), errorRatio: fast },
    });
  }
  return out;
}

/**
 * Generates promtool unit tests for every SLO of the specs: the page alert fires under a fast burn,
 * the ticket alert under a slow burn, and nothing fires at a healthy rate or under the low-traffic guard.
 * A failed result names an SLI whose selectors the generator cannot synthesise series for.
 */
export function generatePromtoolTests(
  specs: readonly SloSpec[],
  options: PromtoolTestOptions,
): Result<PromtoolTestFile> {
  try {
    const tests: PromtoolTestCase[] = [];
    for (const spec of specs) {
      for (const rules of generateSloRules(spec, options)) {
        for (const s of scenariosFor(rules)) tests.push(testCase(rules, s, options));
      }
    }
    return ok({ rule_files: [options.ruleFile], evaluation_interval: '1m', tests });
  } catch (e) {
    if (e instanceof ArtifactsError) return err(e);
    throw e;
  }
}

/** Serialises a promtool unit-test file as YAML. */
export function toPromtoolTestYaml(file: PromtoolTestFile): string {
  return stringify(file, { lineWidth: 0 });
}

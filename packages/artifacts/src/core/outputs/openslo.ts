import { stringify } from 'yaml';
import type { SloSpec } from '@slo-scout/schema';

const metric = (q: string): unknown => ({
  metricSource: { type: 'Prometheus', spec: { query: q } },
});

/**
 * Writes an SloSpec as OpenSLO v1 YAML: an SLO with an inline ratio SLI and, when the spec alerts,
 * an AlertPolicy with one burn-rate AlertCondition per enabled tier (`page`, `ticket`).
 */
export function toOpenSloYaml(spec: SloSpec): string {
  const s = spec.spec;
  const r = s.indicator.ratio;
  const ratioMetric = {
    counter: false,
    ...(r.bad === undefined ? { good: metric(r.good) } : { bad: metric(r.bad) }),
    total: metric(r.total),
  };
  const policyName = `${spec.metadata.name}-burn-rate`;
  const tiers = [
    ...(s.alerting?.pageDisabled === true ? [] : [['page', 14.4, '1h', '5m'] as const]),
    ...(s.alerting?.ticketDisabled === true ? [] : [['ticket', 3, '1d', '2h'] as const]),
  ];
  const slo = {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: {
      name: spec.metadata.name,
      ...(spec.metadata.displayName === undefined
        ? {}
        : { displayName: spec.metadata.displayName }),
      ...(spec.metadata.labels === undefined ? {} : { labels: spec.metadata.labels }),
    },
    spec: {
      ...(s.description === undefined ? {} : { description: s.description }),
      service: s.service,
      indicator: { metadata: { name: s.indicator.name }, spec: { ratioMetric } },
      timeWindow: [{ duration: s.timeWindow.duration, isRolling: true }],
      budgetingMethod: s.budgetingMethod,
      objectives: s.objectives.map((o) => ({
        ...(o.displayName === undefined ? {} : { displayName: o.displayName }),
        target: o.target,
      })),
      ...(tiers.length > 0 && s.alerting !== undefined ? { alertPolicies: [policyName] } : {}),
    },
  };
  const docs: unknown[] = [slo];
  if (tiers.length > 0 && s.alerting !== undefined) {
    docs.push({
      apiVersion: 'openslo/v1',
      kind: 'AlertPolicy',
      metadata: {
        name: policyName,
        ...(s.alerting.labels === undefined ? {} : { labels: s.alerting.labels }),
      },
      spec: {
        alertWhenBreaching: true,
        alertWhenResolved: false,
        alertWhenNoData: false,
        conditions: tiers.map(([tier, threshold, lookback, after]) => ({
          kind: 'AlertCondition',
          metadata: { name: `${spec.metadata.name}-${tier}` },
          spec: {
            severity: tier,
            condition: {
              kind: 'burnrate',
              op: 'gte',
              threshold,
              lookbackWindow: lookback,
              alertAfter: after,
            },
          },
        })),
      },
    });
  }
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

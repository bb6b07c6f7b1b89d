import { stringify } from 'yaml';
import type { LabelSet, RuleFile } from './rule-file.ts';

const YAML_OPTIONS = { lineWidth: 0, indent: 2 } as const;

/** Serialises a rule file as Prometheus rule YAML (`groups:`), as `promtool check rules` reads it. */
export function toRuleFileYaml(file: RuleFile): string {
  return stringify(file, YAML_OPTIONS);
}

/** Options of {@link toPrometheusRuleYaml}. */
export interface PrometheusRuleOptions {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: LabelSet;
}

/** Wraps a rule file in a prometheus-operator `PrometheusRule` custom resource (YAML). */
export function toPrometheusRuleYaml(file: RuleFile, options: PrometheusRuleOptions): string {
  return stringify(
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: options.name,
        ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
        ...(options.labels === undefined ? {} : { labels: options.labels }),
      },
      spec: { groups: file.groups },
    },
    YAML_OPTIONS,
  );
}

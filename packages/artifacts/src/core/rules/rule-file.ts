/** Prometheus label or annotation set. */
export type LabelSet = Readonly<Record<string, string>>;

/** A Prometheus recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: LabelSet;
}

/** A Prometheus alerting rule. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: LabelSet;
  readonly annotations?: LabelSet;
}

/** A recording or alerting rule. */
export type Rule = RecordingRule | AlertingRule;

/** A named group of rules evaluated together. */
export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** A Prometheus rule file (`groups:`). */
export interface RuleFile {
  readonly groups: readonly RuleGroup[];
}

/** True for alerting rules. */
export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return 'alert' in rule;
}

/** Returns the label set with keys sorted, the way Prometheus tooling prints them. */
export function sortLabels(labels: LabelSet): LabelSet {
  return Object.fromEntries(
    Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

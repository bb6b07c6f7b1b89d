export { ArtifactsError, toArtifactsError, ok, err } from './errors.ts';
export type { ArtifactsErrorCode, Result } from './errors.ts';

export {
  SLOTH_PROFILE,
  PYRRA_PROFILE,
  PROFILES,
  resolvePairs,
  recordedWindows,
} from './core/rules/profiles.ts';
export type {
  AlertTier,
  BurnWindowPair,
  BurnRateProfile,
  PeriodScaling,
  ResolvedPair,
} from './core/rules/profiles.ts';
export { toSloPlans, toErrorQuery, withWindow } from './core/rules/plan.ts';
export type { SloPlan, PlannedAlert, PlanOptions, Labels } from './core/rules/plan.ts';
export { ruleNames } from './core/rules/naming.ts';
export type { RuleNames } from './core/rules/naming.ts';
export { isAlertingRule, sortLabels } from './core/rules/rule-file.ts';
export type {
  LabelSet,
  RecordingRule,
  AlertingRule,
  Rule,
  RuleGroup,
  RuleFile,
} from './core/rules/rule-file.ts';
export { generateRules, generateSloRules, runbookFileName } from './core/rules/generate-rules.ts';
export type { GenerateRulesOptions, SloRules } from './core/rules/generate-rules.ts';
export { toRuleFileYaml, toPrometheusRuleYaml } from './core/rules/render.ts';
export type { PrometheusRuleOptions } from './core/rules/render.ts';

export { parseSlothSpec } from './core/inputs/sloth.ts';
export type { SlothImportOptions } from './core/inputs/sloth.ts';
export { parseOpenSlo } from './core/inputs/openslo.ts';
export type { ImportedSpecs } from './core/inputs/common.ts';
export { toOpenSloYaml } from './core/outputs/openslo.ts';

export {
  generatePromtoolTests,
  toPromtoolTestYaml,
  scenariosFor,
} from './core/promtool-tests/generate-tests.ts';
export type {
  PromtoolSeries,
  PromtoolExpectedAlert,
  PromtoolTestCase,
  PromtoolTestFile,
  PromtoolTestOptions,
  Scenario,
} from './core/promtool-tests/generate-tests.ts';
export { findSelectors, sampleRegex, matches, pickValue } from './core/promtool-tests/selectors.ts';
export type { Selector, Matcher } from './core/promtool-tests/selectors.ts';

export {
  generateDashboard,
  toDashboardJson,
  dashboardUid,
  topErrorsMarkdown,
} from './core/dashboards/generate-dashboard.ts';
export type { DashboardOptions, ErrorTemplate } from './core/dashboards/generate-dashboard.ts';

export { generateRunbooks } from './core/runbooks/generate-runbooks.ts';
export type { ArtifactFile, RunbookOptions } from './core/runbooks/generate-runbooks.ts';
export {
  scanArtifacts,
  findSensitive,
  toSensitiveScanner,
  defaultSensitiveScanner,
} from './core/scan.ts';
export type { SensitiveFinding, SensitiveScanner, LocatedFinding } from './core/scan.ts';
export {
  parsePolicy,
  evaluatePolicy,
  codeOwnersOf,
  isUnboundedRegex,
} from './core/policy/policy.ts';
export type {
  ArtifactPolicy,
  ChangeSet,
  PolicyReason,
  PolicyDecision,
} from './core/policy/policy.ts';
export {
  createPullRequestDraft,
  toPullRequestBody,
  toSummaryTable,
  reviewersFor,
  checkDraft,
  isValidBranchName,
  isValidFilePath,
  PULL_REQUEST_MARKER,
} from './core/publish/pull-request.ts';
export type {
  PullRequestDraft,
  PullRequestInput,
  ValidationStep,
  CodeOwnerReviewers,
} from './core/publish/pull-request.ts';
export { generateInhibitRules, toInhibitRulesYaml } from './core/alertmanager/inhibit-rules.ts';
export type { InhibitRule, InhibitRuleOptions } from './core/alertmanager/inhibit-rules.ts';

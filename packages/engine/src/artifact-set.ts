/**
 * One artifact set for approved SLOs: the specs, recording and alert rules, promtool unit tests,
 * Grafana dashboards, runbooks and Alertmanager inhibit rules — and its validation.
 */
import type { SloSpec } from '@slo-scout/schema';
import {
  evaluatePolicy,
  findSensitive,
  generateDashboard,
  generateInhibitRules,
  generatePromtoolTests,
  generateRules,
  generateRunbooks,
  dashboardUid,
  toDashboardJson,
  toInhibitRulesYaml,
  toPromtoolTestYaml,
  toRuleFileYaml,
  type ArtifactFile,
  type ArtifactPolicy,
  type ErrorTemplate,
} from '@slo-scout/artifacts';
import { stringify } from 'yaml';
import type {
  DashboardValidator,
  RulesValidator,
  ValidationReport,
  ValidationStepResult,
} from './types.ts';

/** Where each kind of artifact goes in the repository. */
export const ARTIFACT_PATHS = {
  specs: 'slos',
  rules: 'prometheus/slo-scout.rules.yml',
  ruleTests: 'prometheus/slo-scout.rules.test.yml',
  dashboards: 'grafana/dashboards',
  runbooks: 'runbooks',
  inhibitRules: 'alertmanager/slo-scout.inhibit-rules.yml',
} as const;

/** The default guard: at most 10 new paging alerts, no unbounded regex, no sensitive data. */
export const DEFAULT_POLICY: ArtifactPolicy = {
  maxNewPagingAlerts: 10,
  requireOwnerApproval: false,
  forbidUnboundedRegex: true,
  forbidSensitive: true,
};

const ruleTestFileName = ARTIFACT_PATHS.rules.slice(ARTIFACT_PATHS.rules.lastIndexOf('/') + 1);

/** Generates every file for the specs; error templates per SLO id feed dashboards and runbooks. */
export function generateArtifactFiles(
  specs: readonly SloSpec[],
  topErrors: Readonly<Record<string, readonly ErrorTemplate[]>>,
): { files: ArtifactFile[]; testsError?: string } {
  const files: ArtifactFile[] = [];
  for (const spec of specs)
    files.push({
      path: `${ARTIFACT_PATHS.specs}/${spec.spec.service}/${spec.metadata.name}.slo.yaml`,
      content: stringify(spec, { lineWidth: 0 }),
    });
  files.push({ path: ARTIFACT_PATHS.rules, content: toRuleFileYaml(generateRules(specs)) });
  const tests = generatePromtoolTests(specs, { ruleFile: ruleTestFileName });
  if (tests.ok)
    files.push({ path: ARTIFACT_PATHS.ruleTests, content: toPromtoolTestYaml(tests.value) });
  for (const spec of specs) {
    const errors = topErrors[sloId(spec)] ?? [];
    files.push({
      path: `${ARTIFACT_PATHS.dashboards}/${dashboardUid(spec)}.json`,
      content: toDashboardJson(generateDashboard(spec, { topErrors: errors })),
    });
    files.push(...generateRunbooks(spec, { topErrors: errors, dir: ARTIFACT_PATHS.runbooks }));
  }
  files.push({
    path: ARTIFACT_PATHS.inhibitRules,
    content: toInhibitRulesYaml(generateInhibitRules(specs)),
  });
  return tests.ok ? { files } : { files, testsError: tests.error.message };
}

/** `<service>-<slo name>`, the id artifacts use for one SLO. */
export function sloId(spec: SloSpec): string {
  return `${spec.spec.service}-${spec.metadata.name}`;
}

/** What validation needs besides the files. */
export interface ValidationDeps {
  readonly rules?: RulesValidator | undefined;
  readonly dashboards?: DashboardValidator | undefined;
  readonly policy: ArtifactPolicy;
  readonly approvals: readonly string[];
}

const skipped = (name: string, why: string): ValidationStepResult => ({
  name,
  ok: true,
  skipped: true,
  detail: why,
});

/**
 * Runs promtool (check and unit tests), the dashboard schema, the sensitive-data scan and the
 * policy guard. A missing validator is a skipped step, named as such, never a silent pass.
 */
export async function validateArtifactFiles(
  specs: readonly SloSpec[],
  files: readonly ArtifactFile[],
  deps: ValidationDeps,
): Promise<ValidationReport> {
  const steps: ValidationStepResult[] = [];
  const byPath = Object.fromEntries(files.map((f) => [f.path, f.content]));
  const ruleFiles = { [ruleTestFileName]: byPath[ARTIFACT_PATHS.rules] ?? '' };
  if (deps.rules === undefined) {
    const why = 'no promtool configured (install prometheus, or set SLO_PROMTOOL)';
    steps.push(skipped('promtool check rules', why), skipped('promtool test rules', why));
  } else {
    const checked = await deps.rules.checkRules(ruleFiles);
    steps.push(
      checked.ok
        ? { name: 'promtool check rules', ok: true, detail: firstLine(checked.value.stdout) }
        : { name: 'promtool check rules', ok: false, detail: checked.error.message },
    );
    const testFile = byPath[ARTIFACT_PATHS.ruleTests];
    if (testFile === undefined) {
      steps.push({
        name: 'promtool test rules',
        ok: false,
        detail: 'no unit tests were generated',
      });
    } else {
      const tested = await deps.rules.testRules({ ...ruleFiles, 'rules.test.yml': testFile }, [
        'rules.test.yml',
      ]);
      steps.push(
        tested.ok
          ? { name: 'promtool test rules', ok: true, detail: firstLine(tested.value.stdout) }
          : { name: 'promtool test rules', ok: false, detail: tested.error.message },
      );
    }
  }
  steps.push(validateDashboards(files, deps.dashboards));
  const found = findSensitive(files);
  steps.push(
    found.length === 0
      ? { name: 'sensitive-data scan', ok: true, detail: `${files.length} files clean` }
      : {
          name: 'sensitive-data scan',
          ok: false,
          detail: found.map((f) => `${f.path}:${f.line} ${f.kind}`).join(', '),
        },
  );
  const policy = evaluatePolicy(deps.policy, { specs, files, approvals: deps.approvals });
  return { ok: steps.every((s) => s.ok) && policy.allowed, steps, policy };
}

function validateDashboards(
  files: readonly ArtifactFile[],
  validator: DashboardValidator | undefined,
): ValidationStepResult {
  const name = 'grafana dashboard schema';
  if (validator === undefined) return skipped(name, 'no dashboard schema configured');
  const dashboards = files.filter((f) => f.path.startsWith(`${ARTIFACT_PATHS.dashboards}/`));
  const problems: string[] = [];
  for (const f of dashboards) {
    const r = validator.validate(JSON.parse(f.content) as unknown);
    if (!r.ok) problems.push(`${f.path}: ${r.error.message}`);
  }
  return problems.length === 0
    ? { name, ok: true, detail: `${dashboards.length} dashboards valid` }
    : { name, ok: false, detail: problems.join('; ') };
}

const firstLine = (s: string): string => s.trim().split('\n')[0] ?? '';

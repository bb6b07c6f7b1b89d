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
  /** One rule file per SLO, `<dir>/<service>-<slo>.rules.yml`. */
  rules: 'prometheus/rules',
  /** One promtool test file per SLO, loading only that SLO's rule file. */
  ruleTests: 'prometheus/tests',
  dashboards: 'grafana/dashboards',
  runbooks: 'runbooks',
  inhibitRules: 'alertmanager/slo-scout.inhibit-rules.yml',
} as const;

/** Where one SLO's rule file goes. */
export function ruleFilePath(spec: SloSpec): string {
  return `${ARTIFACT_PATHS.rules}/${sloId(spec)}.rules.yml`;
}

/** Where one SLO's promtool unit tests go. */
export function ruleTestFilePath(spec: SloSpec): string {
  return `${ARTIFACT_PATHS.ruleTests}/${sloId(spec)}.test.yml`;
}

/** The test file's path to its rule file (promtool resolves it from the test file's folder). */
const ruleFileFromTests = (spec: SloSpec): string => `../rules/${sloId(spec)}.rules.yml`;

/** promtool runs at once while validating (one per core of the small machines this targets). */
const PROMTOOL_CONCURRENCY = 2;

/** The default guard: at most 10 new paging alerts, no unbounded regex, no sensitive data. */
export const DEFAULT_POLICY: ArtifactPolicy = {
  maxNewPagingAlerts: 10,
  requireOwnerApproval: false,
  forbidUnboundedRegex: true,
  forbidSensitive: true,
};

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
  const testErrors: string[] = [];
  for (const spec of specs) {
    files.push({ path: ruleFilePath(spec), content: toRuleFileYaml(generateRules([spec])) });
    const tests = generatePromtoolTests([spec], { ruleFile: ruleFileFromTests(spec) });
    if (tests.ok)
      files.push({ path: ruleTestFilePath(spec), content: toPromtoolTestYaml(tests.value) });
    else testErrors.push(`${sloId(spec)}: ${tests.error.message}`);
  }
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
  return testErrors.length === 0 ? { files } : { files, testsError: testErrors.join('; ') };
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
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  const ruleFiles: Record<string, string> = {};
  for (const f of files)
    if (f.path.startsWith(`${ARTIFACT_PATHS.rules}/`)) ruleFiles[f.path] = f.content;
  if (deps.rules === undefined) {
    const why = 'no promtool configured (install prometheus, or set SLO_PROMTOOL)';
    steps.push(skipped('promtool check rules', why), skipped('promtool test rules', why));
  } else {
    const rules = deps.rules;
    const checked = await rules.checkRules(ruleFiles);
    steps.push(
      checked.ok
        ? {
            name: 'promtool check rules',
            ok: true,
            detail: `${Object.keys(ruleFiles).length} rule files: SUCCESS`,
          }
        : { name: 'promtool check rules', ok: false, detail: checked.error.message },
    );
    const failures: string[] = [];
    let tested = 0;
    await inPool(specs, PROMTOOL_CONCURRENCY, async (spec) => {
      const test = byPath.get(ruleTestFilePath(spec));
      const rule = byPath.get(ruleFilePath(spec));
      if (test === undefined || rule === undefined) {
        failures.push(`${sloId(spec)}: no unit tests were generated`);
        return;
      }
      const r = await rules.testRules(
        { [ruleFilePath(spec)]: rule, [ruleTestFilePath(spec)]: test },
        [ruleTestFilePath(spec)],
      );
      if (r.ok) tested++;
      else failures.push(`${sloId(spec)}: ${r.error.message}`);
    });
    steps.push(
      failures.length === 0
        ? { name: 'promtool test rules', ok: true, detail: `${tested} test files: SUCCESS` }
        : { name: 'promtool test rules', ok: false, detail: failures.join('; ') },
    );
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

/** Runs `work` over `items` with at most `limit` at a time. */
async function inPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

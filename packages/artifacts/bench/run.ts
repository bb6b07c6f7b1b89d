/**
 * Artifact generation, scan, policy and promtool timings. Prints Markdown tables.
 * Usage: npm run bench [-- generation|policy|sloth|promtool]   (from packages/artifacts)
 * `SLO_PROMTOOL` overrides /usr/bin/promtool; `SLO_BENCH_PROMTOOL_SPECS` (default 5) sets how
 * many specs promtool checks and tests (its unit tests take seconds per spec).
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseSloSpec, type SloSpec } from '@slo-scout/schema';
import {
  evaluatePolicy,
  generateDashboard,
  generatePromtoolTests,
  generateRules,
  generateRunbooks,
  parseSlothSpec,
  scanArtifacts,
  toDashboardJson,
  toPromtoolTestYaml,
  toRuleFileYaml,
  type ArtifactFile,
  type ArtifactPolicy,
} from '../src/index.ts';
import { createPromtoolValidator } from '../src/adapters/promtool/index.ts';

const pkgDir = resolve(import.meta.dirname, '..');
const repoRoot = resolve(pkgDir, '../..');
const sharedRoot = join(repoRoot, '..', 'shared');
const N = 100;
const only = process.argv.slice(2);
const want = (section: string): boolean => only.length === 0 || only.includes(section);

function goldenSpec(): SloSpec {
  const text = readFileSync(join(pkgDir, 'test/golden/checkout-availability.slo.yaml'), 'utf8');
  const r = parseSloSpec(parse(text));
  if (!r.ok) throw r.error;
  return r.value;
}

/** `n` distinct specs: ten services, targets from 99% to 99.99%, every fifth without paging. */
function specs(n: number): SloSpec[] {
  const g = goldenSpec();
  const targets = [0.99, 0.995, 0.999, 0.9995, 0.9999];
  return Array.from({ length: n }, (_, i) => {
    const service = `svc-${i % 10}`;
    const q = (code: string) =>
      `sum(rate(http_server_requests_total{service="${service}",route="/api/r${i}"${code}}[{{.window}}]))`;
    return {
      ...g,
      metadata: { ...g.metadata, name: `journey-${i}` },
      spec: {
        ...g.spec,
        service,
        indicator: {
          ...g.spec.indicator,
          name: `journey-${i}`,
          ratio: { bad: q(',code=~"5.."'), total: q('') },
        },
        objectives: [{ target: targets[i % targets.length]! }],
        alerting: { ...g.spec.alerting, ...(i % 5 === 4 ? { pageDisabled: true } : {}) },
      },
    };
  });
}

/** Median over rounds of (operations per second), each round running for at least `ms`. */
function opsPerSecond(fn: () => void, ms = 300, rounds = 5): number {
  for (let i = 0; i < 3; i++) fn();
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      fn();
      n++;
      now = performance.now();
    }
    results.push((n * 1000) / (now - start));
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)]!;
}

const fmt = (n: number, digits = 3): string =>
  n >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(digits);

const all = specs(N);
const topErrors = [
  {
    fingerprint: '9f2c4e1ab37d55e0',
    template: 'payment gateway timeout after <*> ms',
    count: 412,
    sample: 'payment gateway timeout after 3000 ms user=<EMAIL>',
  },
];

function artifactsOf(spec: SloSpec): ArtifactFile[] {
  const tests = generatePromtoolTests([spec], { ruleFile: 'slo.rules.yml' });
  if (!tests.ok) throw tests.error;
  return [
    {
      path: `rules/${spec.metadata.name}.rules.yml`,
      content: toRuleFileYaml(generateRules([spec])),
    },
    { path: `rules/${spec.metadata.name}.test.yml`, content: toPromtoolTestYaml(tests.value) },
    {
      path: `dashboards/${spec.metadata.name}.json`,
      content: toDashboardJson(generateDashboard(spec, { topErrors })),
    },
    ...generateRunbooks(spec, { topErrors }),
  ];
}

console.log(`# @slo-scout/artifacts benchmarks\n`);
console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores.\n`,
);

// 1. Generation per spec, stage by stage, cycling through the 100 specs.
let at = 0;
const next = (): SloSpec => all[at++ % N]!;
const stages: [string, () => void][] = [
  ['rules (recording + alerts, YAML)', () => toRuleFileYaml(generateRules([next()]))],
  [
    'promtool unit tests (YAML)',
    () => {
      const t = generatePromtoolTests([next()], { ruleFile: 'slo.rules.yml' });
      if (t.ok) toPromtoolTestYaml(t.value);
    },
  ],
  ['Grafana dashboard (JSON)', () => toDashboardJson(generateDashboard(next(), { topErrors }))],
  ['runbooks (Markdown, page + ticket)', () => generateRunbooks(next(), { topErrors })],
  ['all four together', () => artifactsOf(next())],
  ['all four + redactor scan', () => scanArtifacts(artifactsOf(next()))],
];
if (want('generation')) {
  console.log('## Generation per SLO spec\n');
  console.log('| stage | specs/s | µs/spec |');
  console.log('|---|---:|---:|');
  for (const [name, fn] of stages) {
    const ops = opsPerSecond(fn);
    console.log(`| ${name} | ${fmt(ops)} | ${fmt(1e6 / ops)} |`);
  }
}

// 2. Scan and policy over the artifacts of 100 specs.
function policySection(): void {
  const files = all.flatMap(artifactsOf);
  const bytes = files.reduce((s, f) => s + f.content.length, 0);
  const policy: ArtifactPolicy = {
    maxNewPagingAlerts: 5,
    requireOwnerApproval: true,
    forbidUnboundedRegex: true,
    forbidSensitive: true,
    targetApproval: { above: 0.999, approvers: ['@acme/sre-leads'] },
  };
  const codeowners = '* @acme/platform\nrunbooks/ @acme/sre\ndashboards/ @acme/observability\n';
  const change = { specs: all, files, codeowners, approvals: ['@acme/sre-leads'] };
  const noScan = { ...policy, forbidSensitive: false };
  const scanOps = opsPerSecond(() => scanArtifacts(files), 500, 3);
  const policyOps = opsPerSecond(() => evaluatePolicy(policy, change), 500, 3);
  const policyNoScanOps = opsPerSecond(() => evaluatePolicy(noScan, change), 500, 3);
  const decision = evaluatePolicy(policy, change);
  console.log(`\n## ${N} specs: scan and policy\n`);
  console.log(
    `${files.length} files, ${(bytes / 1e6).toFixed(2)} MB of generated artifacts; the policy decision lists ${decision.reasons.length} reasons.\n`,
  );
  console.log('| step | ms per run | throughput |');
  console.log('|---|---:|---:|');
  console.log(
    `| redactor scan of every artifact | ${fmt(1000 / scanOps)} | ${fmt((bytes / 1e6) * scanOps)} MB/s |`,
  );
  console.log(
    `| policy evaluation (blast radius, targets, CODEOWNERS, regex, scan) | ${fmt(1000 / policyOps)} | ${fmt(N * policyOps)} specs/s |`,
  );
  console.log(
    `| policy evaluation without the scan | ${fmt(1000 / policyNoScanOps)} | ${fmt(N * policyNoScanOps)} specs/s |`,
  );
}
if (want('policy')) policySection();

// 3. Sloth input (shared compatibility vector), when present.
function slothSection(): void {
  const slothFile = join(sharedRoot, 'compat', 'sloth', 'getting-started.slo.yml');
  console.log('\n## Sloth input\n');
  if (existsSync(slothFile)) {
    const text = readFileSync(slothFile, 'utf8');
    const ops = opsPerSecond(() => {
      const r = parseSlothSpec(text);
      if (r.ok) toRuleFileYaml(generateRules(r.value.specs));
    });
    console.log('| input | files/s |');
    console.log('|---|---:|');
    console.log(`| \`compat/sloth/getting-started.slo.yml\` → rule file | ${fmt(ops)} |`);
  } else {
    console.log(`Skipped: ${slothFile} is missing.`);
  }
}
if (want('sloth')) slothSection();

// 4. The real promtool on the rule file and unit tests of a few specs.
async function promtoolSection(): Promise<void> {
  const promtool = process.env['SLO_PROMTOOL'] ?? '/usr/bin/promtool';
  const P = Number(process.env['SLO_BENCH_PROMTOOL_SPECS'] ?? '5');
  const some = all.slice(0, P);
  console.log(`\n## promtool on ${P} specs\n`);
  if (existsSync(promtool)) {
    const v = createPromtoolValidator({ binary: promtool, timeoutMs: 600_000 });
    const rules = toRuleFileYaml(generateRules(some));
    const tests = generatePromtoolTests(some, { ruleFile: 'slo.rules.yml' });
    if (!tests.ok) throw tests.error;
    const fileSet = { 'slo.rules.yml': rules, 'slo.test.yml': toPromtoolTestYaml(tests.value) };
    const t0 = performance.now();
    const check = await v.checkRules({ 'slo.rules.yml': rules });
    const t1 = performance.now();
    const test = await v.testRules(fileSet, ['slo.test.yml']);
    const t2 = performance.now();
    console.log('| command | result | seconds | seconds/spec |');
    console.log('|---|---|---:|---:|');
    console.log(
      `| \`promtool check rules\` (${generateRules(some).groups.length} groups) | ${check.ok ? 'pass' : 'FAIL'} | ${((t1 - t0) / 1000).toFixed(2)} | ${((t1 - t0) / 1000 / P).toFixed(2)} |`,
    );
    console.log(
      `| \`promtool test rules\` (${tests.value.tests.length} test cases) | ${test.ok ? 'pass' : 'FAIL'} | ${((t2 - t1) / 1000).toFixed(2)} | ${((t2 - t1) / 1000 / P).toFixed(2)} |`,
    );
  } else {
    console.log(`Skipped: no promtool at ${promtool}.`);
  }
}
if (want('promtool')) await promtoolSection();

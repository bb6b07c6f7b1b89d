import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SloSpec } from '@slo-scout/schema';
import {
  PYRRA_PROFILE,
  defaultSensitiveScanner,
  evaluatePolicy,
  generateDashboard,
  generatePromtoolTests,
  generateRules,
  generateRunbooks,
  scanArtifacts,
  toDashboardJson,
  toOpenSloYaml,
  toPrometheusRuleYaml,
  toPromtoolTestYaml,
  toRuleFileYaml,
} from '../src/index.ts';
import type { ArtifactFile, ErrorTemplate } from '../src/index.ts';
import { sloSpecArb } from './support/arbitraries.ts';
import { RUNBOOKS, goldenSpec } from './support/golden.ts';

/** Every artifact the package generates for a spec, as files. */
function allArtifacts(spec: SloSpec, topErrors: readonly ErrorTemplate[]): ArtifactFile[] {
  const rules = generateRules([spec]);
  const tests = generatePromtoolTests([spec], { ruleFile: 'slo.rules.yml' });
  if (!tests.ok) throw tests.error;
  return [
    { path: 'rules/slo.rules.yml', content: toRuleFileYaml(rules) },
    {
      path: 'rules/pyrra.rules.yml',
      content: toRuleFileYaml(generateRules([spec], { profile: PYRRA_PROFILE })),
    },
    {
      path: 'rules/slo.prometheusrule.yaml',
      content: toPrometheusRuleYaml(rules, { name: 'slo', namespace: 'monitoring' }),
    },
    { path: 'rules/slo.test.yml', content: toPromtoolTestYaml(tests.value) },
    {
      path: 'dashboards/slo.json',
      content: toDashboardJson(generateDashboard(spec, { topErrors, runbookBaseUrl: RUNBOOKS })),
    },
    { path: 'openslo/slo.yaml', content: toOpenSloYaml(spec) },
    ...generateRunbooks(spec, { topErrors, dashboardUrl: 'https://grafana.example.com/d/slo' }),
  ];
}

/** Samples as the fingerprint job leaves them: redacted placeholders only. */
const REDACTED: readonly ErrorTemplate[] = [
  {
    fingerprint: '9f2c4e1ab37d55e0c1d2',
    template: 'payment gateway timeout after <*> ms',
    count: 412,
    sample: 'payment gateway timeout after 3000 ms user=<EMAIL> card=<CREDIT_CARD>',
  },
  {
    fingerprint: '03be77d1c2aa9e41',
    template: 'inventory reservation failed for sku <*>',
    count: 57,
  },
];

/** A sample that escaped redaction, seeded with one kind of sensitive value. */
const leak = (sample: string): readonly ErrorTemplate[] => [
  { fingerprint: '9f2c4e1ab37d55e0c1d2', template: 'payment failed for <*>', count: 9, sample },
];

describe('default scanner (@slo-scout/fingerprint redactor)', () => {
  it('passes every clean generated artifact of the golden spec', () => {
    const files = allArtifacts(goldenSpec(), REDACTED);
    expect(files.length).toBeGreaterThanOrEqual(8);
    const r = scanArtifacts(files);
    expect(r.ok ? [] : r.error.message).toEqual([]);
  });

  it('passes the generated artifacts of any valid spec', () => {
    fc.assert(
      fc.property(sloSpecArb, (spec) => {
        const r = scanArtifacts(allArtifacts(spec, REDACTED));
        expect(r.ok ? '' : r.error.message).toBe('');
      }),
      { numRuns: 40 },
    );
  });

  it.each([
    ['an e-mail address', 'declined for jane.doe@example.org', 'EMAIL'],
    ['a GitLab token', 'auth failed with glpat-aB3dE5fG7hJ9kL1mN3pQ', 'SECRET'],
    ['a payment card', 'declined card 4111 1111 1111 1111', 'CREDIT_CARD'],
  ])('blocks a runbook whose evidence holds %s, naming file, line and kind', (_, sample, kind) => {
    const files = generateRunbooks(goldenSpec(), { topErrors: leak(sample) });
    const r = scanArtifacts(files);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('SENSITIVE_CONTENT');
    const secret = sample.split(' ').slice(-1)[0]!;
    expect(r.error.message).not.toContain(secret);
    for (const f of files) {
      const line = f.content.split('\n').findIndex((l) => l.includes(secret)) + 1;
      expect(line).toBeGreaterThan(0);
      expect(r.error.message).toContain(`${f.path}:${line} ${kind}`);
    }
  });

  it('is the scanner the policy guard uses when none is given', () => {
    const policy = {
      maxNewPagingAlerts: 10,
      requireOwnerApproval: false,
      forbidUnboundedRegex: false,
      forbidSensitive: true,
    } as const;
    const spec = goldenSpec();
    const clean = evaluatePolicy(policy, { specs: [spec], files: allArtifacts(spec, REDACTED) });
    expect(clean).toEqual({ allowed: true, reasons: [], requiredApprovers: [] });
    const leaky = generateRunbooks(spec, { topErrors: leak('card 4111 1111 1111 1111') });
    const d = evaluatePolicy(policy, { specs: [spec], files: leaky });
    expect(d.allowed).toBe(false);
    expect(d.reasons.map((x) => x.rule)).toEqual(leaky.map(() => 'sensitive-data'));
  });

  it('compiles once and reuses the redactor', () => {
    expect(defaultSensitiveScanner()).toBe(defaultSensitiveScanner());
  });
});

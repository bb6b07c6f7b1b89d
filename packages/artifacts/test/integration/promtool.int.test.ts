import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PYRRA_PROFILE,
  generatePromtoolTests,
  generateRules,
  parseOpenSlo,
  parseSlothSpec,
  toPrometheusRuleYaml,
  toPromtoolTestYaml,
  toRuleFileYaml,
} from '../../src/index.ts';
import type { BurnRateProfile } from '../../src/index.ts';
import { createPromtoolValidator } from '../../src/adapters/promtool/index.ts';
import { sloSpecArb } from '../support/arbitraries.ts';
import { goldenDir, readGolden } from '../support/golden.ts';
import { compatDir, haveCompat } from '../support/paths.ts';
import { goldenSpec } from '../support/golden.ts';
import { parse } from 'yaml';

const promtool = createPromtoolValidator({ binary: process.env['SLO_PROMTOOL'] ?? 'promtool' });

async function checkAndTest(specs: Parameters<typeof generateRules>[0], profile?: BurnRateProfile) {
  const opts = profile ? { profile } : {};
  const rules = toRuleFileYaml(generateRules(specs, opts));
  const check = await promtool.checkRules({ 'slo.rules.yml': rules });
  if (!check.ok) throw check.error;
  const tests = generatePromtoolTests(specs, { ...opts, ruleFile: 'slo.rules.yml' });
  if (!tests.ok) throw tests.error;
  const run = await promtool.testRules(
    { 'slo.rules.yml': rules, 'slo.test.yml': toPromtoolTestYaml(tests.value) },
    ['slo.test.yml'],
  );
  return { check, tests: tests.value, run };
}

describe('promtool check rules / test rules (real promtool)', () => {
  it('golden rule files pass check rules', async () => {
    for (const f of ['checkout-availability.rules.yml', 'checkout-availability.pyrra.rules.yml']) {
      const r = await promtool.checkRules({ [f]: readGolden(f) });
      expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    }
  });

  it('the golden promtool unit tests pass against the golden rules', async () => {
    const files = {
      'checkout-availability.rules.yml': readGolden('checkout-availability.rules.yml'),
      'checkout-availability.promtool-test.yml': readGolden(
        'checkout-availability.promtool-test.yml',
      ),
    };
    const r = await promtool.testRules(files, ['checkout-availability.promtool-test.yml']);
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
  });

  it('golden spec: generated unit tests cover all four scenarios and pass (Sloth profile)', async () => {
    const { tests, run } = await checkAndTest([goldenSpec()]);
    expect(tests.tests.map((t) => t.name.split(': ')[1]!.split(' ')[0])).toEqual([
      'fast-burn',
      'slow-burn',
      'healthy',
      'low-traffic',
    ]);
    const fast = tests.tests[0]!.alert_rule_test[0]!.exp_alerts.map(
      (a) => a.exp_labels['sloth_severity'],
    );
    expect(fast).toEqual(['page', 'ticket']);
    const slow = tests.tests[1]!.alert_rule_test[0]!.exp_alerts.map(
      (a) => a.exp_labels['sloth_severity'],
    );
    expect(slow).toEqual(['ticket']);
    expect(run.ok, run.ok ? '' : run.error.message).toBe(true);
  });

  it('golden spec: Pyrra profile unit tests pass', async () => {
    const { run } = await checkAndTest([goldenSpec()], PYRRA_PROFILE);
    expect(run.ok, run.ok ? '' : run.error.message).toBe(true);
  });

  it('a wrong expectation makes promtool test rules fail (the tests can fail)', async () => {
    const spec = goldenSpec();
    const rules = toRuleFileYaml(generateRules([spec]));
    const tests = generatePromtoolTests([spec], { ruleFile: 'slo.rules.yml' });
    if (!tests.ok) throw tests.error;
    // Claim the page alert fires at a healthy rate.
    const healthy = tests.value.tests[2]!;
    const broken = {
      ...tests.value,
      tests: [
        {
          ...healthy,
          alert_rule_test: [
            {
              ...healthy.alert_rule_test[0]!,
              exp_alerts: tests.value.tests[0]!.alert_rule_test[0]!.exp_alerts,
            },
          ],
        },
      ],
    };
    const run = await promtool.testRules(
      { 'slo.rules.yml': rules, 'slo.test.yml': toPromtoolTestYaml(broken) },
      ['slo.test.yml'],
    );
    expect(run.ok).toBe(false);
    if (!run.ok) expect(run.error.code).toBe('VALIDATION_FAILED');
  });

  it('check rules rejects a broken rule file with a VALIDATION_FAILED value', async () => {
    const r = await promtool.checkRules({
      'bad.yml': 'groups:\n  - name: x\n    rules:\n      - record: a\n        expr: sum(\n',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('VALIDATION_FAILED');
  });

  it('a missing binary is a TOOL_FAILED value', async () => {
    const v = createPromtoolValidator({ binary: '/nonexistent/promtool' });
    const r = await v.checkRules({ 'x.yml': 'groups: []\n' });
    expect(r.ok ? '' : r.error.code).toBe('TOOL_FAILED');
  });

  it('random specs: rules pass check, generated unit tests pass (both profiles)', async () => {
    const specs = fc.sample(sloSpecArb, { numRuns: 3, seed: 42 });
    const unique = specs.map((s, i) => ({
      ...s,
      metadata: { ...s.metadata, name: `${s.metadata.name}-${i}` },
    }));
    for (const profile of [undefined, PYRRA_PROFILE]) {
      const { run } = await checkAndTest(unique, profile);
      expect(run.ok, run.ok ? '' : run.error.message).toBe(true);
    }
  });

  it.runIf(haveCompat('sloth'))(
    'Sloth example specs pass check rules and their unit tests',
    async () => {
      const dir = compatDir('sloth');
      const a = parseSlothSpec(readFileSync(join(dir, 'getting-started.slo.yml'), 'utf8'));
      const b = parseOpenSlo(readFileSync(join(dir, 'openslo-getting-started.slo.yml'), 'utf8'));
      if (!a.ok) throw a.error;
      if (!b.ok) throw b.error;
      const { run } = await checkAndTest([...a.value.specs, ...b.value.specs]);
      expect(run.ok, run.ok ? '' : run.error.message).toBe(true);
    },
  );

  it('the PrometheusRule CR spec passes check rules once unwrapped', async () => {
    const cr = parse(toPrometheusRuleYaml(generateRules([goldenSpec()]), { name: 'checkout' }));
    const r = await promtool.checkRules({ 'cr.yml': toRuleFileYaml({ groups: cr.spec.groups }) });
    expect(r.ok).toBe(true);
    expect(goldenDir).toContain('golden');
  });
});

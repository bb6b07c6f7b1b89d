import { describe, it } from 'vitest';
import {
  PYRRA_PROFILE,
  generatePromtoolTests,
  generateRules,
  toOpenSloYaml,
  toPromtoolTestYaml,
  toRuleFileYaml,
} from '../src/index.ts';
import { RUNBOOKS, expectGolden, goldenSpec } from './support/golden.ts';

describe('golden: spec → artifacts', () => {
  it('Sloth-profile rule file', () => {
    const file = generateRules([goldenSpec()], {
      runbookBaseUrl: 'https://runbooks.example.com/slo',
    });
    expectGolden('checkout-availability.rules.yml', toRuleFileYaml(file));
  });

  it('Pyrra-profile rule file', () => {
    const file = generateRules([goldenSpec()], { profile: PYRRA_PROFILE });
    expectGolden('checkout-availability.pyrra.rules.yml', toRuleFileYaml(file));
  });

  it('OpenSLO v1 YAML', () => {
    expectGolden('checkout-availability.openslo.yaml', toOpenSloYaml(goldenSpec()));
  });

  it('promtool unit tests', () => {
    const t = generatePromtoolTests([goldenSpec()], {
      ruleFile: 'checkout-availability.rules.yml',
      runbookBaseUrl: RUNBOOKS,
    });
    if (!t.ok) throw t.error;
    expectGolden('checkout-availability.promtool-test.yml', toPromtoolTestYaml(t.value));
  });
});

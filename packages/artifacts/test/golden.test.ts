import { describe, it } from 'vitest';
import { parse } from 'yaml';
import { parseSloSpec } from '@slo-scout/schema';
import type { SloSpec } from '@slo-scout/schema';
import {
  PYRRA_PROFILE,
  generatePromtoolTests,
  generateRules,
  toOpenSloYaml,
  toPromtoolTestYaml,
  toRuleFileYaml,
} from '../src/index.ts';
import { expectGolden, readGolden } from './support/golden.ts';

/** Where the golden alerts point their runbook links. */
export const RUNBOOKS = 'https://runbooks.example.com/slo';

/** The golden input, validated with the schema package. */
export function goldenSpec(): SloSpec {
  const r = parseSloSpec(parse(readGolden('checkout-availability.slo.yaml')));
  if (!r.ok) throw r.error;
  return r.value;
}

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

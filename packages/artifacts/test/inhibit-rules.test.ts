import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  PYRRA_PROFILE,
  SLOTH_PROFILE,
  generateInhibitRules,
  generateSloRules,
  isAlertingRule,
  toInhibitRulesYaml,
} from '../src/index.ts';
import type { InhibitRule } from '../src/index.ts';
import { sloSpecArb } from './support/arbitraries.ts';
import { expectGolden, goldenSpec } from './support/golden.ts';

/** Alertmanager matcher semantics for the two forms generated: `l="v"` and `l=~"re"` (anchored). */
function matches(matcher: string, labels: Readonly<Record<string, string>>): boolean {
  const m = /^([a-zA-Z_]\w*)(=~|=)(".*")$/.exec(matcher);
  if (m === null) throw new Error(`unexpected matcher ${matcher}`);
  const value = JSON.parse(m[3]!) as string;
  const actual = labels[m[1]!] ?? '';
  return m[2] === '=' ? actual === value : new RegExp(`^(?:${value})$`).test(actual);
}
const all = (ms: readonly string[], l: Readonly<Record<string, string>>) =>
  ms.every((m) => matches(m, l));

describe('Alertmanager inhibit rules', () => {
  it('golden: the page tier inhibits the ticket tier of the same SLO', () => {
    expectGolden(
      'checkout-availability.inhibit-rules.yml',
      toInhibitRulesYaml(generateInhibitRules([goldenSpec()])),
    );
    expect(
      parse(toInhibitRulesYaml(generateInhibitRules([goldenSpec()], { profile: PYRRA_PROFILE }))),
    ).toEqual({
      inhibit_rules: [
        {
          source_matchers: ['slo_tier="page"', 'service=~".+"'],
          target_matchers: ['slo_tier="ticket"', 'service=~".+"'],
          equal: ['service', 'slo'],
        },
      ],
    });
  });

  it('on generated alerts: page inhibits ticket of the same SLO only, never the reverse', () => {
    fc.assert(
      fc.property(
        fc.array(sloSpecArb, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (specs, pyrra) => {
          const profile = pyrra ? PYRRA_PROFILE : SLOTH_PROFILE;
          const rules: readonly InhibitRule[] = generateInhibitRules(specs, { profile });
          // The labels an alert fires with: its own labels plus the id labels its expression keeps.
          const fired = specs.flatMap((s) =>
            generateSloRules(s, { profile }).flatMap(({ names, groups }) =>
              groups.flatMap((g) =>
                g.rules.filter(isAlertingRule).map((r) => ({ ...names.idLabels, ...r.labels })),
              ),
            ),
          );
          const tier = (l: Record<string, string>) => l[pyrra ? 'slo_tier' : 'sloth_severity'];
          const bothTiers = specs.some((s) => s.spec.alerting?.pageDisabled !== true);
          expect(rules.length).toBe(bothTiers ? 1 : 0);
          for (const src of fired) {
            for (const tgt of fired) {
              const inhibited = rules.some(
                (r) =>
                  all(r.source_matchers, src) &&
                  all(r.target_matchers, tgt) &&
                  r.equal.every((k) => (src[k] ?? '') === (tgt[k] ?? '')),
              );
              const sameSlo = Object.keys(pyrra ? { service: 1, slo: 1 } : { sloth_id: 1 }).every(
                (k) => src[k] === tgt[k],
              );
              expect(inhibited).toBe(tier(src) === 'page' && tier(tgt) === 'ticket' && sameSlo);
            }
          }
          // An unrelated alert reusing the tier label is left alone.
          const foreign = { [pyrra ? 'slo_tier' : 'sloth_severity']: 'ticket', alertname: 'Other' };
          for (const src of fired)
            expect(
              rules.some((r) => all(r.source_matchers, src) && all(r.target_matchers, foreign)),
            ).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
  });
});

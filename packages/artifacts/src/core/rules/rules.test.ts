import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDuration } from '@slo-scout/schema';
import {
  ArtifactsError,
  PYRRA_PROFILE,
  SLOTH_PROFILE,
  generateRules,
  generateSloRules,
  isAlertingRule,
  parseOpenSlo,
  resolvePairs,
  toOpenSloYaml,
  toPrometheusRuleYaml,
  toRuleFileYaml,
} from '../../index.ts';
import { sloSpecArb } from '../../../test/support/arbitraries.ts';

describe('burn-rate profiles', () => {
  it('Sloth 30d table is 14.4, 6, 3, 1', () => {
    expect(resolvePairs(SLOTH_PROFILE, '30d').map((p) => p.factor)).toEqual([14.4, 6, 3, 1]);
  });

  it('Sloth scaling keeps the share of budget spent in each long window (2%, 5%, 10%, 10%)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (days) => {
        const periodMs = days * 86_400_000;
        const shares = resolvePairs(SLOTH_PROFILE, `${days}d`).map(
          (p) => (p.factor * p.longMs) / periodMs,
        );
        [0.02, 0.05, 0.1, 0.1].forEach((s, i) => {
          expect(shares[i]).toBeCloseTo(s, 9);
        });
      }),
    );
  });

  it('Pyrra scaling keeps factors and scales windows with the period', () => {
    fc.assert(
      fc.property(fc.integer({ min: 7, max: 400 }), (days) => {
        const pairs = resolvePairs(PYRRA_PROFILE, `${days}d`);
        expect(pairs.map((p) => p.factor)).toEqual([14, 7, 2, 1]);
        const ratio = days / 28;
        expect(Math.abs(pairs[0]!.longMs - 3_600_000 * ratio)).toBeLessThanOrEqual(30_000);
        for (const p of pairs) expect(p.shortMs).toBeLessThan(p.longMs);
      }),
    );
  });
});

describe('generateRules', () => {
  it('every window is recorded, no placeholder is left, labels are sorted', () => {
    fc.assert(
      fc.property(sloSpecArb, fc.constantFrom(SLOTH_PROFILE, PYRRA_PROFILE), (spec, profile) => {
        const [r] = generateSloRules(spec, { profile });
        const records = r!.groups.flatMap((g) => g.rules).filter((x) => !isAlertingRule(x));
        for (const w of r!.plan.windows) {
          expect(records.some((x) => 'record' in x && x.record === r!.names.errorRatio(w))).toBe(
            true,
          );
        }
        for (const rule of r!.groups.flatMap((g) => g.rules)) {
          expect(rule.expr).not.toContain('{{.window}}');
          const keys = Object.keys(rule.labels ?? {});
          expect(keys).toEqual([...keys].sort());
        }
      }),
    );
  });

  it('alert thresholds are factor × (1 - target) and the guard appears iff minEvents is set', () => {
    fc.assert(
      fc.property(sloSpecArb, (spec) => {
        const [r] = generateSloRules(spec);
        const alerts = r!.groups.flatMap((g) => g.rules).filter(isAlertingRule);
        const page = alerts.find((a) => a.labels?.['sloth_severity'] === 'page');
        expect(page === undefined).toBe(spec.spec.alerting?.pageDisabled === true);
        for (const a of alerts) {
          const thresholds = [...a.expr.matchAll(/> \(([\d.e-]+) \* ([\d.e-]+)\)/g)];
          expect(thresholds.length).toBe(4);
          for (const t of thresholds)
            expect(Number(t[2])).toBeCloseTo(1 - spec.spec.objectives[0]!.target, 12);
          expect(a.expr.includes('and on()')).toBe((spec.spec.alerting?.minEvents ?? 0) > 0);
        }
      }),
    );
  });

  it('the rule file YAML parses back to the same groups, and the CR wraps them', () => {
    fc.assert(
      fc.property(sloSpecArb, (spec) => {
        const file = generateRules([spec]);
        expect(parse(toRuleFileYaml(file))).toEqual(JSON.parse(JSON.stringify(file)));
        const cr = parse(toPrometheusRuleYaml(file, { name: 'x', namespace: 'monitoring' }));
        expect(cr.kind).toBe('PrometheusRule');
        expect(cr.spec.groups).toEqual(JSON.parse(JSON.stringify(file.groups)));
      }),
      { numRuns: 30 },
    );
  });

  it('rejects an invalid spec and duplicate ids', () => {
    fc.assert(
      fc.property(sloSpecArb, (spec) => {
        expect(() => generateRules([spec, spec])).toThrow(ArtifactsError);
        const bad = { ...spec, spec: { ...spec.spec, objectives: [{ target: 1.5 }] } };
        expect(() => generateRules([bad])).toThrow(/target/);
      }),
      { numRuns: 10 },
    );
  });

  it('the 30d error ratio averages the 5m ratio over the period', () => {
    fc.assert(
      fc.property(sloSpecArb, (spec) => {
        const [r] = generateSloRules(spec);
        const rules = r!.groups[0]!.rules;
        const period = rules.find(
          (x) => 'record' in x && x.record === r!.names.errorRatio(spec.spec.timeWindow.duration),
        );
        expect(period?.expr).toContain(`sum_over_time(slo:sli_error:ratio_rate5m`);
        expect(period?.expr).toContain(`[${spec.spec.timeWindow.duration}]`);
        expect(parseDuration(spec.spec.timeWindow.duration)).toBe(r!.plan.periodMs);
      }),
      { numRuns: 30 },
    );
  });
});

describe('OpenSLO v1 output', () => {
  it('round-trips service, ratio, target, period and alert tiers through parseOpenSlo', () => {
    fc.assert(
      fc.property(sloSpecArb, (spec) => {
        const back = parseOpenSlo(toOpenSloYaml(spec));
        if (!back.ok) throw back.error;
        const [s] = back.value.specs;
        expect(back.value.specVersion).toBe('openslo/v1');
        expect(s!.spec.service).toBe(spec.spec.service);
        expect(s!.spec.indicator.ratio).toEqual(spec.spec.indicator.ratio);
        expect(s!.spec.objectives[0]!.target).toBe(spec.spec.objectives[0]!.target);
        expect(s!.spec.timeWindow.duration).toBe(spec.spec.timeWindow.duration);
        expect(s!.spec.alerting?.pageDisabled === true).toBe(
          spec.spec.alerting?.pageDisabled === true,
        );
      }),
      { numRuns: 40 },
    );
  });

  it('reports an unknown indicatorRef as a PARSE_FAILED value', () => {
    const r = parseOpenSlo(
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec: {service: s, indicatorRef: nope, objectives: [{target: 0.99}]}\n',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('PARSE_FAILED');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PYRRA_PROFILE, dashboardUid, generateDashboard, toDashboardJson } from '../src/index.ts';
import { createDashboardValidator } from '../src/adapters/ajv/index.ts';
import { sloSpecArb } from './support/arbitraries.ts';
import { expectGolden } from './support/golden.ts';
import { compatDir, haveCompat } from './support/paths.ts';
import { RUNBOOKS, goldenSpec } from './support/golden.ts';

const TOP = [
  {
    fingerprint: '9f2c4e1ab37d55e0',
    template: 'payment gateway timeout after <*> ms',
    count: 412,
    sample: 'payment gateway timeout after 3000 ms card=<CREDIT_CARD>',
  },
  {
    fingerprint: '03be77d1c2aa9e41',
    template: 'inventory reservation failed for sku <*>',
    count: 57,
  },
];

describe('dashboards', () => {
  it('gives every SLO its own uid of at most 40 characters, even when names are long', () => {
    fc.assert(
      fc.property(sloSpecArb, fc.string({ minLength: 1, maxLength: 30 }), (spec, suffix) => {
        const name = `${spec.metadata.name.slice(0, 20)}-${suffix.replace(/[^a-z0-9]/g, 'x')}`;
        const a = { ...spec, metadata: { ...spec.metadata, name: `${name}-availability` } };
        const b = { ...spec, metadata: { ...spec.metadata, name: `${name}-latency` } };
        expect(dashboardUid(a).length).toBeLessThanOrEqual(40);
        expect(dashboardUid(a)).not.toBe(dashboardUid(b));
      }),
    );
    expect(dashboardUid(goldenSpec())).toBe('slo-checkout-checkout-availability');
  });

  it('golden: spec → dashboard JSON', () => {
    expectGolden(
      'checkout-availability.dashboard.json',
      toDashboardJson(
        generateDashboard(goldenSpec(), { topErrors: TOP, runbookBaseUrl: RUNBOOKS }),
      ),
    );
  });

  it('has the SLI, budget, burn-rate, alert-state and top-errors panels for every spec', () => {
    fc.assert(
      fc.property(sloSpecArb, fc.boolean(), (spec, pyrra) => {
        const d = generateDashboard(spec, pyrra ? { profile: PYRRA_PROFILE } : {});
        const titles = (d.panels ?? []).map((p) => p.title);
        for (const t of [
          'Error budget remaining',
          'Burn rate per window',
          'Alert state',
          'Top error templates (capsules)',
        ]) {
          expect(titles).toContain(t);
        }
        expect(d.uid!.length).toBeLessThanOrEqual(40);
      }),
      { numRuns: 30 },
    );
  });

  describe.runIf(haveCompat('grafana'))('against the Grafana dashboard JSON schema (ajv)', () => {
    const schema = JSON.parse(
      readFileSync(join(compatDir('grafana'), 'dashboard.jsonschema.json'), 'utf8'),
    );
    const validator = createDashboardValidator({ schema });

    it('every generated dashboard validates', () => {
      fc.assert(
        fc.property(sloSpecArb, fc.boolean(), (spec, pyrra) => {
          const r = validator.validate(
            generateDashboard(spec, pyrra ? { profile: PYRRA_PROFILE } : { topErrors: TOP }),
          );
          expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
        }),
        { numRuns: 30 },
      );
    });

    it('a dashboard whose title is a number is a VALIDATION_FAILED value', () => {
      const d = { ...generateDashboard(goldenSpec()), title: 42 };
      const r = validator.validate(d);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('VALIDATION_FAILED');
        expect(r.error.message).toContain('/title');
      }
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSelectors, generatePromtoolTests, matches, sampleRegex } from '../../index.ts';
import { sloSpecArb } from '../../../test/support/arbitraries.ts';

describe('selectors', () => {
  it('keeps every matcher when a quoted value contains braces (templated routes)', () => {
    const s = findSelectors(
      'sum(rate(http_server_request_duration_seconds_count{http_route="/products/{id}",http_request_method="GET",http_response_status_code=~"5.."}[5m]))',
    );
    expect(s).toEqual([
      {
        metric: 'http_server_request_duration_seconds_count',
        matchers: [
          { name: 'http_route', op: '=', value: '/products/{id}' },
          { name: 'http_request_method', op: '=', value: 'GET' },
          { name: 'http_response_status_code', op: '=~', value: '5..' },
        ],
      },
    ]);
  });

  it('finds metric selectors and their matchers, not functions or keywords', () => {
    const s = findSelectors(
      'sum by (route) (rate(http_total{job="a",code=~"5..", x!="y"}[5m])) / sum(rate(up[5m]))',
    );
    expect(s).toEqual([
      {
        metric: 'http_total',
        matchers: [
          { name: 'job', op: '=', value: 'a' },
          { name: 'code', op: '=~', value: '5..' },
          { name: 'x', op: '!=', value: 'y' },
        ],
      },
      { metric: 'up', matchers: [] },
    ]);
  });

  it('sampleRegex yields a string the anchored regex matches, for simple patterns', () => {
    const part = fc.oneof(
      fc.stringMatching(/^[a-z0-9]{1,4}$/),
      fc.constantFrom('.', '..', '\\d', '[0-9]', '[a-c]+', 'x?', '(a|b)', '(5..|429)', 'z{2}'),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const re = parts.join('');
        expect(matches({ name: 'l', op: '=~', value: re }, sampleRegex(re))).toBe(true);
      }),
    );
  });
});

describe('generatePromtoolTests', () => {
  it('fast burn expects a page, slow burn only tickets, healthy and low traffic nothing', () => {
    fc.assert(
      fc.property(sloSpecArb, (spec) => {
        const r = generatePromtoolTests([spec], { ruleFile: 'r.yml' });
        if (!r.ok) throw r.error;
        for (const t of r.value.tests) {
          const tiers = t.alert_rule_test.flatMap((a) =>
            a.exp_alerts.map((e) => e.exp_labels['sloth_severity']),
          );
          const paging = spec.spec.alerting?.pageDisabled !== true;
          if (t.name.includes('fast-burn')) expect(tiers).toContain(paging ? 'page' : 'ticket');
          if (t.name.includes('slow-burn')) {
            expect(tiers.length).toBeGreaterThan(0);
            expect(tiers.every((x) => x === 'ticket')).toBe(true);
          }
          if (t.name.includes('healthy') || t.name.includes('low-traffic'))
            expect(tiers).toEqual([]);
          expect(t.input_series.length).toBe(2);
        }
        const names = r.value.tests.map((t) => t.name.split(': ')[1]!.split(' ')[0]);
        expect(names.includes('low-traffic')).toBe((spec.spec.alerting?.minEvents ?? 0) > 0);
        expect(names).toContain('healthy');
      }),
      { numRuns: 50 },
    );
  });

  it('fails with a value when the SLI has two selectors in one query', () => {
    fc.assert(
      fc.property(sloSpecArb, (spec) => {
        const ratio = {
          bad: 'sum(rate(a{x="1"}[{{.window}}])) + sum(rate(b[{{.window}}]))',
          total: spec.spec.indicator.ratio.total,
        };
        const r = generatePromtoolTests(
          [{ ...spec, spec: { ...spec.spec, indicator: { ...spec.spec.indicator, ratio } } }],
          { ruleFile: 'r.yml' },
        );
        expect(r.ok).toBe(false);
      }),
      { numRuns: 5 },
    );
  });
});

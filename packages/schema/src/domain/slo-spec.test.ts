import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDuration, parseDuration, toDurationString } from './duration.ts';
import type { SloSpec } from './slo-spec.ts';
import { parseSloSpec } from './validate-slo-spec.ts';

const valid: SloSpec = {
  apiVersion: 'slo-scout/v1',
  kind: 'SLO',
  metadata: { name: 'checkout-availability', labels: { team: 'payments' } },
  spec: {
    service: 'checkout',
    indicator: {
      name: 'checkout-availability',
      kind: 'availability',
      ratio: {
        bad: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
        total: 'sum(rate(http_requests_total[{{.window}}]))',
      },
    },
    timeWindow: { duration: '30d', isRolling: true },
    budgetingMethod: 'Occurrences',
    objectives: [{ target: 0.999 }],
    alerting: { minEvents: 100 },
  },
};

describe('parseSloSpec', () => {
  it('accepts a valid spec unchanged', () => {
    expect(parseSloSpec(valid)).toEqual({ ok: true, value: valid });
  });
  it.each([
    ['metadata.name', { ...valid, metadata: { name: 'Checkout SLO' } }],
    [
      'spec.objectives[0].target',
      { ...valid, spec: { ...valid.spec, objectives: [{ target: 99.9 }] } },
    ],
    [
      'spec.timeWindow.duration',
      { ...valid, spec: { ...valid.spec, timeWindow: { duration: 'a month', isRolling: true } } },
    ],
    [
      'spec.indicator.ratio',
      {
        ...valid,
        spec: {
          ...valid.spec,
          indicator: { ...valid.spec.indicator, ratio: { good: 'a', bad: 'b', total: 'c' } },
        },
      },
    ],
    [
      'spec.indicator.ratio.total',
      {
        ...valid,
        spec: { ...valid.spec, indicator: { ...valid.spec.indicator, ratio: { good: 'a' } } },
      },
    ],
    ['spec.alerting.minEvents', { ...valid, spec: { ...valid.spec, alerting: { minEvents: -1 } } }],
    ['apiVersion', { ...valid, apiVersion: 'openslo/v1' }],
  ])('names %s when it is wrong', (path, spec) => {
    const result = parseSloSpec(spec);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.path).toBe(path);
      expect(result.error.message).toContain(path);
    }
  });
});

describe('durations', () => {
  it('parses Prometheus durations', () => {
    expect(parseDuration('30d')).toBe(2_592_000_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(isDuration('5 minutes')).toBe(false);
    expect(() => parseDuration('0s')).toThrow(/not a duration/);
  });
  it('formats and parses back to the same number of milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * 31_536_000_000 }), (ms) => {
        expect(parseDuration(toDurationString(ms))).toBe(ms);
      }),
    );
    expect(toDurationString(2_592_000_000)).toBe('30d');
    expect(toDurationString(604_800_000 * 2)).toBe('2w');
  });
});

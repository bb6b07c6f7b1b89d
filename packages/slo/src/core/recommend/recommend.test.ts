import fc from 'fast-check';
import { parseSloSpec, type Journey, type Sli } from '@slo-scout/schema';
import { describe, expect, it } from 'vitest';
import { fitTarget, recommendLatencySlo, recommendSlo, TARGET_LADDER } from './recommend.ts';
import type { GoodTotalPoint, HistogramPoint } from './series.ts';

const HOUR = 3_600_000;
const journey: Journey = {
  id: 'storefront-post-checkout-abc123',
  name: 'POST /checkout',
  key: { type: 'http', service: 'storefront', method: 'POST', route: '/checkout' },
  entryService: 'storefront',
  trafficShare: 0.1,
  userFacing: true,
  critical: true,
  score: 0.6,
  evidence: { traceCount: 10, errorCount: 0, exampleTraceIds: [], services: ['storefront'] },
};
const sli: Sli = {
  id: 'checkout-availability',
  journeyId: journey.id,
  kind: 'availability',
  name: 'checkout-availability',
  description: 'x',
  ratio: { bad: 'sum(rate(a{code=~"5.."}[{{.window}}]))', total: 'sum(rate(a[{{.window}}]))' },
  metric: 'a',
};

/** Hourly series: `hours` points with `perHour` events and the given error probability pattern. */
const hourly = fc
  .record({
    hours: fc.integer({ min: 24, max: 24 * 21 }),
    perHour: fc.integer({ min: 1, max: 20_000 }),
    errRate: fc.double({ min: 0, max: 0.05, noNaN: true }),
    jitter: fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 1, maxLength: 24 }),
  })
  .map(({ hours, perHour, errRate, jitter }): GoodTotalPoint[] =>
    Array.from({ length: hours }, (_, h) => {
      const bad = Math.round(perHour * Math.min(1, errRate * jitter[h % jitter.length]!));
      return { tMs: h * HOUR, good: perHour - bad, total: perHour };
    }),
  );

describe('fitTarget properties', () => {
  it('never sets a target above the observed performance or the lower bound', () => {
    fc.assert(
      fc.property(hourly, (series) => {
        const r = fitTarget(series);
        if (!r.ok) return;
        expect(r.value.target).toBeLessThanOrEqual(r.value.observed);
        expect(r.value.target).toBeLessThanOrEqual(r.value.lowerBound);
        expect(r.value.windowsMet / r.value.windows).toBeGreaterThanOrEqual(0.9);
        expect(r.value.total).toBeGreaterThanOrEqual(10 / (1 - r.value.target) - 1e-6);
        expect(TARGET_LADDER).toContain(r.value.target);
      }),
    );
  });

  it('gains confidence with volume', () => {
    fc.assert(
      fc.property(hourly, fc.integer({ min: 2, max: 50 }), (series, m) => {
        const small = fitTarget(series);
        const big = fitTarget(series.map((p) => ({ ...p, good: p.good * m, total: p.total * m })));
        if (!small.ok || !big.ok) return;
        expect(big.value.confidence).toBeGreaterThanOrEqual(small.value.confidence);
        expect(big.value.confidenceParts.volume).toBeGreaterThanOrEqual(
          small.value.confidenceParts.volume,
        );
        expect(big.value.target).toBeGreaterThanOrEqual(small.value.target);
      }),
    );
  });

  it('is deterministic and independent of point order', () => {
    fc.assert(
      fc.property(hourly, (series) => {
        const a = recommendSlo({ journey, sli, history: series });
        expect(recommendSlo({ journey, sli, history: [...series].reverse() })).toEqual(a);
        expect(recommendSlo({ journey, sli, history: series })).toEqual(a);
      }),
      { numRuns: 30 },
    );
  });
});

describe('fitTarget rules', () => {
  const flat = (hours: number, perHour: number, bad: number): GoodTotalPoint[] =>
    Array.from({ length: hours }, (_, h) => ({
      tMs: h * HOUR,
      good: perHour - bad,
      total: perHour,
    }));

  it('picks the highest qualifying ladder step', () => {
    // 0.05% errors over 28 days at 10k/h: bound ≈ 0.99949 → 99.9%
    const r = fitTarget(flat(24 * 28, 10_000, 5));
    expect(r.ok && r.value.target).toBe(0.999);
    expect(r.ok && r.value.candidates.find((c) => c.target === 0.9995)!.reason).toBe(
      'above-lower-bound',
    );
  });

  it('rejects a target missed in more than 10% of days', () => {
    const series = flat(24 * 20, 1_000, 0).map((p, i) =>
      // three bad days out of twenty: 15% of windows miss 99.9%
      Math.floor(i / 24) % 7 === 3 ? { ...p, good: p.total - 3 } : p,
    );
    const r = fitTarget(series);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.candidates.find((c) => c.target === 0.999)!.reason).toBe('daily-windows');
      expect(r.value.target).toBe(0.995);
    }
  });

  it('needs 10/(1−T) events and flags low traffic', () => {
    const r = fitTarget(flat(24 * 3, 2, 0));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.target).toBe(0.9);
      expect(r.value.lowTraffic).toBe(true);
    }
    const none = fitTarget(flat(24, 1, 0));
    expect(!none.ok && none.error.code).toBe('NO_TARGET');
    expect(!fitTarget([]).ok).toBe(true);
  });

  it('writes a valid SloSpec and a rationale that cites the numbers', () => {
    const r = recommendSlo({ journey, sli, history: flat(24 * 28, 10_000, 5) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(parseSloSpec(r.value.spec).ok).toBe(true);
    expect(r.value.spec.spec.objectives[0]!.target).toBe(0.999);
    expect(r.value.rationale).toContain('99.95%');
    expect(r.value.rationale).toContain('6720000');
    expect(r.value.rationale).toMatch(/Clopper–Pearson lower bound 99\.94\d*%/);
  });
});

describe('recommendLatencySlo', () => {
  const bounds = [0.05, 0.1, 0.25, 0.5, 1, 2.5];
  const point = (t: number, counts: number[]): HistogramPoint => ({
    tMs: t * HOUR,
    bounds,
    counts,
  });

  it('rounds the upper bound of p99 up to a bucket and fits a target under it', () => {
    // 1.1% of requests above 0.25 s, 0.2% above 0.5 s: p99 bound lands in the 0.5 s bucket
    const history = Array.from({ length: 24 * 14 }, (_, h) =>
      point(h, [6_000, 3_000, 890, 90, 20, 0, 0]),
    );
    const r = recommendLatencySlo({
      journey,
      sli: {
        ...sli,
        kind: 'latency',
        ratio: {
          good: 'sum(rate(h_bucket{le="0.25"}[{{.window}}]))',
          total: 'sum(rate(h_count[{{.window}}]))',
        },
      },
      history,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.latency!.thresholdSeconds).toBe(0.5);
    expect(r.value.spec.spec.indicator.thresholdSeconds).toBe(0.5);
    expect(r.value.spec.spec.indicator.ratio.good).toContain('le="0.5"');
    expect(r.value.fit.target).toBe(0.995);
    expect(r.value.fit.target).toBeLessThanOrEqual(r.value.fit.observed);
  });
});

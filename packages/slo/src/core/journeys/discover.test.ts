import fc from 'fast-check';
import type { Journey } from '@slo-scout/schema';
import { describe, expect, it } from 'vitest';
import { createSyntheticShop } from '../synthetic/shop.ts';
import { discoverJourneys, toJourneyHistory } from './discover.ts';
import { discoverFlows } from './flows.ts';
import { JOURNEY_ATTRIBUTES, toJourneyId, toJourneyKey, toJourneySpan } from './keys.ts';

const DAY = 86_400_000;
const shop = (topology: 'direct' | 'gateway', seed = 7) =>
  createSyntheticShop({
    seed,
    startMs: 1_700_000_000_000,
    durationMs: DAY,
    sessions: 800,
    topology,
    rareRequests: 4,
  });
const keyOf = (j: { key: unknown }) => JSON.stringify(j.key);

describe('discoverJourneys on the synthetic shop', () => {
  it.each(['direct', 'gateway'] as const)('matches the ground truth (%s topology)', (topology) => {
    const { events, truth } = shop(topology);
    const journeys = discoverJourneys(events);
    const named = journeys.filter((j) => j.key.type !== 'other');
    expect(named.map(keyOf).sort()).toEqual(truth.journeys.map(keyOf).sort());
    for (const t of truth.journeys) {
      const j = named.find((x) => keyOf(x) === keyOf(t))!;
      expect(j.evidence.traceCount).toBe(t.requests);
      expect(j.critical).toBe(t.critical);
      expect(j.userFacing).toBe(t.userFacing);
      expect(j.evidence.exampleTraceIds.length).toBe(3);
    }
    const other = journeys.filter((j) => j.key.type === 'other');
    expect(other.reduce((s, j) => s + j.evidence.traceCount, 0)).toBe(
      truth.rare.reduce((s, r) => s + r.requests, 0),
    );
    const shares = journeys.reduce((s, j) => s + j.trafficShare, 0);
    expect(shares).toBeCloseTo(1, 9);
  });

  it('never keys a journey on a raw URL path', () => {
    const journeys = discoverJourneys(shop('gateway').events);
    for (const j of journeys) expect(j.name).not.toMatch(/\/\d+/);
  });

  it('lists the services a journey touches and ranks critical user journeys first', () => {
    const journeys = discoverJourneys(shop('direct').events);
    const checkout = journeys.find((j) => j.name === 'POST /checkout')!;
    expect(checkout.evidence.services).toEqual([
      'cart',
      'checkout',
      'order-worker',
      'payment',
      'storefront',
    ]);
    const reaper = journeys.find((j) => j.name === 'reap expired orders')!;
    expect(journeys.indexOf(checkout)).toBeLessThan(journeys.indexOf(reaper));
    expect(reaper.userFacing).toBe(false);
    expect(journeys.map((j) => j.score)).toEqual(
      [...journeys.map((j) => j.score)].sort((a, b) => b - a),
    );
  });

  it('counts 5xx as errors and 4xx not', () => {
    const { events } = createSyntheticShop({
      seed: 3,
      startMs: 0,
      durationMs: DAY,
      sessions: 300,
      incidents: [{ startMs: 0, endMs: DAY, service: 'payment', errorRate: 0.5 }],
    });
    const journeys = discoverJourneys(events);
    const checkout = journeys.find((j) => j.name === 'POST /checkout')!;
    expect(checkout.evidence.errorCount / checkout.evidence.traceCount).toBeGreaterThan(0.3);
    const product = journeys.find((j) => j.name === 'GET /products/{id}')!;
    // catalog answers 3% 404s, which must not count as failures of the journey
    expect(product.evidence.errorCount / product.evidence.traceCount).toBeLessThan(0.02);
  });

  it('is deterministic and independent of event order', () => {
    const { events } = createSyntheticShop({
      seed: 11,
      startMs: 0,
      durationMs: DAY,
      sessions: 250,
      topology: 'gateway',
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (salt) => {
        const shuffled = [...events].sort(
          (a, b) => (hash(a.event_id, salt) - hash(b.event_id, salt)) | 0,
        );
        expect(strip(discoverJourneys(shuffled))).toEqual(strip(discoverJourneys(events)));
      }),
      { numRuns: 3 },
    );
  });
});

describe('discoverFlows', () => {
  it('finds the multi-step flows of the ground truth', () => {
    const { events, truth } = shop('direct');
    const flows = discoverFlows(events);
    expect(flows.map((f) => (f.key.type === 'sequence' ? f.key.steps : [])).sort()).toEqual(
      [...truth.flows].map((f) => [...f]).sort(),
    );
    const funnel = flows.find((f) => f.name.endsWith('/checkout'))!;
    expect(funnel.critical).toBe(true);
    expect(funnel.evidence.sessionCount).toBeGreaterThan(150);
    expect(funnel.evidence.services).toContain('payment');
  });
});

describe('toJourneyKey', () => {
  it('prefers the route, then the RPC method, then the span name', () => {
    const { events } = shop('direct');
    const server = events.filter((e) => e.span_kind === 'SERVER' || e.span_kind === 'CONSUMER');
    const kinds = new Set(server.map((s) => toJourneyKey(s).type));
    expect([...kinds].sort()).toEqual(['http', 'rpc', 'span']);
  });
});

function hash(s: string, salt: number): number {
  let h = salt | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x9e3779b1);
  return h;
}

function strip(js: Journey[]): unknown {
  return js.map((j) => ({ ...j }));
}

describe('toJourneyHistory', () => {
  const { events } = createSyntheticShop({
    seed: 11,
    startMs: 0,
    durationMs: 6 * 3_600_000,
    sessions: 300,
    incidents: [{ startMs: 3_600_000, endMs: 7_200_000, service: 'payment', errorRate: 0.5 }],
  });
  const journeys = discoverJourneys(events);
  const bounds = [0.05, 0.1, 0.25, 0.5, 1];
  const history = toJourneyHistory(events, journeys, {
    fromMs: 0,
    toMs: 6 * 3_600_000 + 60_000,
    stepMs: 300_000,
    bounds,
  });

  it('counts every entry span of a journey once, errors as bad, on every step', () => {
    for (const j of journeys) {
      const h = history.get(j.id)!;
      const total = h.availability.reduce((s, p) => s + p.total, 0);
      const bad = h.availability.reduce((s, p) => s + p.total - p.good, 0);
      expect(total).toBe(j.evidence.traceCount);
      expect(bad).toBe(j.evidence.errorCount);
      expect(h.availability).toHaveLength(73);
      h.latency.forEach((p, i) => {
        expect(p.counts.reduce((s, c) => s + c, 0)).toBe(h.availability[i]!.total);
      });
    }
  });

  it('shows the incident as bad events inside its hour only', () => {
    const checkout = history.get(journeys.find((j) => j.name === 'POST /checkout')!.id)!;
    const badAt = (from: number, to: number) =>
      checkout.availability
        .filter((p) => p.tMs >= from && p.tMs < to)
        .reduce((s, p) => s + p.total - p.good, 0);
    expect(badAt(3_600_000, 7_200_000)).toBeGreaterThan(5);
    expect(badAt(3_600_000, 7_200_000)).toBeGreaterThan(badAt(0, 3_600_000) * 3);
  });

  it('puts each duration in the first bucket at or above it', () => {
    const job = journeys.find((j) => j.key.type === 'span')!;
    const roots = events.filter(
      (e) =>
        e.kind === 'trace' && e.parent_span_id === null && toJourneyId(toJourneyKey(e)) === job.id,
    );
    expect(roots.length).toBe(job.evidence.traceCount);
    const expected = new Array<number>(bounds.length + 1).fill(0);
    for (const r of roots) {
      const i = bounds.findIndex((b) => (r.duration_ms ?? 0) / 1000 <= b);
      expected[i < 0 ? bounds.length : i]! += 1;
    }
    const got = new Array<number>(bounds.length + 1).fill(0);
    for (const p of history.get(job.id)!.latency) p.counts.forEach((c, i) => (got[i]! += c));
    expect(got).toEqual(expected);
  });

  it('refuses a reversed range, a bad step or unsorted bounds', () => {
    expect(() =>
      toJourneyHistory(events, journeys, { fromMs: 10, toMs: 5, stepMs: 1, bounds }),
    ).toThrow(/fromMs/);
    expect(() =>
      toJourneyHistory(events, journeys, { fromMs: 0, toMs: 5, stepMs: 0, bounds }),
    ).toThrow(/stepMs/);
    expect(() =>
      toJourneyHistory(events, journeys, { fromMs: 0, toMs: 5, stepMs: 1, bounds: [1, 0.5] }),
    ).toThrow(/bounds/);
  });
});

describe('toJourneySpan', () => {
  it('keeps only what journeys need, and discovery on the reduced spans finds the same journeys', () => {
    const { events } = shop('gateway', 13);
    const reduced = events.flatMap((e) => {
      const s = toJourneySpan(e);
      return s === undefined ? [] : [s];
    });
    expect(reduced.length).toBe(events.filter((e) => e.kind === 'trace').length);
    for (const s of reduced) {
      expect(s.body).toBeNull();
      expect(s.resource_attributes).toEqual({});
      for (const k of Object.keys(s.attributes)) expect(JOURNEY_ATTRIBUTES).toContain(k);
    }
    expect(discoverJourneys(reduced)).toEqual(discoverJourneys(events));
    const withSecret = {
      ...reduced[0]!,
      attributes: { ...reduced[0]!.attributes, 'user.email': 'a@b.c' },
    };
    expect(toJourneySpan(withSecret)!.attributes['user.email']).toBeUndefined();
    expect(toJourneySpan(events.find((e) => e.kind !== 'trace')!)).toBeUndefined();
    const named = { ...reduced[0]!, span_name: 'GET /users/bob@example.com' };
    const masked = toJourneySpan(named, (t) => t.replace(/[a-z]+@[a-z.]+/g, '<EMAIL>'))!;
    expect(masked.span_name).toBe('GET /users/<EMAIL>');
    expect(masked.trace_id).toBe(named.trace_id);
  });
});

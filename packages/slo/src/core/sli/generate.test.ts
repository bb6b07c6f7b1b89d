import fc from 'fast-check';
import { parseSloSpec, type CapsuleWindow } from '@slo-scout/schema';
import { describe, expect, it } from 'vitest';
import { discoverJourneys } from '../journeys/discover.ts';
import { createSyntheticShop } from '../synthetic/shop.ts';
import type { MetricFamily } from './families.ts';
import {
  generateErrorSli,
  generateRumSlis,
  generateSlis,
  pickBucketAtLeast,
  toCapsuleErrorSeries,
} from './generate.ts';
import { toSloSpec } from './spec.ts';

const OTEL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const OTEL_HTTP: MetricFamily = {
  name: 'http_server_request_duration_seconds',
  type: 'histogram',
  labels: ['service_name', 'http_route', 'http_request_method', 'http_response_status_code', 'le'],
  buckets: OTEL_BUCKETS,
  bucketLabels: OTEL_BUCKETS.map((b) => (Number.isInteger(b) ? `${b}.0` : String(b))),
};
const OTEL_RPC: MetricFamily = {
  name: 'rpc_server_duration_milliseconds',
  type: 'histogram',
  labels: ['service_name', 'rpc_service', 'rpc_method', 'rpc_grpc_status_code', 'le'],
  buckets: [5, 10, 25, 50, 100, 250, 500, 1000],
};
const SPANMETRICS: MetricFamily[] = [
  {
    name: 'traces_span_metrics_calls_total',
    type: 'counter',
    labels: ['service_name', 'span_name', 'span_kind', 'status_code'],
  },
  {
    name: 'traces_span_metrics_duration_seconds',
    type: 'native_histogram',
    labels: ['service_name', 'span_name', 'span_kind', 'status_code'],
  },
];
const CLASSIC: MetricFamily = {
  name: 'http_requests_total',
  type: 'counter',
  labels: ['job', 'handler', 'method', 'code'],
};

const { events } = createSyntheticShop({
  seed: 5,
  startMs: 0,
  durationMs: 86_400_000,
  sessions: 400,
});
const journeys = discoverJourneys(events);
const byName = (n: string) => journeys.find((j) => j.name === n)!;

describe('generateSlis', () => {
  it('writes availability and latency SLIs over OpenTelemetry, classic and spanmetrics families (golden)', async () => {
    const out = {
      otelHttp: generateSlis(byName('POST /checkout'), [OTEL_HTTP], {
        latencyThresholdSeconds: 0.3,
      }),
      classic: generateSlis(byName('GET /products'), [CLASSIC, OTEL_HTTP]),
      rpc: generateSlis(byName('shop.Inventory/GetStock'), [OTEL_RPC], {
        latencyThresholdSeconds: 0.02,
      }),
      spanmetrics: generateSlis(byName('reap expired orders'), SPANMETRICS, {
        latencyThresholdSeconds: 1.2,
      }),
    };
    await expect(`${JSON.stringify(out, null, 2)}\n`).toMatchFileSnapshot('./__golden__/slis.json');
  });

  it('counts only server errors as bad and picks an existing bucket at or above the wish', () => {
    const [avail, lat] = generateSlis(byName('POST /checkout'), [OTEL_HTTP], {
      latencyThresholdSeconds: 0.3,
    });
    expect(avail!.ratio.bad).toContain('http_response_status_code=~"5.."');
    expect(avail!.ratio.bad).toContain('http_route="/checkout"');
    expect(avail!.ratio.total).not.toContain('status_code');
    expect(lat!.thresholdSeconds).toBe(0.5);
    expect(lat!.ratio.good).toContain('le="0.5"');
    for (const q of [avail!.ratio.bad, avail!.ratio.total, lat!.ratio.good, lat!.ratio.total])
      expect(q).toContain('[{{.window}}]');
  });

  it('produces SLIs that make valid SloSpecs', () => {
    for (const j of journeys.filter((x) => x.key.type !== 'other'))
      for (const sli of generateSlis(j, [OTEL_HTTP, OTEL_RPC, ...SPANMETRICS])) {
        const spec = toSloSpec(sli, j, { target: 0.99, minEvents: 100 });
        expect(parseSloSpec(spec)).toEqual({ ok: true, value: spec });
      }
  });

  it('returns nothing when no family carries the journey labels', () => {
    expect(
      generateSlis(byName('POST /checkout'), [{ name: 'up', type: 'gauge', labels: ['job'] }]),
    ).toEqual([]);
  });
});

describe('pickBucketAtLeast', () => {
  it('always returns a bucket that exists, at or above the wish when one is', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: 0.001, max: 100, noNaN: true }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.double({ min: 0, max: 120, noNaN: true }),
        (buckets, wanted) => {
          const pick = pickBucketAtLeast(
            { name: 'h', type: 'histogram', labels: [], buckets },
            wanted,
          )!;
          expect(buckets).toContain(pick.bound);
          const max = Math.max(...buckets);
          if (wanted <= max) {
            expect(pick.bound).toBeGreaterThanOrEqual(wanted - 1e-12);
            expect(buckets.filter((b) => b >= wanted - 1e-12 && b < pick.bound)).toEqual([]);
          } else expect(pick.bound).toBe(max);
        },
      ),
    );
  });
});

describe('RUM and log SLIs', () => {
  it('uses the Core Web Vitals thresholds', () => {
    const flows: MetricFamily[] = [
      {
        name: 'rum_lcp_seconds',
        type: 'histogram',
        labels: ['service', 'le'],
        buckets: [1, 2, 2.5, 4],
      },
      {
        name: 'rum_inp_milliseconds',
        type: 'histogram',
        labels: ['service', 'le'],
        buckets: [100, 200, 500],
      },
      { name: 'rum_cls', type: 'histogram', labels: ['service', 'le'], buckets: [0.05, 0.1, 0.25] },
    ];
    const slis = generateRumSlis(byName('GET /products'), flows);
    expect(slis.map((s) => s.thresholdSeconds)).toEqual([2.5, 0.2, 0.1]);
    expect(slis[1]!.ratio.good).toContain('le="200"');
  });

  it('derives error SLIs and series from capsule severities', () => {
    const sli = generateErrorSli(byName('POST /checkout'), {
      name: 'slo_scout_capsule_events_total',
      type: 'counter',
      labels: ['service', 'severity'],
    });
    expect(sli.ok && sli.value.ratio.bad).toContain('severity=~');
    const w = (t: number, error: number, info: number): CapsuleWindow => ({
      fingerprint_hash: 'f',
      service: 'checkout',
      template: 't',
      time_bucket_ms: t,
      window_size_ms: 60_000,
      count: error + info,
      severity_distribution: { unspecified: 0, trace: 0, debug: 0, info, warn: 0, error, fatal: 0 },
      reservoir_sample: [],
      distinct_sources: 1,
      first_seen_ms: t,
      last_seen_ms: t,
    });
    expect(toCapsuleErrorSeries([w(60_000, 1, 9), w(0, 0, 5), w(0, 2, 3)], 'checkout')).toEqual([
      { tMs: 0, good: 8, total: 10 },
      { tMs: 60_000, good: 9, total: 10 },
    ]);
  });
});

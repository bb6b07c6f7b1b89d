import { loadConnection } from '@slo-scout/testkit';
import { telemetryEventType } from '@slo-scout/schema';
import { describe, expect, it } from 'vitest';
import { createPrometheusReader } from '../../src/adapters/pull/index.ts';

const { url } = loadConnection('prometheus');
const reader = createPrometheusReader({ url });

async function waitForSamples(): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${url}/api/v1/query?query=up`);
    const body = (await res.json()) as { data: { result: unknown[] } };
    if (body.data.result.length > 0) return;
    if (Date.now() > until) throw new Error('Prometheus scraped nothing in 30 s');
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('Prometheus remote read against a real Prometheus', () => {
  it('reads samples by matchers and pulls incrementally from a checkpoint', async () => {
    await waitForSamples();
    const now = Date.now();
    const matchers = [{ type: '=' as const, name: '__name__', value: 'up' }];
    const series = await reader.read([{ matchers, startMs: now - 3_600_000, endMs: now }]);
    if (!series.ok) throw series.error;
    expect(series.value[0]!.length).toBeGreaterThan(0);
    expect(series.value[0]![0]!.labels).toMatchObject({ __name__: 'up', job: 'prometheus' });
    expect(series.value[0]![0]!.samples[0]!.value).toBe(1);

    const first = await reader.pull(matchers, { lastMs: now - 3_600_000 }, now);
    if (!first.ok) throw first.error;
    expect(first.value.events.length).toBeGreaterThan(0);
    for (const e of first.value.events) expect(telemetryEventType.check(e)).toBeUndefined();
    expect(first.value.events[0]).toMatchObject({
      kind: 'metric',
      metric_name: 'up',
      service: 'prometheus',
      metric_type: 'gauge',
    });
    // A second pull from the returned checkpoint never repeats a sample.
    await new Promise((r) => setTimeout(r, 6_000));
    const second = await reader.pull(matchers, first.value.next, Date.now());
    if (!second.ok) throw second.error;
    const firstIds = new Set(first.value.events.map((e) => e.event_id));
    expect(second.value.events.length).toBeGreaterThan(0);
    for (const e of second.value.events) {
      expect(firstIds.has(e.event_id)).toBe(false);
      expect(e.event_time_ms).toBeGreaterThan(first.value.next.lastMs);
    }
    // Re-reading the same range yields the same ids.
    const again = await reader.pull(matchers, { lastMs: now - 3_600_000 }, now);
    expect(again.ok && again.value.events.map((e) => e.event_id)).toEqual(
      first.value.events.map((e) => e.event_id),
    );
  });

  it('regex matchers select several series; histograms and request counters are discovered', async () => {
    const now = Date.now();
    const series = await reader.read([
      {
        matchers: [{ type: '=~', name: '__name__', value: 'prometheus_http_requests_total|up' }],
        startMs: now - 600_000,
        endMs: now,
      },
    ]);
    if (!series.ok) throw series.error;
    const names = new Set(series.value[0]!.map((s) => s.labels['__name__']));
    expect(names).toEqual(new Set(['prometheus_http_requests_total', 'up']));
    const found = await reader.discover();
    if (!found.ok) throw found.error;
    expect(found.value.requestCounters).toContain('prometheus_http_requests_total');
    expect(found.value.histograms).toContain('prometheus_http_request_duration_seconds');
    const buckets = found.value.labelSets['prometheus_http_request_duration_seconds_bucket']!;
    expect(buckets.some((l) => 'le' in l && 'handler' in l)).toBe(true);
  });

  it('answers a typed error for a bad matcher regex', async () => {
    const now = Date.now();
    const out = await reader.read([
      { matchers: [{ type: '=~', name: '__name__', value: '(' }], startMs: now - 1000, endMs: now },
    ]);
    expect(!out.ok && out.error.code).toBe('UPSTREAM_FAILED');
  });
});

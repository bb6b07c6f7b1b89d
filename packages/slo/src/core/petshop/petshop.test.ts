import { describe, expect, it } from 'vitest';
import {
  parsePetshopMetrics,
  parsePetshopTarget,
  toPetshopAvailability,
  toPetshopLatency,
} from './petshop.ts';

const CSV = [
  'microservice,PetSite,PetSite,PetSite,PetSite,PetSite,PetSite,PetSite,PetSite',
  'metric,latency,latency,latency,latency,latency,requests,availability,latency',
  'statistic,p50,p90,p95,p99,Average,Sum,Average,p50',
  'unix_timestamp,,,,,,,,',
  '1692608400.0,0.05,0.2,0.3,0.5,0.1,400.0,97.5,9',
  '1692608700.0,,,,,,,,',
].join('\n');

describe('PetShop converter', () => {
  it('reads the three-row header, epoch-second index and blanks', () => {
    const m = parsePetshopMetrics(CSV);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.value.timestampsMs).toEqual([1_692_608_400_000, 1_692_608_700_000]);
    expect(m.value.columns.get('PetSite|latency|p50')).toEqual([0.05, null]);
    expect(toPetshopAvailability(m.value, 'PetSite')).toEqual([
      { tMs: 1_692_608_400_000, good: 390, total: 400 },
      { tMs: 1_692_608_700_000, good: 0, total: 0 },
    ]);
  });

  it('rebuilds histograms whose mass matches the percentiles', () => {
    const m = parsePetshopMetrics(CSV);
    if (!m.ok) throw m.error;
    const [h] = toPetshopLatency(m.value, {
      component: 'PetSite',
      bounds: [0.05, 0.2, 0.3, 0.5, 1],
    });
    const cum = h!.counts.map((_, i) => h!.counts.slice(0, i + 1).reduce((s, c) => s + c, 0) / 400);
    expect(cum.slice(0, 4).map((x) => Math.round(x * 1000) / 1000)).toEqual([0.5, 0.9, 0.95, 0.99]);
    expect(cum[4]).toBeCloseTo(1, 9);
  });

  it('parses target.json and rejects broken input', () => {
    const t = parsePetshopTarget(
      '{"target":{"node":"PetSite","metric":"latency","agg":"Average","timestamp":1681857605},"root_cause":{"node":"petInfo"}}',
    );
    expect(t).toEqual({
      ok: true,
      value: {
        node: 'PetSite',
        metric: 'latency',
        timestampMs: 1_681_857_605_000,
        rootCause: 'petInfo',
      },
    });
    expect(parsePetshopTarget('{').ok).toBe(false);
    expect(parsePetshopMetrics('a,b\n').ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { capsule, sequence } from '../test/events.ts';
import { runAll } from '../test/run.ts';
import {
  createAggregator,
  createRandom,
  isWindowOutput,
  parseWindowState,
  restoreAggregator,
  toCapsuleWindow,
  type AggregatorSnapshot,
  type WindowState,
} from './index.ts';

const options = { windowMs: 1_000, watermarkDelayMs: 0, allowedLatenessMs: 0 };

function oneState(): WindowState {
  const events = sequence(12).map((e, i) => ({ ...e, source: `pod-${i % 3}` }));
  const out = runAll(events, { ...options, reservoirSize: 4 }, 3).outputs.filter(isWindowOutput);
  return out[0]!.state;
}

describe('parseWindowState', () => {
  it('accepts what the aggregator emits, also after a JSON round trip', () => {
    const state = oneState();
    expect(parseWindowState(JSON.parse(JSON.stringify(state)))).toEqual({ ok: true, value: state });
  });

  it.each<[string, (s: WindowState) => unknown]>([
    ['format', (s) => ({ ...s, format: 'v0' })],
    ['count', (s) => ({ ...s, count: s.count + 1 })],
    [
      'severity_distribution',
      (s) => ({ ...s, severity_distribution: { ...s.severity_distribution, info: 0 } }),
    ],
    ['reservoir_sample', (s) => ({ ...s, reservoir_sample: s.reservoir_sample.slice(1) })],
    [
      'reservoir_sample[0].event_id',
      (s) => ({ ...s, reservoir_sample: [{ ...s.reservoir_sample[0], event_id: 1 }] }),
    ],
    ['event_hashes', (s) => ({ ...s, event_hashes: 'g' + s.event_hashes.slice(1) })],
    ['event_hashes', (s) => ({ ...s, event_hashes: s.event_hashes.slice(1) })],
    ['event_severity', (s) => ({ ...s, event_severity: s.event_severity.slice(1) })],
    ['first_seen_ms', (s) => ({ ...s, first_seen_ms: s.time_bucket_ms - 1 })],
    ['sources', (s) => ({ ...s, source_sketch: [1] })],
    ['$', () => 'not a state'],
  ])('rejects a bad %s and names it', (path, mutate) => {
    const parsed = parseWindowState(mutate(oneState()));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('INVALID_STATE');
      expect(parsed.error.path).toBe(path);
    }
  });

  it('converts to a CapsuleWindow with the distinct source count', () => {
    const window = toCapsuleWindow(oneState());
    expect(window).toMatchObject({
      count: 12,
      distinct_sources: 3,
      time_bucket_ms: 0,
      window_size_ms: 1_000,
    });
    expect(window.reservoir_sample).toHaveLength(4);
  });

  it('estimates distinct sources once the exact set overflows', () => {
    const agg = createAggregator({ ...options, random: createRandom(1), maxExactSources: 16 });
    for (let i = 0; i < 2_000; i++)
      agg.add(capsule({ source_event_id: `e${i}`, source: `pod-${i}` }));
    agg.flush();
    const [out] = agg.drain();
    const state = out && isWindowOutput(out) ? out.state : null;
    expect(state?.sources).toBeNull();
    expect(state?.source_sketch).toHaveLength(16);
    const estimate = toCapsuleWindow(state!).distinct_sources;
    expect(estimate).toBeGreaterThan(1_000);
    expect(estimate).toBeLessThan(4_000);
  });
});

describe('distinct sources across the bit set and the list', () => {
  it('counts exactly past the 128 bit-set numbers and survives a restore, also once sketched', () => {
    for (const exact of [300, 40]) {
      const opts = { ...options, maxExactSources: exact };
      const events = Array.from({ length: 400 }, (_, i) =>
        capsule({ source_event_id: `e${i}`, event_time_ms: i, source: `pod-${(i * 7) % 200}` }),
      );
      const straight = createAggregator({ ...opts, random: createRandom(3) });
      for (const e of events) straight.add(e);
      straight.flush();
      const split = createAggregator({ ...opts, random: createRandom(3) });
      for (const e of events.slice(0, 150)) split.add(e);
      const snap = JSON.parse(JSON.stringify(split.snapshot())) as unknown;
      const restored = restoreAggregator({ ...opts, random: createRandom(3) }, snap);
      if (!restored.ok) throw restored.error;
      for (const e of events.slice(150)) restored.value.add(e);
      restored.value.flush();
      const [a] = straight.drain();
      const [b] = restored.value.drain();
      const one = a && isWindowOutput(a) ? a.state : null;
      const two = b && isWindowOutput(b) ? b.state : null;
      if (exact === 300) {
        expect(one?.sources).toEqual([...new Set(events.map((e) => e.source!))].sort());
      } else {
        expect(one?.sources).toBeNull();
        expect(one?.source_sketch).toHaveLength(40);
      }
      expect(two?.sources).toEqual(one?.sources);
      expect(two?.source_sketch).toEqual(one?.source_sketch);
    }
  });
});

describe('restoreAggregator', () => {
  const random = createRandom(1);
  const snapshot = () => {
    const agg = createAggregator({ ...options, random });
    agg.add(capsule({ event_time_ms: 10 }));
    return JSON.parse(JSON.stringify(agg.snapshot())) as Record<string, unknown>;
  };

  it('restores a valid snapshot', () => {
    const restored = restoreAggregator({ ...options, random }, snapshot());
    expect(restored.ok && restored.value.retainedWindows()).toBe(1);
  });

  it('keeps restored sample times exactly, also ones far outside the window', () => {
    // Windows keep times as offsets from the bucket start; from bucket 2^52 an offset to
    // -(2^53 - 1) is not a safe integer, so such a (valid) sample must stay absolute.
    const start = 2 ** 52;
    for (const far of [start + 999, start - 5_000, -Number.MAX_SAFE_INTEGER, 0]) {
      const agg = createAggregator({ ...options, random: createRandom(5), reservoirSize: 2 });
      for (const e of sequence(2, 'e', start)) agg.add(e);
      const snap = JSON.parse(JSON.stringify(agg.snapshot())) as AggregatorSnapshot;
      snap.windows[0]!.state.reservoir_sample[0]!.event_time_ms = far;
      const restored = restoreAggregator({ ...options, random: createRandom(5) }, snap);
      if (!restored.ok) throw restored.error;
      restored.value.add(capsule({ source_event_id: 'e2', event_time_ms: start + 7 }));
      const times = restored.value
        .snapshot()
        .windows[0]!.state.reservoir_sample.map((entry) => entry.event_time_ms);
      expect(times).toContain(far);
      expect(times.every((t) => t === far || (t >= start && t < start + 1_000))).toBe(true);
    }
  });

  it('keeps adding to a restored window whose sample fell short (untracked events)', () => {
    // A sample may hold fewer than min(K, count) entries once untracked events hid duplicates;
    // a replacement then may draw a slot the sample does not have: it takes the event as a new
    // entry instead of throwing (add never throws).
    const opts = { ...options, reservoirSize: 4, maxTrackedIdsPerWindow: 1 };
    const agg = createAggregator({ ...opts, random: createRandom(9) });
    for (const e of sequence(6)) agg.add(e);
    const snap = JSON.parse(JSON.stringify(agg.snapshot())) as AggregatorSnapshot;
    const state = snap.windows[0]!.state;
    state.reservoir_sample = state.reservoir_sample.slice(0, 1);
    const restored = restoreAggregator({ ...opts, random: createRandom(9) }, snap);
    if (!restored.ok) throw restored.error;
    const outcomes = sequence(200, 'f', 6).map((e) => restored.value.add(e));
    expect(new Set(outcomes)).toEqual(new Set(['added']));
    restored.value.flush();
    const [out] = restored.value.drain();
    const sample = out && isWindowOutput(out) ? out.state.reservoir_sample : [];
    expect(sample.length).toBeGreaterThan(1);
    expect(sample.length).toBeLessThanOrEqual(4);
    expect(parseWindowState(out && isWindowOutput(out) ? out.state : null).ok).toBe(true);
  });

  it.each<[string, (s: Record<string, unknown>) => unknown]>([
    ['$', () => null],
    ['format', (s) => ({ ...s, format: 'x' })],
    ['window_size_ms', (s) => ({ ...s, window_size_ms: 60_000 })],
    ['stats.events', (s) => ({ ...s, stats: { ...(s['stats'] as object), events: -0.5 } })],
    [
      'windows[0].state',
      (s) => ({ ...s, windows: [{ state: {}, correction_rank: null, next_replacement: 0 }] }),
    ],
    [
      'windows[1]',
      (s) => ({ ...s, windows: [...(s['windows'] as unknown[]), ...(s['windows'] as unknown[])] }),
    ],
    ['pending[0].kind', (s) => ({ ...s, pending: [{ kind: 'other' }] })],
  ])('returns an error naming %s for a malformed snapshot', (path, mutate) => {
    const restored = restoreAggregator({ ...options, random }, mutate(snapshot()));
    expect(restored.ok).toBe(false);
    if (!restored.ok) {
      expect(restored.error.code).toBe('INVALID_SNAPSHOT');
      expect(restored.error.path).toBe(path);
    }
  });
});

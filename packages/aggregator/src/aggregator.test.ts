import { describe, expect, it } from 'vitest';
import { capsule, sequence } from '../test/events.ts';
import {
  createAggregator,
  createRandom,
  hashEventId,
  isWindowOutput,
  type AggregatorOptions,
  type AggregatorOutput,
  type WindowOutput,
} from './index.ts';

const H = 3_600_000;

function make(options: Partial<AggregatorOptions> = {}) {
  return createAggregator({
    random: createRandom(1),
    windowMs: 1_000,
    watermarkDelayMs: 0,
    allowedLatenessMs: 0,
    ...options,
  });
}

const windows = (outputs: AggregatorOutput[]): WindowOutput[] => outputs.filter(isWindowOutput);
const kinds = (outputs: AggregatorOutput[]) =>
  outputs.map((o) => (isWindowOutput(o) ? `${o.kind}@${o.state.time_bucket_ms}` : o.kind));

describe('window boundaries', () => {
  it('defaults to one-hour UTC buckets: floor(event time / size) * size', () => {
    const agg = createAggregator({ random: createRandom(1) });
    const t = Date.UTC(2026, 0, 1, 10, 59, 59, 999);
    agg.add(capsule({ event_time_ms: t }));
    agg.add(capsule({ event_time_ms: t + 1, source_event_id: 'e-1' }));
    agg.flush();
    const out = windows(agg.drain()).map((o) => [o.state.time_bucket_ms, o.state.window_size_ms]);
    expect(out).toEqual([
      [Date.UTC(2026, 0, 1, 10), H],
      [Date.UTC(2026, 0, 1, 11), H],
    ]);
  });

  it('puts the start in the window and the end in the next one, also before 1970', () => {
    const agg = make();
    for (const [i, t] of [-1001, -1000, -1, 0, 999, 1000].entries()) {
      agg.add(capsule({ event_time_ms: t, source_event_id: `e${i}` }));
    }
    agg.flush();
    const counts = windows(agg.drain()).map((o) => [o.state.time_bucket_ms, o.state.count]);
    expect(counts).toEqual([
      [-2000, 1],
      [-1000, 2],
      [0, 2],
      [1000, 1],
    ]);
  });

  it('keys windows by fingerprint and service', () => {
    const agg = make();
    agg.add(capsule({ source_event_id: '1' }));
    agg.add(capsule({ source_event_id: '2', service: 'cart' }));
    agg.add(capsule({ source_event_id: '3', fingerprint_hash: 'fp-b' }));
    agg.add(capsule({ source_event_id: '4', service: 'cart' }));
    agg.flush();
    const keys = windows(agg.drain()).map((o) => [
      o.state.fingerprint_hash,
      o.state.service,
      o.state.count,
    ]);
    // Windows of one bucket are emitted in the order they were opened.
    expect(keys).toEqual([
      ['fp-a', 'checkout', 1],
      ['fp-a', 'cart', 2],
      ['fp-b', 'checkout', 1],
    ]);
  });

  it('keys digest-like fingerprints exactly, though only some of their digits are hashed', () => {
    // Same first and last 8 hex digits (the hashed ones), so these share an index hash; upper
    // case, a non-hex letter and a non-ASCII character take the full-string hash instead.
    const digest = (middle: string) => `0123abcd${middle.repeat(48)}89abcdef`;
    const fingerprints = [
      digest('0'),
      digest('1'),
      digest('f'),
      digest('0').toUpperCase(),
      digest('g'),
      digest('\u0130'),
      `${digest('0').slice(0, 63)}F`,
      'ffffffff'.repeat(8),
      'fffffffe'.repeat(8),
    ];
    const agg = make();
    for (const [i, fingerprint_hash] of [...fingerprints, ...fingerprints].entries()) {
      agg.add(capsule({ source_event_id: `${i}`, fingerprint_hash }));
    }
    agg.flush();
    const counts = windows(agg.drain()).map((o) => [o.state.fingerprint_hash, o.state.count]);
    expect(counts).toEqual(fingerprints.map((f) => [f, 2]));
  });
});

describe('watermark', () => {
  it('closes a window once the watermark reaches its end, not before', () => {
    const agg = make({ watermarkDelayMs: 200 });
    agg.add(capsule({ event_time_ms: 500, source_event_id: 'a' }));
    agg.add(capsule({ event_time_ms: 1_199, source_event_id: 'b' }));
    expect(agg.watermark()).toBe(999);
    expect(agg.drain()).toEqual([]);
    agg.add(capsule({ event_time_ms: 1_200, source_event_id: 'c' }));
    expect(agg.watermark()).toBe(1_000);
    const out = agg.drain();
    expect(kinds(out)).toEqual(['closed@0']);
    expect(windows(out)[0]!.state.count).toBe(1);
  });

  it('never moves backwards, and advanceWatermark closes idle windows', () => {
    const agg = make();
    expect(agg.watermark()).toBeNull();
    agg.add(capsule({ event_time_ms: 700, source_event_id: 'a' }));
    agg.add(capsule({ event_time_ms: 100, source_event_id: 'b' }));
    expect(agg.watermark()).toBe(700);
    agg.advanceWatermark(500);
    expect(agg.watermark()).toBe(700);
    agg.advanceWatermark(5_000);
    expect(agg.watermark()).toBe(5_000);
    expect(kinds(agg.drain())).toEqual(['closed@0']);
    expect(agg.retainedWindows()).toBe(0);
  });

  it('closes buckets in time order when one event jumps far ahead', () => {
    const agg = make();
    agg.add(capsule({ event_time_ms: 1_500, source_event_id: 'a' }));
    agg.add(capsule({ event_time_ms: 1_600, source_event_id: 'b', service: 'cart' }));
    agg.add(capsule({ event_time_ms: 900, source_event_id: 'c' }));
    expect(kinds(agg.drain())).toEqual(['late']);
    agg.add(capsule({ event_time_ms: 3_000, source_event_id: 'd' }));
    expect(kinds(agg.drain())).toEqual(['closed@1000', 'closed@1000']);
  });
});

describe('allowed lateness', () => {
  it('updates a closed window within the lateness and emits one coalesced correction', () => {
    const agg = make({ allowedLatenessMs: 500 });
    agg.add(capsule({ event_time_ms: 10, source_event_id: 'a' }));
    agg.add(capsule({ event_time_ms: 1_000, source_event_id: 'b' }));
    expect(kinds(agg.drain())).toEqual(['closed@0']);
    expect(agg.add(capsule({ event_time_ms: 20, source_event_id: 'c', severity_number: 17 }))).toBe(
      'corrected',
    );
    expect(agg.add(capsule({ event_time_ms: 30, source_event_id: 'd' }))).toBe('corrected');
    expect(agg.add(capsule({ event_time_ms: 30, source_event_id: 'd' }))).toBe('duplicate');
    const out = windows(agg.drain());
    expect(out.map((o) => o.kind)).toEqual(['correction']);
    expect(out[0]!.state.count).toBe(3);
    expect(out[0]!.state.severity_distribution.error).toBe(1);
    expect(out[0]!.state.last_seen_ms).toBe(30);
  });

  it('sends events past the lateness to the late output, with counts', () => {
    const agg = make({ allowedLatenessMs: 500 });
    agg.add(capsule({ event_time_ms: 10, source_event_id: 'a' }));
    agg.add(capsule({ event_time_ms: 1_499, source_event_id: 'b' }));
    expect(agg.add(capsule({ event_time_ms: 20, source_event_id: 'c' }))).toBe('corrected');
    agg.add(capsule({ event_time_ms: 1_500, source_event_id: 'd' }));
    const late = capsule({ event_time_ms: 999, source_event_id: 'e' });
    expect(agg.add(late)).toBe('late');
    expect(agg.drain()).toEqual([
      expect.objectContaining({ kind: 'closed' }),
      expect.objectContaining({ kind: 'correction' }),
      { kind: 'late', event: late, time_bucket_ms: 0, watermark_ms: 1_500 },
    ]);
    expect(agg.stats()).toMatchObject({ events: 5, added: 3, corrected: 1, late: 1 });
  });

  it('opens a window in an already-closed bucket as a correction', () => {
    const agg = make({ allowedLatenessMs: 500 });
    agg.add(capsule({ event_time_ms: 1_200, source_event_id: 'a' }));
    expect(agg.add(capsule({ event_time_ms: 999, source_event_id: 'b', service: 'cart' }))).toBe(
      'corrected',
    );
    expect(kinds(agg.drain())).toEqual(['correction@0']);
  });
});

describe('dedup, caps and flush', () => {
  it('counts an event id once per window', () => {
    const agg = make();
    const e = capsule({ source_event_id: 'same' });
    expect([agg.add(e), agg.add(e), agg.add({ ...e, event_time_ms: 5 })]).toEqual([
      'added',
      'duplicate',
      'duplicate',
    ]);
    agg.flush();
    expect(windows(agg.drain())[0]!.state.count).toBe(1);
  });

  it('counts events past the id cap as untracked instead of dropping them', () => {
    const agg = make({ maxTrackedIdsPerWindow: 3 });
    for (const e of sequence(5)) agg.add(e);
    expect(agg.add(capsule({ source_event_id: 'e1' }))).toBe('duplicate');
    expect(agg.add(capsule({ source_event_id: 'e4' }))).toBe('added');
    agg.flush();
    const state = windows(agg.drain())[0]!.state;
    expect(state).toMatchObject({ count: 6, untracked_count: 3 });
    expect(state.event_hashes).toBe(['e0', 'e1', 'e2'].map(hashEventId).join(''));
    expect(agg.stats().untracked).toBe(3);
  });

  it('evicts the oldest bucket first when maxOpenWindows is reached', () => {
    const agg = make({ maxOpenWindows: 2, watermarkDelayMs: 10_000 });
    agg.add(capsule({ event_time_ms: 1_000, source_event_id: 'a', fingerprint_hash: 'x' }));
    agg.add(capsule({ event_time_ms: 10, source_event_id: 'b', fingerprint_hash: 'y' }));
    agg.add(capsule({ event_time_ms: 20, source_event_id: 'c', fingerprint_hash: 'z' }));
    const out = windows(agg.drain());
    expect(out.map((o) => [o.kind, o.state.fingerprint_hash])).toEqual([['evicted', 'y']]);
    expect(agg.retainedWindows()).toBe(2);
    expect(agg.stats().evictedWindows).toBe(1);
  });

  it('flush emits open windows and forgets everything', () => {
    const agg = make({ allowedLatenessMs: 5_000 });
    agg.add(capsule({ event_time_ms: 10, source_event_id: 'a' }));
    agg.add(capsule({ event_time_ms: 1_010, source_event_id: 'b' }));
    agg.add(capsule({ event_time_ms: 20, source_event_id: 'c' }));
    agg.flush();
    expect(kinds(agg.drain())).toEqual(['closed@0', 'correction@0', 'flushed@1000']);
    expect(agg.retainedWindows()).toBe(0);
    agg.flush();
    expect(agg.drain()).toEqual([]);
  });

  it('reports events without a usable time as invalid', () => {
    const agg = make();
    const bad = capsule({ event_time_ms: Number.NaN });
    expect(agg.add(bad)).toBe('invalid');
    expect(agg.drain()).toEqual([{ kind: 'invalid', event: bad, reason: expect.any(String) }]);
  });
});

describe('window contents', () => {
  it('fills count, distribution, first/last seen, sources, template and sample', () => {
    const agg = make({ reservoirSize: 3 });
    const severities = [0, 3, 6, 10, 14, 18, 22, 24, 12, 30];
    severities.forEach((severity_number, i) =>
      agg.add(
        capsule({
          source_event_id: `e${i}`,
          event_time_ms: 900 - i * 10,
          severity_number,
          source: i % 3 === 0 ? null : `pod-${i % 4}`,
          template: i === 4 ? 'a-template' : 'z-template',
        }),
      ),
    );
    agg.flush();
    const s = windows(agg.drain())[0]!.state;
    expect(s.count).toBe(10);
    expect(s.severity_distribution).toEqual({
      unspecified: 2,
      trace: 1,
      debug: 1,
      info: 2,
      warn: 1,
      error: 1,
      fatal: 2,
    });
    expect([s.first_seen_ms, s.last_seen_ms]).toEqual([810, 900]);
    // i = 1, 2, 4, 5, 7, 8 carry pod-(i % 4); multiples of 3 carry no source.
    expect(new Set(s.sources)).toEqual(new Set(['pod-0', 'pod-1', 'pod-2', 'pod-3']));
    expect(s.template).toBe('a-template');
    expect(s.reservoir_sample).toHaveLength(3);
    for (const entry of s.reservoir_sample) {
      const i = Number(entry.event_id.slice(1));
      expect(entry).toEqual({
        event_id: `e${i}`,
        event_time_ms: 900 - i * 10,
        severity_number: severities[i],
        redacted_sample: 'GET /api/<ID> took 12 ms',
      });
    }
  });
});

describe('options', () => {
  it.each([
    [{ windowMs: 0 }, /windowMs/],
    [{ reservoirSize: 0 }, /reservoirSize/],
    [{ allowedLatenessMs: -1 }, /allowedLatenessMs/],
    [{ maxOpenWindows: 1.5 }, /maxOpenWindows/],
    [{ maxExactSources: 1 }, /maxExactSources/],
    [{ random: {} }, /random/],
  ])('rejects %j', (bad, message) => {
    expect(() =>
      createAggregator({ random: createRandom(1), ...(bad as Partial<AggregatorOptions>) }),
    ).toThrow(message);
  });
});

/** Property tests of the whole aggregator: conservation, merge of splits, determinism, restore. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamArb, streamWithDuplicatesArb } from '../test/events.ts';
import { foldOutputs, keyOf, NEVER_CLOSE, runAll } from '../test/run.ts';
import {
  createAggregator,
  createRandom,
  hashEventId,
  mergeWindows,
  parseWindowState,
  restoreAggregator,
  SEVERITY_RANGES,
  toSeverityIndex,
  type AggregatorOptions,
  type CapsuleEvent,
  type WindowState,
} from './index.ts';

const optionsArb = fc.record({
  windowMs: fc.constant(100),
  watermarkDelayMs: fc.integer({ min: 0, max: 150 }),
  allowedLatenessMs: fc.integer({ min: 0, max: 150 }),
  reservoirSize: fc.integer({ min: 1, max: 4 }),
  maxOpenWindows: fc.integer({ min: 1, max: 8 }),
  maxExactSources: fc.integer({ min: 2, max: 5 }),
});

/** Independent model of lateness: the watermark before each event decides. */
function modelLate(events: readonly CapsuleEvent[], o: Omit<AggregatorOptions, 'random'>) {
  let max = -Infinity;
  return events.map((e) => {
    const end = Math.floor(e.event_time_ms / o.windowMs!) * o.windowMs! + o.windowMs!;
    const late = max - o.watermarkDelayMs! >= end + o.allowedLatenessMs!;
    max = Math.max(max, e.event_time_ms);
    return late;
  });
}

/** What one window over exactly these distinct events must contain. */
function expectedWindow(events: readonly CapsuleEvent[]) {
  const severity = [0, 0, 0, 0, 0, 0, 0];
  for (const e of events) severity[toSeverityIndex(e.severity_number)]!++;
  const times = events.map((e) => e.event_time_ms);
  return {
    count: events.length,
    severity: Object.fromEntries(SEVERITY_RANGES.map((r, i) => [r, severity[i]])),
    first: Math.min(...times),
    last: Math.max(...times),
    template: events.map((e) => e.template).sort()[0],
    ids: events.map((e) => hashEventId(e.source_event_id)).sort(),
    sources: new Set(events.flatMap((e) => (e.source === null ? [] : [e.source]))).size,
  };
}

function summary(s: WindowState) {
  return {
    count: s.count,
    severity: s.severity_distribution,
    first: s.first_seen_ms,
    last: s.last_seen_ms,
    template: s.template,
    ids: (s.event_hashes.match(/.{16}/g) ?? []).sort(),
    sources: s.sources === null ? -1 : s.sources.length,
  };
}

function byKey(events: readonly CapsuleEvent[], windowMs: number) {
  const groups = new Map<string, Map<string, CapsuleEvent>>();
  for (const e of events) {
    const key = keyOf({ ...e, time_bucket_ms: Math.floor(e.event_time_ms / windowMs) * windowMs });
    const group = groups.get(key) ?? new Map<string, CapsuleEvent>();
    group.set(e.source_event_id, e);
    groups.set(key, group);
  }
  return groups;
}

describe('conservation', () => {
  it('every event ends in exactly one window, the late output, or is a recognised duplicate', () => {
    fc.assert(
      fc.property(streamWithDuplicatesArb, optionsArb, fc.integer(), (events, options, seed) => {
        const { outcomes, outputs } = runAll(events, options, seed);
        const late = modelLate(events, options);
        expect(outcomes.map((o) => o === 'late')).toEqual(late);
        const lateOutputs = outputs.filter((o) => o.kind === 'late');
        expect(lateOutputs.map((o) => o.event)).toEqual(events.filter((_, i) => late[i]));
        const accepted = events.filter((_, i) => !late[i]);
        const merged = foldOutputs(outputs, createRandom(seed));
        const expected = byKey(accepted, 100);
        expect([...merged.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [key, group] of expected) {
          const state = merged.get(key)!;
          expect(parseWindowState(state).ok).toBe(true);
          const want = expectedWindow([...group.values()]);
          const got = summary(state);
          expect({ ...got, sources: null }).toEqual({ ...want, sources: null });
          if (want.sources <= options.maxExactSources) expect(got.sources).toBe(want.sources);
        }
        const tally = { added: 0, corrected: 0, duplicate: 0, late: 0, invalid: 0 };
        for (const o of outcomes) tally[o]++;
        expect(tally.added + tally.corrected + tally.duplicate + tally.late).toBe(events.length);
        // A 'duplicate' outcome always names an id that was already accepted.
        const seen = new Set<string>();
        outcomes.forEach((o, i) => {
          const id = events[i]!.source_event_id;
          if (o === 'duplicate') expect(seen.has(id)).toBe(true);
          if (o === 'added' || o === 'corrected') seen.add(id);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('merge', () => {
  const splitArb = streamArb.chain((events) =>
    fc.record({
      events: fc.constant(events),
      parts: fc.array(fc.integer({ min: 0, max: 3 }), {
        minLength: events.length,
        maxLength: events.length,
      }),
      // Events replayed into a second part (overlap), as after a crash before an offset commit.
      replays: fc.array(fc.tuple(fc.nat({ max: 119 }), fc.integer({ min: 0, max: 3 })), {
        maxLength: 15,
      }),
      order: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
      reservoirSize: fc.integer({ min: 1, max: 5 }),
      seed: fc.integer(),
    }),
  );

  it('merging the windows of any split (with or without replays) equals one pass', () => {
    fc.assert(
      fc.property(splitArb, ({ events, parts, replays, order, reservoirSize, seed }) => {
        // Three exact sources of four possible pods, so some windows switch to the sketch.
        const options = { ...NEVER_CLOSE, reservoirSize, maxExactSources: 3 };
        const single = foldOutputs(runAll(events, options, seed).outputs, createRandom(seed));
        const partEvents: CapsuleEvent[][] = [[], [], [], []];
        events.forEach((e, i) => partEvents[parts[i]!]!.push(e));
        for (const [i, part] of replays) if (i < events.length) partEvents[part]!.push(events[i]!);
        // Merge the parts in an arbitrary order.
        const sequenceOfParts = [0, 1, 2, 3].sort((a, b) => order[a]! - order[b]! || a - b);
        const merged = new Map<string, WindowState>();
        for (const p of sequenceOfParts) {
          foldOutputs(
            runAll(partEvents[p]!, options, seed + p + 1).outputs,
            createRandom(p),
            merged,
          );
        }
        expect([...merged.keys()].sort()).toEqual([...single.keys()].sort());
        for (const [key, one] of single) {
          const many = merged.get(key)!;
          expect(summary(many)).toEqual(summary(one));
          expect(new Set(many.sources)).toEqual(new Set(one.sources));
          expect(many.source_sketch).toEqual(one.source_sketch);
          expect(many.reservoir_sample).toHaveLength(one.reservoir_sample.length);
          const byId = new Map(events.map((e) => [e.source_event_id, e]));
          for (const entry of many.reservoir_sample) {
            expect(byId.get(entry.event_id)?.redacted_sample).toBe(entry.redacted_sample);
          }
          expect(parseWindowState(many).ok).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent and refuses different keys', () => {
    fc.assert(
      fc.property(streamArb, fc.integer(), (events, seed) => {
        for (const state of foldOutputs(
          runAll(events, NEVER_CLOSE, seed).outputs,
          createRandom(1),
        ).values()) {
          const again = mergeWindows(state, state, createRandom(seed));
          expect(again.ok && again.value).toEqual(state);
          const other = mergeWindows(
            state,
            { ...state, service: `${state.service}!` },
            createRandom(1),
          );
          expect(!other.ok && other.error.code).toBe('KEY_MISMATCH');
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('determinism and checkpoints', () => {
  it('gives identical outputs for the same seed', () => {
    fc.assert(
      fc.property(streamWithDuplicatesArb, optionsArb, fc.integer(), (events, options, seed) => {
        expect(runAll(events, options, seed)).toEqual(runAll(events, options, seed));
      }),
      { numRuns: 100 },
    );
  });

  it('a snapshot restored mid-stream continues exactly like an uninterrupted run', () => {
    fc.assert(
      fc.property(
        streamWithDuplicatesArb,
        optionsArb,
        fc.integer(),
        fc.nat(),
        fc.boolean(),
        (events, options, seed, cutAt, drainFirst) => {
          const cut = events.length === 0 ? 0 : cutAt % (events.length + 1);
          // Corrections are coalesced until drain(), so the uninterrupted run drains at the cut too.
          const plain = createAggregator({ ...options, random: createRandom(seed) });
          const straight = {
            outcomes: events.slice(0, cut).map((e) => plain.add(e)),
            outputs: drainFirst ? plain.drain() : [],
          };
          straight.outcomes.push(...events.slice(cut).map((e) => plain.add(e)));
          plain.flush();
          straight.outputs.push(...plain.drain());

          const random = createRandom(seed);
          const first = createAggregator({ ...options, random });
          const outcomes = events.slice(0, cut).map((e) => first.add(e));
          const outputs = drainFirst ? first.drain() : [];
          const checkpoint = JSON.parse(JSON.stringify(first.snapshot())) as unknown;
          const restored = restoreAggregator(
            { ...options, random: createRandom(random.state()) },
            checkpoint,
          );
          if (!restored.ok) throw restored.error;
          const second = restored.value;
          outcomes.push(...events.slice(cut).map((e) => second.add(e)));
          second.flush();
          outputs.push(...second.drain());
          expect({ outcomes, outputs }).toEqual(straight);
          expect(second.stats().events).toBe(events.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

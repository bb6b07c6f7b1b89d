/**
 * Reservoir uniformity: over many seeded runs, every k-subset of a window's events must be drawn
 * equally often (Pearson chi-square, p > 0.01), in one pass and after merges of partial windows.
 * Seeds are fixed, so the tests are deterministic; the biased-sampler test shows they can fail.
 * A partial overlap (each side holds events the other lacks) is not covered: its sample is only
 * approximately uniform, as the README explains.
 */
import { describe, expect, it } from 'vitest';
import { chiSquarePValue, pearsonUniform } from '../test/chi-square.ts';
import { sequence } from '../test/events.ts';
import { foldOutputs, NEVER_CLOSE, runAll } from '../test/run.ts';
import { createRandom, type CapsuleEvent, type SampleEntry, type WindowState } from './index.ts';

const N = 6;
const K = 2;
const RUNS = 3_000;
const events = sequence(N);

/** Index of a k-subset of 0..n-1 among all k-subsets (a dense cell number). */
function subsetCells(n: number, k: number): (ids: number[]) => number {
  const index = new Map<string, number>();
  const walk = (start: number, picked: number[]): void => {
    if (picked.length === k) {
      index.set(picked.join(','), index.size);
      return;
    }
    for (let i = start; i < n; i++) walk(i + 1, [...picked, i]);
  };
  walk(0, []);
  return (ids) => index.get([...ids].sort((a, b) => a - b).join(','))!;
}

const toIndex = (sample: SampleEntry[]) => sample.map((e) => Number(e.event_id.slice(1)));

function subsetPValue(sampleOf: (run: number) => SampleEntry[], n = N, k = K): number {
  const cellOf = subsetCells(n, k);
  let cells = 1;
  for (let i = 0; i < k; i++) cells = (cells * (n - i)) / (i + 1);
  const counts = new Array<number>(cells).fill(0);
  for (let run = 0; run < RUNS; run++) {
    const sample = sampleOf(run);
    expect(sample).toHaveLength(k);
    counts[cellOf(toIndex(sample))]!++;
  }
  return chiSquarePValue(pearsonUniform(counts), cells - 1);
}

const options = { ...NEVER_CLOSE, reservoirSize: K };

function onePass(stream: readonly CapsuleEvent[], seed: number): SampleEntry[] {
  const merged = foldOutputs(runAll(stream, options, seed).outputs, createRandom(seed));
  return [...merged.values()][0]!.reservoir_sample;
}

/** Aggregates fixed, unequal parts of the stream apart (seeded per run) and merges them. */
function mergeParts(run: number, parts: readonly (readonly number[])[]): SampleEntry[] {
  const mergeRandom = createRandom(2_000_000 + run);
  let merged = new Map<string, WindowState>();
  parts.forEach((part, p) => {
    const stream = part.map((i) => events[i]!);
    merged = foldOutputs(runAll(stream, options, run * 3 + p).outputs, mergeRandom, merged);
  });
  return [...merged.values()][0]!.reservoir_sample;
}

describe('reservoir uniformity (chi-square over 3,000 seeded runs, all 15 subsets of 6 choose 2)', () => {
  it('is uniform in one pass (Algorithm R)', () => {
    expect(subsetPValue((run) => onePass(events, run))).toBeGreaterThan(0.01);
  });

  it('is uniform after merging unequal disjoint parts (4 + 1 + 1 events)', () => {
    expect(subsetPValue((run) => mergeParts(run, [[0, 1, 2, 3], [4], [5]]))).toBeGreaterThan(0.01);
  });

  it('is uniform after merging a part with a replay that contains it', () => {
    expect(
      subsetPValue((run) =>
        mergeParts(run, [
          [0, 1, 2],
          [0, 1, 2, 3, 4, 5],
        ]),
      ),
    ).toBeGreaterThan(0.01);
  });

  it('is uniform after merging a closed window with its later correction', () => {
    // A window closes after 4 events, 2 late events arrive, and the store merges both emissions.
    const sampleOf = (run: number) => {
      const stream = [
        ...sequence(4, 'e', 10),
        ...sequence(2, 'e', 90).map((e, i) => ({ ...e, source_event_id: `e${4 + i}` })),
      ];
      const ordered = [
        stream[0]!,
        stream[1]!,
        stream[2]!,
        stream[3]!,
        { ...stream[0]!, source_event_id: 'x', event_time_ms: 150, fingerprint_hash: 'other' },
        stream[4]!,
        stream[5]!,
      ];
      const out = runAll(
        ordered,
        { windowMs: 100, watermarkDelayMs: 0, allowedLatenessMs: 1_000, reservoirSize: K },
        run,
      ).outputs;
      const merged = foldOutputs(out, createRandom(run + 7));
      return [...merged.values()].find((s) => s.fingerprint_hash === 'fp-a')!.reservoir_sample;
    };
    expect(subsetPValue(sampleOf)).toBeGreaterThan(0.01);
  });

  it('detects a biased sampler (keeping the first K events fails the test)', () => {
    const biased = (run: number) => {
      const sample = onePass(events, run);
      return run % 3 === 0
        ? events.slice(0, K).map((e) => ({ ...sample[0]!, event_id: e.source_event_id }))
        : sample;
    };
    expect(subsetPValue(biased)).toBeLessThan(0.01);
  });
});

describe('reservoir inclusion frequencies (50 events, K = 10, 2,000 runs, 4 parts merged)', () => {
  it('includes every event equally often', () => {
    const n = 50;
    const k = 10;
    const stream = sequence(n);
    const counts = new Array<number>(n).fill(0);
    const runs = 2_000;
    for (let run = 0; run < runs; run++) {
      const random = createRandom(run);
      // Fixed chunks of 25, 12, 8 and 5 events: a wrong merge weight favours some chunk.
      const parts = [
        stream.slice(0, 25),
        stream.slice(25, 37),
        stream.slice(37, 45),
        stream.slice(45),
      ];
      let merged = new Map<string, WindowState>();
      parts.forEach((part, p) => {
        merged = foldOutputs(
          runAll(part, { ...NEVER_CLOSE, reservoirSize: k }, run * 4 + p).outputs,
          random,
          merged,
        );
      });
      for (const i of toIndex([...merged.values()][0]!.reservoir_sample)) counts[i]!++;
    }
    // Inclusions are without replacement: var = runs p (1 - p), covariance -var / (n - 1), so
    // sum((O - E)^2) / var * (n - 1) / n follows chi-square(n - 1).
    const p = k / n;
    const expected = runs * p;
    const variance = runs * p * (1 - p);
    const statistic =
      (counts.reduce((s, o) => s + (o - expected) ** 2, 0) / variance) * ((n - 1) / n);
    expect(chiSquarePValue(statistic, n - 1)).toBeGreaterThan(0.01);
  });
});

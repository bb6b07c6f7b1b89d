/**
 * The console's wire types (src/api/types.ts) against the engine's views: each engine view must be
 * assignable to what the console reads, so a renamed or retyped field fails `tsc` here (the views hold only JSON values: strings,
 * numbers, booleans, null, arrays and plain objects). The runtime
 * part checks a value built with the engine's types goes through JSON into the console's shape.
 */
import type * as Engine from '@slo-scout/engine';
import { describe, expect, it } from 'vitest';
import type * as Wire from '../src/api/types.ts';

/** Compiles only when `A` is assignable to `B`; counts the checks at run time. */
let checks = 0;
function assignable<A, B>(identity: (a: A) => B): (a: A) => B {
  checks++;
  return identity;
}

describe('wire types follow the engine', () => {
  it('every view the API returns is readable as the console type', () => {
    assignable<Engine.JourneyDetail, Wire.JourneyDetail>((v) => v);
    assignable<Engine.RecommendationView, Wire.RecommendationView>((v) => v);
    assignable<Engine.SliHistory, Wire.SliHistory>((v) => v);
    assignable<Engine.ArtifactView, Wire.ArtifactView>((v) => v);
    assignable<Engine.ValidationReport, Wire.ValidationReport>((v) => v);
    assignable<Engine.ArtifactDiff, Wire.ArtifactDiff>((v) => v);
    assignable<Engine.PublishedPullRequest, Wire.PublishedPullRequest>((v) => v);
    assignable<Engine.IngestStatus, Wire.IngestStatus>((v) => v);
    expect(checks).toBe(8);
  });

  it('a history survives JSON as the console reads it', () => {
    const h: Engine.SliHistory = {
      sliId: 's',
      stepMs: 300_000,
      points: [{ tMs: 0, good: 9, total: 10 }],
      target: 0.9,
      alerts: [{ severity: 'page', startMs: 0, endMs: 1 }],
    };
    const back = JSON.parse(JSON.stringify(h)) as Wire.SliHistory;
    expect(back).toEqual(h);
  });
});

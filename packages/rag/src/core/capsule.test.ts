import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capsuleEventArb, capsuleWindowArb, notTrueArb } from '../../test/arbitraries.ts';
import { checkRedacted, isRedacted, toCapsuleDocument, type CapsuleInput } from './capsule.ts';

describe('redaction gate', () => {
  it('refuses events and windows whose redaction_applied is not literally true', () => {
    fc.assert(
      fc.property(fc.oneof(capsuleEventArb, capsuleWindowArb), notTrueArb, (record, flag) => {
        const bad = { ...record, redaction_applied: flag } as unknown as CapsuleInput;
        const result = toCapsuleDocument(bad);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('UNREDACTED_INPUT');
      }),
    );
  });

  it('refuses a window that carries no flag at all (the Avro window record has none)', () => {
    const [window] = fc.sample(capsuleWindowArb, { numRuns: 1, seed: 1 });
    const { redaction_applied: _, ...bare } = window!;
    expect(isRedacted(bare)).toBe(false);
    expect(checkRedacted(bare).ok).toBe(false);
    expect(isRedacted(null)).toBe(false);
  });
});

describe('toCapsuleDocument', () => {
  it('buckets an event by time and cites its source event', () => {
    fc.assert(
      fc.property(capsuleEventArb, fc.integer({ min: 1, max: 3_600_000 }), (event, bucketMs) => {
        const doc = toCapsuleDocument(event, { bucketMs });
        if (!doc.ok) throw doc.error;
        const d = doc.value;
        expect(d.timeBucketMs % bucketMs).toBe(0);
        expect(d.timeBucketMs).toBeLessThanOrEqual(event.event_time_ms);
        expect(event.event_time_ms - d.timeBucketMs).toBeLessThan(bucketMs);
        expect(d.sampleRefs).toEqual([event.source_event_id]);
        expect(d.id).toBe(`${event.fingerprint_hash}:${event.service}:${d.timeBucketMs}`);
        expect(d.severity).toBe(event.severity_number);
        expect(d.redactionApplied).toBe(true);
      }),
    );
  });

  it('takes a window severity from its highest populated range and its samples', () => {
    fc.assert(
      fc.property(capsuleWindowArb, (window) => {
        const doc = toCapsuleDocument(window, { maxSampleRefs: 3 });
        if (!doc.ok) throw doc.error;
        const d = doc.value;
        const sampleMax = Math.max(0, ...window.reservoir_sample.map((s) => s.severity_number));
        expect(d.severity).toBeGreaterThanOrEqual(sampleMax);
        if (window.severity_distribution.fatal > 0) expect(d.severity).toBeGreaterThanOrEqual(21);
        expect(d.sampleRefs).toEqual(window.reservoir_sample.slice(0, 3).map((s) => s.event_id));
        expect(d.count).toBe(window.count);
        expect(d.timeBucketMs).toBe(window.time_bucket_ms);
      }),
    );
  });

  it('gives error severity 17 for a window with only error counts and no samples', () => {
    const [window] = fc.sample(capsuleWindowArb, { numRuns: 1, seed: 3 });
    const w = {
      ...window!,
      reservoir_sample: [],
      severity_distribution: {
        unspecified: 0,
        trace: 0,
        debug: 2,
        info: 0,
        warn: 0,
        error: 1,
        fatal: 0,
      },
    };
    const doc = toCapsuleDocument(w);
    expect(doc.ok && doc.value.severity).toBe(17);
  });
});

/** Test helpers: capsule events and streams. */
import fc from 'fast-check';
import type { CapsuleEvent } from '../src/index.ts';

/** A valid CapsuleEvent with sensible defaults. */
export function capsule(overrides: Partial<CapsuleEvent> = {}): CapsuleEvent {
  return {
    fingerprint_hash: 'fp-a',
    template: 'GET /api/<*> took <*> ms',
    service: 'checkout',
    severity_number: 9,
    severity_text: 'INFO',
    event_time_ms: 0,
    redacted_sample: 'GET /api/<ID> took 12 ms',
    redaction_applied: true,
    source_event_id: 'e-0',
    source_kind: 'log',
    parameters: [],
    trace_id: null,
    source: 'pod-1',
    ...overrides,
  };
}

/** `n` events of one key with ids `${prefix}0..n-1`, one per millisecond from `startMs`. */
export function sequence(n: number, prefix = 'e', startMs = 0): CapsuleEvent[] {
  return Array.from({ length: n }, (_, i) =>
    capsule({ source_event_id: `${prefix}${i}`, event_time_ms: startMs + i }),
  );
}

/** Any stream of events over a few keys and buckets (window size 100 ms), ids unique per event. */
export const streamArb: fc.Arbitrary<CapsuleEvent[]> = fc
  .array(
    fc.record({
      fingerprint_hash: fc.constantFrom('fp-a', 'fp-b', 'fp-c'),
      service: fc.constantFrom('checkout', 'cart'),
      template: fc.constantFrom('t-1', 't-2'),
      severity_number: fc.integer({ min: -1, max: 26 }),
      event_time_ms: fc.integer({ min: 0, max: 599 }),
      source: fc.option(fc.constantFrom('pod-1', 'pod-2', 'pod-3', 'pod-4'), { nil: null }),
    }),
    { maxLength: 120 },
  )
  .map((rows) =>
    rows.map((row, i) =>
      capsule({ ...row, source_event_id: `id-${i}`, redacted_sample: `sample ${i}` }),
    ),
  );

/** A stream with some events repeated later (same id and payload), as a replay would. */
export const streamWithDuplicatesArb: fc.Arbitrary<CapsuleEvent[]> = streamArb.chain((events) =>
  fc
    .array(fc.nat({ max: Math.max(0, events.length - 1) }), {
      maxLength: events.length === 0 ? 0 : 20,
    })
    .chain((picks) =>
      fc.shuffledSubarray([...events, ...picks.map((i) => events[i]!)], {
        minLength: events.length + picks.length,
      }),
    ),
);

/** fast-check arbitraries for capsule records. */
import fc from 'fast-check';
import type { CapsuleEvent, CapsuleWindow } from '@slo-scout/schema';
import type { RedactedCapsuleWindow } from '../src/index.ts';

const word = fc.constantFrom(
  'payment',
  'failed',
  'timeout',
  'login',
  'disk',
  'full',
  '<*>',
  'user',
  'retry',
  'order',
);
export const templateArb = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
export const serviceArb = fc.constantFrom('checkout', 'auth', 'search', 'cart');
export const fingerprintArb = fc.constantFrom('fpa', 'fpb', 'fpc', 'fpd', 'fpe');

export const capsuleEventArb: fc.Arbitrary<CapsuleEvent> = fc.record({
  fingerprint_hash: fingerprintArb,
  template: templateArb,
  service: serviceArb,
  severity_number: fc.integer({ min: 0, max: 24 }),
  severity_text: fc.constant(null),
  event_time_ms: fc.integer({ min: 1_700_000_000_000, max: 1_700_900_000_000 }),
  redacted_sample: templateArb,
  redaction_applied: fc.constant(true),
  source_event_id: fc.uuid(),
  source_kind: fc.constantFrom('log' as const, 'trace' as const, 'rum' as const),
  parameters: fc.array(fc.string(), { maxLength: 3 }),
  trace_id: fc.constant(null),
  source: fc.constant(null),
});

export const capsuleWindowArb: fc.Arbitrary<RedactedCapsuleWindow> = fc
  .record({
    fingerprint_hash: fingerprintArb,
    service: serviceArb,
    template: templateArb,
    bucket: fc.integer({ min: 0, max: 10_000 }),
    count: fc.integer({ min: 1, max: 10_000 }),
    dist: fc.array(fc.nat({ max: 50 }), { minLength: 7, maxLength: 7 }),
    samples: fc.array(
      fc.record({ event_id: fc.uuid(), severity_number: fc.integer({ min: 0, max: 24 }) }),
      {
        maxLength: 6,
      },
    ),
  })
  .map(({ bucket, dist, samples, ...rest }): RedactedCapsuleWindow => {
    const time_bucket_ms = 1_700_000_000_000 + bucket * 60_000;
    const window: CapsuleWindow = {
      ...rest,
      time_bucket_ms,
      window_size_ms: 60_000,
      severity_distribution: {
        unspecified: dist[0] ?? 0,
        trace: dist[1] ?? 0,
        debug: dist[2] ?? 0,
        info: dist[3] ?? 0,
        warn: dist[4] ?? 0,
        error: dist[5] ?? 0,
        fatal: dist[6] ?? 0,
      },
      reservoir_sample: samples.map((s) => ({
        ...s,
        event_time_ms: time_bucket_ms + 1,
        redacted_sample: 'x',
      })),
      distinct_sources: 1,
      first_seen_ms: time_bucket_ms,
      last_seen_ms: time_bucket_ms + 59_000,
    };
    return { ...window, redaction_applied: true };
  });

/** Anything that is not literally `true`. */
export const notTrueArb = fc.oneof(
  fc.constant(false),
  fc.constant(undefined),
  fc.constant(null),
  fc.constant('true'),
  fc.constant(1),
  fc.constant({}),
);

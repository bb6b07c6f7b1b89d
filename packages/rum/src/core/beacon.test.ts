import { decodeRumBeacon, validateRumBeacon } from '@slo-scout/collectors';
import { telemetryEventType } from '@slo-scout/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, toBeacons, utf8Length, type QueuedEvent, type RumBeaconEvent } from './beacon.ts';

const text = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 200,
});
const eventArb: fc.Arbitrary<Omit<RumBeaconEvent, 'seq'>> = fc.oneof(
  fc.record({ t: fc.constant('page_view' as const), ts: fc.nat(), route: text }),
  fc.record({
    t: fc.constant('route_change' as const),
    ts: fc.nat(),
    route: text,
    attrs: fc.record({ from: text }),
  }),
  fc.record({
    t: fc.constant('web_vital' as const),
    ts: fc.nat(),
    name: fc.constantFrom('LCP', 'INP', 'CLS', 'FCP', 'TTFB'),
    value: fc.double({ min: 0, max: 1e5, noNaN: true }),
    rating: fc.constantFrom('good', 'needs-improvement', 'poor'),
  }),
  fc.record({
    t: fc.constant('js_error' as const),
    ts: fc.nat(),
    message: text,
    journey: text,
    step: text,
  }),
  fc.record({
    t: fc.constant('resource_error' as const),
    ts: fc.nat(),
    url: text,
    method: fc.constantFrom('GET', 'POST'),
    status: fc.integer({ min: 0, max: 599 }),
    duration: fc.double({ min: 0, max: 1e5, noNaN: true }),
  }),
);
const queueArb = fc
  .array(fc.tuple(fc.constantFrom('sessionAAAA', 'sessionBBBB', 'sessionCCCC'), eventArb), {
    maxLength: 60,
  })
  .map((xs) => xs.map(([sid, e], seq): QueuedEvent => ({ sid, event: { ...e, seq } })));

describe('beacon encoding', () => {
  it('utf8Length matches TextEncoder, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: 'binary' })), (s) => {
        expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
      }),
    );
  });

  it('packs every event exactly once into beacons the collectors receiver accepts', () => {
    fc.assert(
      fc.property(
        queueArb,
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 200, max: 4000 }),
        fc.option(fc.constantFrom('shop', 'web.front-end'), { nil: undefined }),
        (queue, maxEvents, maxBytes, svc) => {
          const beacons = toBeacons(queue, svc, { maxEvents, maxBytes });
          const seen: QueuedEvent[] = [];
          for (const b of beacons) {
            const parsed: unknown = JSON.parse(b.body);
            const valid = validateRumBeacon(parsed);
            if (!valid.ok) throw valid.error;
            expect(valid.value.events).toEqual(b.items.map((q) => q.event));
            expect(new Set(b.items.map((q) => q.sid))).toEqual(new Set([valid.value.sid]));
            expect(valid.value.svc).toBe(svc);
            expect(b.items.length).toBeLessThanOrEqual(maxEvents);
            if (b.items.length > 1) expect(utf8Length(b.body)).toBeLessThanOrEqual(maxBytes);
            const decoded = decodeRumBeacon(new TextEncoder().encode(b.body), {
              observedTimeMs: 1,
              userAgent: null,
            });
            if (!decoded.ok) throw decoded.error;
            for (const e of decoded.value.events)
              expect(telemetryEventType.check(e)).toBeUndefined();
            seen.push(...b.items);
          }
          // Same multiset, and the order within each session is kept.
          for (const sid of new Set(queue.map((q) => q.sid))) {
            expect(seen.filter((q) => q.sid === sid)).toEqual(queue.filter((q) => q.sid === sid));
          }
          expect(seen.length).toBe(queue.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('clips long strings to the receiver limit', () => {
    expect(clip('x'.repeat(5000))).toHaveLength(4096);
    expect(clip('abc', 2)).toBe('ab');
  });
});

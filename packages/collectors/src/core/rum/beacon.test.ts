import { telemetryEventType } from '@slo-scout/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRumBeacon } from './beacon.ts';

const ctx = { observedTimeMs: 1, userAgent: 'UA', defaultService: 'web' };
const enc = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
const eventArb = fc.oneof(
  fc.record({ t: fc.constant('page_view'), route: fc.string({ maxLength: 30 }) }),
  fc.record({
    t: fc.constant('web_vital'),
    name: fc.constantFrom('LCP', 'INP', 'CLS'),
    value: fc.double({ min: 0, max: 1e5, noNaN: true }),
    rating: fc.constantFrom('good', 'poor'),
  }),
  fc.record({ t: fc.constant('js_error'), message: fc.string({ maxLength: 50 }) }),
  fc.record({
    t: fc.constant('resource_error'),
    url: fc.webUrl(),
    status: fc.integer({ min: 0, max: 599 }),
    duration: fc.double({ min: 0, max: 1e4, noNaN: true }),
  }),
);
const beaconArb = fc.record({
  sid: fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/),
  events: fc.array(fc.tuple(eventArb, fc.integer({ min: 0, max: 2e12 })), {
    minLength: 1,
    maxLength: 10,
  }),
});

describe('RUM beacon decoder', () => {
  it('accepts valid beacons, producing valid events with ids stable across re-sends', () => {
    fc.assert(
      fc.property(beaconArb, ({ sid, events }) => {
        const beacon = {
          v: 1,
          sid,
          events: events.map(([e, ts], seq) => ({ ...e, ts, seq, journey: 'checkout' })),
        };
        const a = decodeRumBeacon(enc(beacon), ctx);
        const b = decodeRumBeacon(enc(beacon), { ...ctx, observedTimeMs: 2 });
        if (!a.ok || !b.ok) throw new Error(!a.ok ? a.error.message : 'b failed');
        expect(a.value.events.map((e) => e.event_id)).toEqual(
          b.value.events.map((e) => e.event_id),
        );
        expect(new Set(a.value.events.map((e) => e.event_id)).size).toBe(events.length);
        for (const e of a.value.events) {
          expect(telemetryEventType.check(e)).toBeUndefined();
          expect(e.rum).toMatchObject({ session_id: sid, journey: 'checkout', user_agent: 'UA' });
        }
      }),
      { numRuns: 100 },
    );
  });

  it('rejects wrong shapes with a typed error naming the field', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const out = decodeRumBeacon(enc(value), ctx);
        expect(out.ok).toBe(false);
        if (!out.ok) expect(['BAD_JSON', 'BAD_SHAPE']).toContain(out.error.code);
      }),
      { numRuns: 300 },
    );
    const bad = decodeRumBeacon(
      enc({ v: 1, sid: 'abcdefgh', events: [{ t: 'web_vital', ts: 1, seq: 0, name: 'LCP' }] }),
      ctx,
    );
    expect(!bad.ok && bad.error.message).toMatch(/events\[0\]/);
    expect(decodeRumBeacon(new Uint8Array([0xff, 0xfe]), ctx).ok).toBe(false);
  });
});

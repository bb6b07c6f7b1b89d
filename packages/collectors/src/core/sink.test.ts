import { createTelemetryEvent } from '@slo-scout/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './limits/rate-limiter.ts';
import { createMemorySink } from './sink.ts';

const ev = (id: string) =>
  createTelemetryEvent({ event_id: id, kind: 'log', service: 's', event_time_ms: 1 });

describe('memory sink', () => {
  it('holds each event_id once, in first-accepted order, whatever is re-published', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.integer({ min: 0, max: 20 }))), async (batches) => {
        const sink = createMemorySink();
        for (const b of batches) await sink.publish(b.map((n) => ev(`e${n}`)));
        const expected = [...new Set(batches.flat())].map((n) => `e${n}`);
        expect(sink.events().map((e) => e.event_id)).toEqual(expected);
      }),
    );
  });

  it('refuses a whole batch beyond capacity and frees room on drain', async () => {
    const sink = createMemorySink({ capacity: 2 });
    expect((await sink.publish([ev('a'), ev('b'), ev('c')])).ok).toBe(false);
    expect(sink.size).toBe(0);
    expect((await sink.publish([ev('a'), ev('b')])).ok).toBe(true);
    expect(sink.drain(1).map((e) => e.event_id)).toEqual(['a']);
    expect((await sink.publish([ev('c')])).ok).toBe(true);
    expect(() => createMemorySink({ capacity: 0 })).toThrow(/capacity/);
  });
});

describe('rate limiter', () => {
  it('never admits more than burst + rate * elapsed per token', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 20 })), {
          maxLength: 60,
        }),
        (steps) => {
          const limiter = createRateLimiter({ ratePerSecond: 10, burst: 20 });
          let now = 0;
          let admitted = 0;
          for (const [dt, cost] of steps) {
            now += dt;
            if (limiter.take('t', cost, now) === 0) admitted += cost;
          }
          expect(admitted).toBeLessThanOrEqual(20 + (10 * now) / 1000 + 20);
        },
      ),
    );
  });

  it('tells how long to wait, and keeps tokens apart', () => {
    const limiter = createRateLimiter({ ratePerSecond: 2, burst: 2 });
    expect(limiter.take('a', 2, 0)).toBe(0);
    expect(limiter.take('a', 1, 0)).toBe(500);
    expect(limiter.take('b', 1, 0)).toBe(0);
    expect(limiter.take('a', 1, 500)).toBe(0);
    expect(() => createRateLimiter({ ratePerSecond: 0 })).toThrow();
  });
});

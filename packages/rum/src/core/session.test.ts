import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isSampled,
  newSessionId,
  parseSession,
  serializeSession,
  touchSession,
  type SessionState,
} from './session.ts';

let counter = 0;
const freshId = () => `fresh${String(counter++).padStart(17, '0')}`;
const policy = { inactivityMs: 30 * 60_000, maxDurationMs: 4 * 3_600_000, newId: freshId };
const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{22}$/);
const stateArb = fc.record({
  id: idArb,
  startedAt: fc.integer({ min: 0, max: 2e12 }),
  lastSeenAt: fc.integer({ min: 0, max: 2e12 }),
  nextSeq: fc.nat(),
});
describe('sessions', () => {
  it('ids are 22 characters of the receiver alphabet, for any random source in [0, 1)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })), (xs) => {
        let i = 0;
        const id = newSessionId(() => xs[i++ % Math.max(1, xs.length)] ?? 0);
        expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      }),
    );
  });

  it('keeps the session within the inactivity gap and rotates after it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 2 * policy.inactivityMs }), { maxLength: 30 }),
        (start, gaps) => {
          let s: SessionState | undefined;
          let now = start;
          s = touchSession(s, now, policy);
          expect(s.nextSeq).toBe(0);
          for (const gap of gaps) {
            now += gap;
            const before: SessionState = { ...s, nextSeq: s.nextSeq + 1 };
            s = touchSession(before, now, policy);
            const expired =
              gap > policy.inactivityMs || now - before.startedAt > policy.maxDurationMs;
            if (expired) {
              expect(s.id).not.toBe(before.id);
              expect(s).toMatchObject({ startedAt: now, lastSeenAt: now, nextSeq: 0 });
            } else {
              expect(s).toEqual({ ...before, lastSeenAt: now });
            }
          }
        },
      ),
    );
  });

  it('rotates when the clock goes back before the session start', () => {
    const s = touchSession(undefined, 1000, policy);
    expect(touchSession(s, 999, policy).id).not.toBe(s.id);
  });

  it('round-trips through storage, and reads garbage as no session without throwing', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        expect(parseSession(serializeSession(s))).toEqual(s);
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const out = parseSession(text);
          if (out !== undefined) expect(out.id).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
        },
      ),
    );
    expect(parseSession('{"id":"short","startedAt":1,"lastSeenAt":1,"nextSeq":0}')).toBeUndefined();
    expect(parseSession(null)).toBeUndefined();
  });
});

describe('sampling', () => {
  it('is deterministic per session and monotone in the rate', () => {
    fc.assert(
      fc.property(
        idArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (id, a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(isSampled(id, lo)).toBe(isSampled(id, lo));
          if (isSampled(id, lo)) expect(isSampled(id, hi)).toBe(true);
          expect(isSampled(id, 0)).toBe(false);
          expect(isSampled(id, 1)).toBe(true);
        },
      ),
    );
  });

  it('keeps about `rate` of random sessions', () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    const ids = Array.from({ length: 4000 }, () => newSessionId(random));
    for (const rate of [0.1, 0.5, 0.9]) {
      const kept = ids.filter((id) => isSampled(id, rate)).length / ids.length;
      expect(Math.abs(kept - rate)).toBeLessThan(0.03);
    }
  });
});

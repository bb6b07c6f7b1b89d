import { decodeRumBeacon, validateRumBeacon } from '@slo-scout/collectors';
import { describe, expect, it } from 'vitest';
import { createFakeEnv, settle } from '../test/fake-env.ts';
import { createRum, type RumOptions } from './client.ts';
import { RumError } from './core/errors.ts';
import { isSampled } from './core/session.ts';

const endpoint = 'https://rum.example/rum/v1/beacon';
type Fake = ReturnType<typeof createFakeEnv>;

function start(fake: Fake, options: Partial<RumOptions> = {}) {
  return createRum({ endpoint, environment: fake.env, ...options });
}

/** Every beacon sent, validated by the collectors' receiver validator. */
function sent(fake: Fake) {
  return fake.bodies().map((b) => {
    const v = validateRumBeacon(JSON.parse(b));
    if (!v.ok) throw v.error;
    return v.value;
  });
}
const events = (fake: Fake) =>
  sent(fake).flatMap((b) => b.events.map((e) => ({ ...e, sid: b.sid })));

describe('consent', () => {
  it('sends nothing and touches no storage before consent, then sends what was queued', () => {
    const fake = createFakeEnv({ sendBeacon: true });
    const rum = start(fake, { flushIntervalMs: 100 });
    rum.record({ t: 'js_error', message: 'boom' });
    fake.advance(10_000);
    fake.hide();
    fake.fireWindow('pagehide');
    rum.flush();
    expect(fake.bodies()).toEqual([]);
    expect(fake.storageCalls).toEqual([]);
    expect(rum.queued).toBe(2);
    rum.setConsent(true);
    expect(events(fake).map((e) => e.t)).toEqual(['page_view', 'js_error']);
    expect(fake.store.size).toBe(1);
    expect(rum.queued).toBe(0);
  });

  it('drops the queue and the stored session when consent is denied, and records nothing after', () => {
    const fake = createFakeEnv({ sendBeacon: true });
    const rum = start(fake, { consent: 'granted', flushIntervalMs: 100 });
    expect(fake.store.size).toBe(1);
    rum.record({ t: 'js_error', message: 'x' });
    rum.setConsent(false);
    rum.record({ t: 'js_error', message: 'y' });
    fake.advance(1000);
    rum.flush();
    expect(fake.bodies()).toEqual([]);
    expect(fake.store.size).toBe(0);
    expect(rum.consent).toBe('denied');
  });

  it('moves events queued before consent onto the session an earlier page of this tab stored', () => {
    const storage = new Map<string, string>();
    const first = createFakeEnv({ sendBeacon: true, storage, seed: 1 });
    const a = start(first, { consent: 'granted' });
    a.record({ t: 'js_error', message: 'a' });
    a.flush();
    const second = createFakeEnv({ sendBeacon: true, storage, seed: 2 });
    const b = start(second);
    expect(b.sessionId).not.toBe(a.sessionId);
    b.setConsent(true);
    expect(b.sessionId).toBe(a.sessionId);
    const all = [...events(first), ...events(second)];
    expect(new Set(all.map((e) => e.sid))).toEqual(new Set([a.sessionId]));
    expect(all.map((e) => e.seq)).toEqual([0, 1, 2]);
  });
  it('drops queued events when the adopted session is sampled out', () => {
    // Find two seeds whose first session ids fall on either side of a 0.5 sampling rate.
    const idFor = (seed: number) => start(createFakeEnv({ seed }), { sampleRate: 1 }).sessionId;
    const seeds = Array.from({ length: 50 }, (_, i) => i + 1);
    const outSeed = seeds.find((s) => !isSampled(idFor(s), 0.5))!;
    const inSeed = seeds.find((s) => isSampled(idFor(s), 0.5))!;
    const storage = new Map<string, string>();
    const first = createFakeEnv({ sendBeacon: true, storage, seed: outSeed });
    start(first, { consent: 'granted', sampleRate: 0.5 }).flush();
    expect(first.bodies()).toEqual([]);
    const second = createFakeEnv({ sendBeacon: true, storage, seed: inSeed });
    const b = start(second, { sampleRate: 0.5 });
    expect(b.queued).toBe(1);
    b.setConsent(true);
    expect(b.sessionId).toBe(idFor(outSeed));
    expect(b.queued).toBe(0);
    expect(second.bodies()).toEqual([]);
  });
});

describe('batching and transport', () => {
  it('sends when the batch is full, on the timer, and when the page is hidden', () => {
    const fake = createFakeEnv({ sendBeacon: true });
    const rum = start(fake, { consent: 'granted', maxBatchEvents: 3, flushIntervalMs: 1000 });
    rum.record({ t: 'js_error', message: '1' });
    expect(fake.beacons).toHaveLength(0);
    rum.record({ t: 'js_error', message: '2' });
    expect(fake.beacons).toHaveLength(1);
    expect(sent(fake)[0]!.events).toHaveLength(3);
    rum.record({ t: 'js_error', message: '3' });
    fake.advance(999);
    expect(fake.beacons).toHaveLength(1);
    fake.advance(1);
    expect(fake.beacons).toHaveLength(2);
    rum.record({ t: 'js_error', message: '4' });
    fake.hide();
    expect(fake.beacons).toHaveLength(3);
    rum.record({ t: 'js_error', message: '5' });
    fake.fireWindow('pagehide');
    expect(events(fake).map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(fake.pendingTimers()).toBe(0);
  });

  it('falls back to fetch with keepalive when sendBeacon is missing or refuses', async () => {
    for (const sendBeacon of [undefined, false]) {
      const fake = createFakeEnv({ sendBeacon });
      const rum = start(fake, { consent: 'granted', service: 'shop' });
      rum.flush();
      await settle();
      expect(fake.fetches).toHaveLength(1);
      expect(fake.fetches[0]).toMatchObject({
        url: endpoint,
        init: { method: 'POST', keepalive: true, credentials: 'omit' },
      });
      expect(sent(fake)[0]).toMatchObject({
        v: 1,
        svc: 'shop',
        events: [{ t: 'page_view', route: '/' }],
      });
    }
  });

  it('re-sends the same events (same seq, so the same event ids) after a 503, and drops after a 400', async () => {
    let status = 503;
    const fake = createFakeEnv({ fetchReply: () => ({ status }) });
    const rum = start(fake, { consent: 'granted', flushIntervalMs: 100 });
    rum.flush();
    await settle();
    expect(rum.queued).toBe(1);
    status = 204;
    fake.advance(100);
    await settle();
    expect(rum.queued).toBe(0);
    const [a, b] = fake
      .bodies()
      .map((body) =>
        decodeRumBeacon(new TextEncoder().encode(body), { observedTimeMs: 0, userAgent: null }),
      );
    expect(a?.ok && b?.ok && a.value.events[0]!.event_id === b.value.events[0]!.event_id).toBe(
      true,
    );
    status = 400;
    rum.record({ t: 'js_error', message: 'bad' });
    rum.flush();
    await settle();
    expect(rum.queued).toBe(0);
    fake.advance(10_000);
    expect(fake.fetches).toHaveLength(3);
  });

  it('gives up on an event after three failed attempts, and never holds more than maxQueue', async () => {
    const fake = createFakeEnv({ fetchReply: () => new Error('offline') });
    const rum = start(fake, {
      consent: 'granted',
      flushIntervalMs: 100,
      maxQueue: 5,
      maxBatchEvents: 100,
    });
    for (let i = 0; i < 10; i++) rum.record({ t: 'js_error', message: String(i) });
    expect(rum.queued).toBe(5);
    for (let i = 0; i < 5; i++) {
      rum.flush();
      await settle();
    }
    expect(fake.fetches).toHaveLength(3);
    expect(rum.queued).toBe(0);
  });

  it('splits a large queue into beacons under the byte limit', () => {
    const fake = createFakeEnv({ sendBeacon: true });
    const rum = start(fake, { consent: 'granted', maxBeaconBytes: 2000, maxBatchEvents: 500 });
    for (let i = 0; i < 40; i++) rum.record({ t: 'js_error', message: 'x'.repeat(200) });
    rum.flush();
    expect(fake.beacons.length).toBeGreaterThan(4);
    for (const b of fake.beacons) expect(b.length).toBeLessThanOrEqual(2000);
    expect(events(fake)).toHaveLength(41);
  });
});

describe('sessions and sampling', () => {
  it('keeps one session while active, rotates after inactivity, and continues it after a reload', () => {
    const storage = new Map<string, string>();
    const fake = createFakeEnv({ sendBeacon: true, storage });
    const rum = start(fake, { consent: 'granted', sessionInactivityMs: 60_000 });
    const first = rum.sessionId;
    fake.advance(59_000);
    rum.record({ t: 'js_error', message: 'a' });
    expect(rum.sessionId).toBe(first);
    fake.advance(61_000);
    rum.record({ t: 'js_error', message: 'b' });
    const second = rum.sessionId;
    expect(second).not.toBe(first);
    rum.flush();
    const reload = createFakeEnv({ sendBeacon: true, storage, seed: 99 });
    reload.advance(125_000);
    const again = start(reload, { consent: 'granted', sessionInactivityMs: 60_000 });
    expect(again.sessionId).toBe(second);
    again.flush();
    const all = [...events(fake), ...events(reload)];
    expect(all.map((e) => [e.sid, e.seq])).toEqual([
      [first, 0],
      [first, 1],
      [second, 0],
      [second, 1],
    ]);
  });

  it('reading the session id does not keep the session alive', () => {
    const fake = createFakeEnv({ sendBeacon: true });
    const rum = start(fake, { consent: 'granted', sessionInactivityMs: 60_000 });
    const first = rum.sessionId;
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      fake.advance(30_000);
      seen.push(rum.sessionId);
    }
    // Live for 60 s after the page view, however often it is read; then a new session.
    expect(seen.slice(0, 2)).toEqual([first, first]);
    expect(seen[2]).not.toBe(first);
  });

  it('samples whole sessions: all events of a session or none, about sampleRate of sessions', () => {
    let kept = 0;
    const runs = 400;
    for (let seed = 1; seed <= runs; seed++) {
      const fake = createFakeEnv({ sendBeacon: true, seed });
      const rum = start(fake, { consent: 'granted', sampleRate: 0.25 });
      rum.record({ t: 'js_error', message: 'x' });
      rum.flush();
      const n = events(fake).length;
      expect(n === 0 || n === 2).toBe(true);
      expect(n === 2).toBe(rum.sampled);
      if (n === 2) kept++;
    }
    expect(Math.abs(kept / runs - 0.25)).toBeLessThan(0.07);
    const none = createFakeEnv({ sendBeacon: true });
    start(none, { consent: 'granted', sampleRate: 0 }).flush();
    expect(none.bodies()).toEqual([]);
  });
});

describe('journeys and options', () => {
  it('tags later events with the journey and step until cleared', () => {
    const fake = createFakeEnv({ sendBeacon: true });
    const rum = start(fake, { consent: 'granted' });
    rum.setJourney('checkout', 'payment');
    rum.record({ t: 'js_error', message: 'a' });
    rum.setJourney(null);
    rum.record({ t: 'js_error', message: 'b' });
    rum.flush();
    const [pv, a, b] = events(fake);
    expect(pv).not.toHaveProperty('journey');
    expect(a).toMatchObject({ journey: 'checkout', step: 'payment' });
    expect(b).not.toHaveProperty('journey');
    expect(b).not.toHaveProperty('step');
  });

  it('rejects bad options with a RumError', () => {
    const fake = createFakeEnv();
    const bad: Partial<RumOptions>[] = [
      { endpoint: '' },
      { sampleRate: 1.5 },
      { sampleRate: Number.NaN },
      { service: 'has space' },
      { flushIntervalMs: 0 },
      { maxBeaconBytes: -1 },
    ];
    for (const o of bad) {
      expect(() => start(fake, o)).toThrow(RumError);
    }
    expect(() => createRum({ endpoint })).toThrow(
      expect.objectContaining({ code: 'NO_ENVIRONMENT' }),
    );
  });

  it('stop() sends what is queued and removes its listeners', () => {
    const fake = createFakeEnv({ sendBeacon: true });
    const rum = start(fake, { consent: 'granted' });
    rum.stop();
    expect(fake.beacons).toHaveLength(1);
    rum.record({ t: 'js_error', message: 'late' });
    fake.hide();
    expect(fake.beacons).toHaveLength(1);
  });
});

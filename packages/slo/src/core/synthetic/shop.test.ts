import { telemetryEventType } from '@slo-scout/schema';
import { describe, expect, it } from 'vitest';
import { SloError } from '../../errors.ts';
import { createSyntheticShop } from './shop.ts';

const HOUR = 3_600_000;
const base = { seed: 1, startMs: 1_700_000_000_000, durationMs: 6 * HOUR, sessions: 200 };

describe('createSyntheticShop', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = createSyntheticShop(base);
    expect(createSyntheticShop(base).events).toEqual(a.events);
    expect(createSyntheticShop({ ...base, seed: 2 }).events).not.toEqual(a.events);
  });

  it('emits valid TelemetryEvent records of every kind, in time order', () => {
    const { events } = createSyntheticShop(base);
    for (const e of events) expect(telemetryEventType.check(e)).toBeUndefined();
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['trace', 'rum', 'log']));
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.event_time_ms).toBeGreaterThanOrEqual(events[i - 1]!.event_time_ms);
  });

  it('injects incidents only inside their window and service', () => {
    const incident = {
      startMs: base.startMs + HOUR,
      endMs: base.startMs + 2 * HOUR,
      service: 'payment',
      errorRate: 0.6,
      latencyFactor: 5,
    };
    const { events, truth } = createSyntheticShop({
      ...base,
      sessions: 600,
      incidents: [incident],
    });
    expect(truth.incidents).toEqual([incident]);
    const pay = events.filter(
      (e) => e.kind === 'trace' && e.service === 'payment' && e.span_kind === 'SERVER',
    );
    const inside = pay.filter(
      (e) => e.event_time_ms >= incident.startMs && e.event_time_ms < incident.endMs,
    );
    const outside = pay.filter((e) => !inside.includes(e));
    const rate = (xs: typeof pay) => xs.filter((e) => e.status_code === 'ERROR').length / xs.length;
    expect(rate(inside)).toBeGreaterThan(0.4);
    expect(rate(outside)).toBeLessThan(0.05);
    const median = (xs: typeof pay) =>
      xs.map((e) => e.duration_ms!).sort((a, b) => a - b)[xs.length >> 1]!;
    expect(median(inside)).toBeGreaterThan(3 * median(outside));
    const errorLogs = events.filter(
      (e) => e.kind === 'log' && e.service === 'payment' && e.severity_text === 'ERROR',
    );
    expect(errorLogs.length).toBe(pay.filter((e) => e.status_code === 'ERROR').length);
  });

  it('rejects broken options', () => {
    expect(() => createSyntheticShop({ ...base, durationMs: 0 })).toThrow(SloError);
    expect(() =>
      createSyntheticShop({ ...base, incidents: [{ startMs: 5, endMs: 5, service: 'x' }] }),
    ).toThrow(/must end after/);
  });
});

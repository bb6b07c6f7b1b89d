import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GoodTotalPoint } from '../recommend/series.ts';
import { backtest } from './backtest.ts';

const M = 60_000;
const H = 60 * M;
const quiet = (hours: number, errs = 0): GoodTotalPoint[] =>
  Array.from({ length: (hours * 60) / 5 }, (_, i) => ({
    tMs: i * 5 * M,
    good: 1000 - errs,
    total: 1000,
  }));

describe('backtest', () => {
  it('stays silent on a history inside its budget', () => {
    const r = backtest(quiet(72, 0), { target: 0.999 });
    expect(r.alerts).toEqual([]);
    expect(r.falsePagesPerDay).toBe(0);
    expect(r.quietDays).toBeCloseTo(72 / 24, 1);
  });

  it('pages within one evaluation of a total outage and measures the delay', () => {
    const series = quiet(24).map((p) =>
      p.tMs >= 12 * H && p.tMs < 13 * H ? { ...p, good: 0 } : p,
    );
    const r = backtest(series, {
      target: 0.999,
      incidents: [{ startMs: 12 * H, endMs: 13 * H, label: 'outage' }],
    });
    expect(r.incidents[0]!.pageDelayMs).toBe(0);
    expect(r.incidents[0]!.ticketDelayMs).toBe(0);
    expect(r.falsePages).toBe(0);
    expect(r.budgetConsumed).toBeCloseTo(12_000 / (0.001 * 288_000), 6);
  });

  it('tickets but does not page a slow burn of 2× budget', () => {
    // 0.2% errors against a 99.9% target: burn rate 2 over three days
    const r = backtest(quiet(96, 2), { target: 0.999, incidents: [{ startMs: 0, endMs: 96 * H }] });
    expect(r.incidents[0]!.pageDelayMs).toBeNull();
    expect(r.incidents[0]!.ticketDelayMs).not.toBeNull();
    expect(r.alerts.every((a) => a.severity === 'ticket')).toBe(true);
  });

  it('counts pages outside incidents as false pages', () => {
    const series = quiet(48).map((p) =>
      p.tMs >= 30 * H && p.tMs < 30 * H + 30 * M ? { ...p, good: 0 } : p,
    );
    const r = backtest(series, { target: 0.99 });
    expect(r.falsePages).toBe(1);
    expect(r.falsePagesPerDay).toBeCloseTo(0.5, 1);
  });

  it('never alerts when no event is bad, whatever the traffic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0.9, 0.99, 0.999),
        (totals, target) => {
          const r = backtest(
            totals.map((t, i) => ({ tMs: i * 5 * M, good: t, total: t })),
            { target },
          );
          expect(r.alerts).toEqual([]);
          expect(r.budgetConsumed).toBe(0);
        },
      ),
    );
  });

  it('honours the low-traffic guard', () => {
    const series = quiet(24).map((p) => ({ ...p, good: 0, total: 1 }));
    expect(backtest(series, { target: 0.99, minEvents: 1000 }).alerts).toEqual([]);
    expect(backtest(series, { target: 0.99 }).alerts.length).toBeGreaterThan(0);
  });
});

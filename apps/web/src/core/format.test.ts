import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeKey,
  formatConfidence,
  formatCount,
  formatDuration,
  formatPercent,
  formatTarget,
  formatTick,
  formatTime,
  nines,
  severityName,
} from './format.ts';

describe('formatTarget', () => {
  it('keeps every nine of common targets', () => {
    expect(formatTarget(0.999)).toBe('99.9%');
    expect(formatTarget(0.9995)).toBe('99.95%');
    expect(formatTarget(0.99995)).toBe('99.995%');
    expect(formatTarget(0.95)).toBe('95%');
  });
  it('never shows a target rounder (higher) than it is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), (n) => {
        const t = n / 1_000_000;
        const shown = Number(formatTarget(t).replace('%', '')) / 100;
        expect(Math.abs(shown - t)).toBeLessThan(1e-12);
      }),
    );
  });
});

describe('formatPercent', () => {
  it('drops trailing zeros and rounds to the digits asked', () => {
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(0.12345)).toBe('12.35%');
    expect(formatPercent(0.12345, 1)).toBe('12.3%');
    expect(formatPercent(1.5, 0)).toBe('150%');
    expect(formatPercent(Number.NaN)).toBe('–');
  });
});

describe('nines and confidence', () => {
  it('counts nines', () => {
    expect(nines(0.999)).toBe(3);
    expect(nines(0.99)).toBe(2);
    expect(nines(0.995)).toBe(2.3);
    expect(nines(1)).toBeNaN();
  });
  it('names confidence bands', () => {
    expect(formatConfidence(0.92)).toBe('high (92%)');
    expect(formatConfidence(0.5)).toBe('medium (50%)');
    expect(formatConfidence(0.1)).toBe('low (10%)');
  });
});

describe('formatDuration', () => {
  it('uses the two largest units', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(90_061_000)).toBe('1d 1h');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(-1)).toBe('–');
  });
  it('never shows more than the duration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 10 ** 10 }), (ms) => {
        const total = formatDuration(ms)
          .split(' ')
          .reduce((s, p) => {
            const m = /^(\d+)([dhms])$/.exec(p)!;
            const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'd'];
            return s + Number(m[1]) * unit;
          }, 0);
        expect(total).toBeLessThanOrEqual(ms);
      }),
    );
  });
});

describe('times and counts', () => {
  it('formats UTC times', () => {
    expect(formatTime(Date.UTC(2025, 0, 31, 14, 5, 9))).toBe('2025-01-31 14:05 UTC');
    expect(formatTime(Date.UTC(2025, 0, 31, 14, 5, 9), true)).toBe('2025-01-31 14:05:09 UTC');
    expect(formatTick(Date.UTC(2025, 0, 31, 14, 5), 3_600_000)).toBe('14:05');
    expect(formatTick(Date.UTC(2025, 0, 31, 14, 5), 3 * 86_400_000)).toBe('01-31 14:05');
  });
  it('groups thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('describeKey', () => {
  it('describes each key type', () => {
    expect(describeKey({ type: 'http', method: 'POST', route: '/api/checkout' })).toBe(
      'POST /api/checkout',
    );
    expect(describeKey({ type: 'rpc', rpcService: 'cart.Cart', rpcMethod: 'Add' })).toBe(
      'rpc cart.Cart/Add',
    );
    expect(describeKey({ type: 'sequence', steps: ['home', 'cart', 'pay'] })).toBe(
      'home → cart → pay',
    );
    expect(describeKey({ type: 'span', spanName: 'db.query' })).toBe('span db.query');
    expect(describeKey({ type: 'other', service: 'shop' })).toBe('other traffic of shop');
  });
});

describe('severityName', () => {
  it('maps OpenTelemetry severity ranges', () => {
    expect(severityName(1)).toBe('TRACE');
    expect(severityName(9)).toBe('INFO');
    expect(severityName(17)).toBe('ERROR');
    expect(severityName(20)).toBe('ERROR');
    expect(severityName(24)).toBe('FATAL');
    expect(severityName(0)).toBe('UNSPECIFIED');
    expect(severityName(25)).toBe('UNSPECIFIED');
  });
});

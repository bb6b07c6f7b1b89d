import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLogLine, splitLines } from './line.ts';

const origin = { source: '/var/log/app.log', offset: 0, service: 'app', observedTimeMs: 9 };

describe('log lines', () => {
  it('split into complete lines with their byte offsets', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 1 }).filter((s) => !/[\r\n]/.test(s)),
          { maxLength: 10 },
        ),
        fc.string(),
        (lines, tail) => {
          const noNl = tail.replace(/[\r\n]/g, '');
          const bytes = new TextEncoder().encode(lines.map((l) => `${l}\n`).join('') + noNl);
          const out = splitLines(bytes, 100);
          expect(out.lines.map((l) => l.text)).toEqual(lines);
          expect(out.consumed).toBe(bytes.length - new TextEncoder().encode(noNl).length);
          let offset = 100;
          out.lines.forEach((l, i) => {
            expect(l.offset).toBe(offset);
            offset += new TextEncoder().encode(lines[i]).length + 1;
          });
        },
      ),
    );
  });

  it('read pino JSON lines and plain lines', () => {
    const json = parseLogLine(
      '{"level":50,"time":1700000000000,"msg":"db down","name":"api"}',
      origin,
    );
    expect(json).toMatchObject({
      body: 'db down',
      severity_number: 17,
      event_time_ms: 1_700_000_000_000,
      service: 'api',
    });
    const plain = parseLogLine('2024-01-02T03:04:05Z WARN disk 91% full', {
      ...origin,
      offset: 64,
    });
    expect(plain).toMatchObject({
      severity_text: 'WARN',
      event_time_ms: Date.parse('2024-01-02T03:04:05Z'),
      service: 'app',
    });
    expect(plain.event_id).not.toBe(json.event_id);
    expect(parseLogLine('x', { ...origin, offset: 64 }).event_id).toBe(plain.event_id);
  });
});

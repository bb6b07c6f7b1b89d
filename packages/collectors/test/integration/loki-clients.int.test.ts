import { telemetryEventType } from '@slo-scout/schema';
import pino from 'pino';
import { pinoLoki } from 'pino-loki';
import winston from 'winston';
import LokiTransport from 'winston-loki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollectorServer } from '../../src/adapters/http/index.ts';
import { createMemorySink } from '../../src/index.ts';

const sink = createMemorySink();
const server = createCollectorServer({ sink });
let base = '';
beforeAll(async () => {
  base = `http://127.0.0.1:${await server.listen()}`;
});
afterAll(() => server.close());

async function waitFor(predicate: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out waiting for events');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Loki push receiver with real Loki clients', () => {
  it('accepts snappy protobuf pushes from winston-loki', async () => {
    const errors: unknown[] = [];
    const transport = new LokiTransport({
      host: base,
      labels: { service_name: 'shop-winston', env: 'test' },
      json: false,
      batching: true,
      interval: 0.2,
      onConnectionError: (e) => errors.push(e),
    });
    // winston-loki's typings extend their own copy of winston-transport: it is a real transport.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    const logger = winston.createLogger({ transports: [transport] });
    logger.error('payment declined for order 17', { labels: { region: 'eu' } });
    logger.info('order 18 placed');
    await waitFor(() => sink.events().filter((e) => e.service === 'shop-winston').length === 2);
    await transport.close();
    expect(errors).toEqual([]);
    const events = sink.events().filter((e) => e.service === 'shop-winston');
    for (const e of events) expect(telemetryEventType.check(e)).toBeUndefined();
    const error = events.find((e) => e.body?.includes('payment declined'))!;
    expect(error).toMatchObject({ kind: 'log', severity_number: 17, severity_text: 'ERROR' });
    expect(error.resource_attributes).toMatchObject({ env: 'test', level: 'error', region: 'eu' });
    expect(error.event_id).toMatch(/^loki:[0-9a-f]{32}$/);
    expect(Math.abs(error.event_time_ms - Date.now())).toBeLessThan(60_000);
  });

  it('accepts JSON pushes from pino-loki', async () => {
    const stream = pinoLoki({
      host: base,
      labels: { service_name: 'shop-pino' },
      batching: false,
    });
    const logger = pino({ level: 'info' }, stream);
    logger.warn({ order: 19 }, 'stock low for sku 42');
    logger.info('order 20 placed');
    await waitFor(() => sink.events().filter((e) => e.service === 'shop-pino').length === 2);
    const events = sink.events().filter((e) => e.service === 'shop-pino');
    for (const e of events) expect(telemetryEventType.check(e)).toBeUndefined();
    const warn = events.find((e) => e.body?.includes('stock low'))!;
    expect(warn.severity_number).toBe(13);
    expect(JSON.parse(warn.body!)).toMatchObject({ msg: 'stock low for sku 42', order: 19 });
  });
});

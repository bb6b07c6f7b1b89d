import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemorySink } from '../../core/sink.ts';
import { createCollectorServer, type CollectorServer } from './server.ts';

const span = (n: number) => ({
  traceId: '0102030405060708090a0b0c0d0e0f10',
  spanId: n.toString(16).padStart(16, '0'),
  name: `span ${n}`,
  startTimeUnixNano: '1700000000000000000',
  endTimeUnixNano: '1700000000100000000',
});
const traces = (count: number, from = 1) =>
  JSON.stringify({
    resourceSpans: [
      { scopeSpans: [{ spans: Array.from({ length: count }, (_, i) => span(from + i)) }] },
    ],
  });

let running: CollectorServer | undefined;
afterEach(() => running?.close());

async function start(
  options: Omit<Parameters<typeof createCollectorServer>[0], 'sink'> & { capacity?: number } = {},
) {
  const sink = createMemorySink({ capacity: options.capacity ?? 1000, retryAfterMs: 2500 });
  running = createCollectorServer({ sink, clock: () => 1_000, ...options });
  const port = await running.listen();
  const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  return { sink, post };
}

describe('collector HTTP server limits', () => {
  it('accepts OTLP/JSON with gzip and answers 200 with an empty partial success', async () => {
    const { sink, post } = await start();
    const res = await post('/v1/traces', gzipSync(traces(3)), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(sink.size).toBe(3);
  });

  it('answers 413 above the body cap, 415 for other media types, 400 for bad payloads, 404/405', async () => {
    const { sink, post } = await start({ maxBodyBytes: 200 });
    expect((await post('/v1/traces', traces(5))).status).toBe(413);
    expect((await post('/v1/traces', 'x', { 'content-type': 'text/plain' })).status).toBe(415);
    const bad = await post('/v1/traces', '{"resourceSpans": 5}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'BAD_SHAPE' });
    expect((await post('/nope', '{}')).status).toBe(404);
    expect((await fetch(bad.url)).status).toBe(405);
    expect(sink.size).toBe(0);
  });

  it('caps the decompressed size of gzip bodies (zip bombs get 413)', async () => {
    const { post } = await start({ maxDecodedBytes: 10_000 });
    const bomb = gzipSync(Buffer.alloc(1_000_000, 32));
    expect((await post('/v1/traces', bomb, { 'content-encoding': 'gzip' })).status).toBe(413);
  });

  it('answers 429 with Retry-After per token once the rate is spent', async () => {
    const { sink, post } = await start({ rateLimit: { ratePerSecond: 4 } });
    expect((await post('/v1/traces', traces(4), { authorization: 'a' })).status).toBe(200);
    const limited = await post('/v1/traces', traces(2, 10), { authorization: 'a' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await post('/v1/traces', traces(2, 20), { authorization: 'b' })).status).toBe(200);
    expect(sink.size).toBe(6);
  });

  it('answers 503 with Retry-After when the sink is saturated, accepting none of the batch', async () => {
    const { sink, post } = await start({ capacity: 5 });
    expect((await post('/v1/traces', traces(4))).status).toBe(200);
    const full = await post('/v1/traces', traces(3, 10));
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('3');
    expect(sink.size).toBe(4);
    // Re-sending already accepted data is idempotent and fits.
    expect((await post('/v1/traces', traces(4))).status).toBe(200);
  });
});

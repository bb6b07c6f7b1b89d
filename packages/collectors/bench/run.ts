/**
 * Receiver throughput on one core: decode + normalise (pure core) and end to end over HTTP (the
 * client runs in the same process, so the HTTP figure is a lower bound). Prints a Markdown table.
 * Run: npm run bench -w packages/collectors
 */
import { compressSync } from 'snappy';
import { Agent, request } from 'node:http';
import { createCollectorServer } from '../src/adapters/http/index.ts';
import {
  createMemorySink,
  decodeLokiPush,
  decodeOtlpTraces,
  decodeRumBeacon,
  formatLabelSet,
  type NormalisedBatch,
  type Result,
} from '../src/index.ts';
import { encodeMessage } from '../src/core/proto/decode.ts';
import { messages } from '../src/core/proto/messages.ts';

const BATCH = 500;
const id = (n: number, bytes: number) => {
  const b = new Uint8Array(bytes);
  new DataView(b.buffer).setUint32(bytes - 4, n + 1);
  b[0] = 1;
  return b;
};
const otlpBody = encodeMessage(messages.traceRequest, {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
      scopeSpans: [
        {
          scope: { name: 'bench', version: '1' },
          spans: Array.from({ length: BATCH }, (_, i) => ({
            traceId: id(i, 16),
            spanId: id(i, 8),
            name: 'GET /api/cart/:id',
            kind: 2,
            startTimeUnixNano: 1_700_000_000_000_000_000 + i * 1000,
            endTimeUnixNano: 1_700_000_000_005_000_000 + i * 1000,
            attributes: [
              { key: 'http.route', value: { stringValue: '/api/cart/:id' } },
              { key: 'http.response.status_code', value: { intValue: 200 } },
              { key: 'server.address', value: { stringValue: 'cart-7d9f' } },
            ],
            status: { code: 1 },
          })),
        },
      ],
    },
  ],
});
const lokiBody = compressSync(
  Buffer.from(
    encodeMessage(messages.lokiPush, {
      streams: [
        {
          labels: formatLabelSet({ service_name: 'shop', level: 'info' }),
          entries: Array.from({ length: BATCH }, (_, i) => ({
            timestamp: { seconds: 1_700_000_000 + i, nanos: i },
            line: `GET /api/cart/${i} 200 in ${i % 50} ms user=${i % 97}`,
          })),
        },
      ],
    }),
  ),
);
const rumBody = new TextEncoder().encode(
  JSON.stringify({
    v: 1,
    sid: 'bench-session-0001',
    events: Array.from({ length: BATCH }, (_, i) => ({
      t: 'web_vital',
      ts: 1_700_000_000_000 + i,
      seq: i,
      name: 'LCP',
      value: 1200 + i,
      rating: 'good',
      route: '/cart',
    })),
  }),
);

function pure(name: string, decode: () => Result<NormalisedBatch>): [string, number] {
  for (let i = 0; i < 50; i++) decode();
  const start = performance.now();
  let events = 0;
  while (performance.now() - start < 2000) {
    const out = decode();
    if (!out.ok) throw out.error;
    events += out.value.events.length;
  }
  return [name, events / ((performance.now() - start) / 1000)];
}

async function http(
  name: string,
  path: string,
  contentType: string,
  body: Uint8Array,
): Promise<[string, number]> {
  const sink = createMemorySink({ capacity: 100_000 });
  sink.subscribe(() => sink.drain());
  const server = createCollectorServer({
    sink,
    maxBodyBytes: 16 << 20,
    rum: { allowedOrigins: '*' },
  });
  const port = await server.listen();
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          port,
          host: '127.0.0.1',
          path,
          method: 'POST',
          agent,
          headers: { 'content-type': contentType },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode! < 300) resolve();
            else reject(new Error(`HTTP ${String(res.statusCode)}`));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const start = performance.now();
  let requests = 0;
  while (performance.now() - start < 3000) {
    await Promise.all(Array.from({ length: 8 }, post));
    requests += 8;
  }
  const rate = (requests * BATCH) / ((performance.now() - start) / 1000);
  agent.destroy();
  await server.close();
  return [name, rate];
}

const rows: [string, number][] = [
  pure('OTLP protobuf spans, decode + normalise', () =>
    decodeOtlpTraces(otlpBody, 'protobuf', { observedTimeMs: 1 }),
  ),
  pure('Loki snappy protobuf lines, decode + normalise', () =>
    decodeLokiPush(lokiBody, 'protobuf', { observedTimeMs: 1, maxDecodedBytes: 1 << 24 }),
  ),
  pure('RUM beacon events, validate + normalise', () =>
    decodeRumBeacon(rumBody, { observedTimeMs: 1, userAgent: null }),
  ),
  await http(
    'OTLP/HTTP protobuf spans, end to end',
    '/v1/traces',
    'application/x-protobuf',
    otlpBody,
  ),
  await http(
    'Loki push lines, end to end',
    '/loki/api/v1/push',
    'application/x-protobuf',
    lokiBody,
  ),
  await http('RUM beacon events, end to end', '/rum/v1/beacon', 'application/json', rumBody).catch(
    () => ['RUM beacon events, end to end (rum disabled)', 0] as [string, number],
  ),
];
console.log(
  `Batches of ${BATCH}; Node ${process.version}; one process (client and server share the core).\n`,
);
console.log('| receiver | events/s |');
console.log('|---|---:|');
for (const [name, rate] of rows)
  console.log(`| ${name} | ${Math.round(rate).toLocaleString('en-US')} |`);

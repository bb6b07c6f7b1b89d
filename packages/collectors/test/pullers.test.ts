import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createElasticsearchPuller, createLokiPuller } from '../src/adapters/pull/index.ts';

let server: Server | undefined;
afterEach(() => server?.close());

async function serve(handler: (url: URL, body: string) => unknown): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const out = handler(new URL(req.url!, 'http://x'), body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// 25 entries, several sharing a timestamp so pages split inside a run of equal timestamps.
const entries = Array.from({ length: 25 }, (_, i) => ({
  ts: 1_700_000_000_000_000_000n + BigInt(Math.floor(i / 3)) * 1000n,
  line: `line ${i}`,
}));

describe('Loki query_range puller (local server speaking the Loki HTTP API)', () => {
  it('pages forward through every entry exactly once and returns the next checkpoint', async () => {
    const seen: string[] = [];
    const url = await serve((u) => {
      seen.push(u.pathname);
      const start = BigInt(u.searchParams.get('start')!);
      const end = BigInt(u.searchParams.get('end')!);
      const limit = Number(u.searchParams.get('limit'));
      expect(u.searchParams.get('direction')).toBe('forward');
      const page = entries.filter((e) => e.ts >= start && e.ts <= end).slice(0, limit);
      return {
        status: 'success',
        data: {
          resultType: 'streams',
          result: [
            {
              stream: { app: 'shop', level: 'info' },
              values: page.map((e) => [String(e.ts), e.line]),
            },
          ],
          stats: {},
        },
      };
    });
    const puller = createLokiPuller({ url, query: '{app="shop"}', limit: 4, clock: () => 1 });
    const out = await puller.pull({ startNs: String(entries[0]!.ts) }, String(entries[24]!.ts));
    if (!out.ok) throw out.error;
    expect(out.value.events.map((e) => e.body)).toEqual(entries.map((e) => e.line));
    expect(new Set(out.value.events.map((e) => e.event_id)).size).toBe(25);
    expect(out.value.next.startNs).toBe(String(entries[24]!.ts + 1n));
    expect(seen.every((p) => p === '/loki/api/v1/query_range')).toBe(true);
    expect(out.value.events[0]).toMatchObject({ service: 'shop', severity_number: 9 });
  });

  it('returns a typed error for a metric (matrix) answer or an HTTP error', async () => {
    const url = await serve(() => ({
      status: 'success',
      data: { resultType: 'matrix', result: [] },
    }));
    const out = await createLokiPuller({ url, query: 'rate({a="b"}[1m])' }).pull(
      { startNs: '0' },
      '10',
    );
    expect(!out.ok && out.error.code).toBe('BAD_SHAPE');
    const down = await createLokiPuller({ url: 'http://127.0.0.1:1', query: '{a="b"}' }).pull(
      { startNs: '0' },
      '1',
    );
    expect(!down.ok && down.error.code).toBe('UPSTREAM_FAILED');
  });
});

describe('Elasticsearch _search puller (local server speaking the search API)', () => {
  const docs = Array.from({ length: 23 }, (_, i) => ({
    _index: 'logs-1',
    _id: `d${i}`,
    _source: {
      '@timestamp': new Date(1_700_000_000_000 + Math.floor(i / 2) * 1000).toISOString(),
      message: `request ${i} done`,
      service: { name: 'api' },
      log: { level: i % 5 === 0 ? 'error' : 'info' },
      event: { id: `e${String(i).padStart(3, '0')}` },
      trace: { id: 'ab'.repeat(16) },
    },
  }));
  const sortOf = (d: (typeof docs)[number]) => [
    Date.parse(d._source['@timestamp']),
    d._source.event.id,
  ];

  it('walks pages with search_after on (timestamp, tiebreaker) and maps ECS fields', async () => {
    const bodies: Record<string, unknown>[] = [];
    const url = await serve((u, raw) => {
      expect(u.pathname).toBe('/logs-*/_search');
      const body = JSON.parse(raw) as { size: number; search_after?: [number, string] };
      bodies.push(body);
      const after = body.search_after;
      const sorted = docs
        .map((d) => ({ ...d, sort: sortOf(d) }))
        .filter(
          (d) =>
            !after ||
            (d.sort[0] as number) > after[0] ||
            (d.sort[0] === after[0] && (d.sort[1] as string) > after[1]),
        );
      return { took: 1, hits: { total: { value: docs.length }, hits: sorted.slice(0, body.size) } };
    });
    const puller = createElasticsearchPuller({ url, index: 'logs-*', pageSize: 5, clock: () => 1 });
    const out = await puller.pull({ fromMs: 0, searchAfter: null }, 2_000_000_000_000);
    if (!out.ok) throw out.error;
    expect(out.value.events.map((e) => e.body)).toEqual(docs.map((d) => d._source.message));
    expect(bodies).toHaveLength(5);
    expect(bodies[0]).toMatchObject({ sort: [{ '@timestamp': 'asc' }, { 'event.id': 'asc' }] });
    expect(out.value.next.searchAfter).toEqual(sortOf(docs[22]!));
    expect(out.value.events[0]).toMatchObject({
      service: 'api',
      severity_number: 17,
      trace_id: 'ab'.repeat(16),
    });
  });
});

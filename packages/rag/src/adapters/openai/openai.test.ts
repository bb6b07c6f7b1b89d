/**
 * The OpenAI provider against a local node:http server that speaks the embeddings API
 * (POST /v1/embeddings, JSON body, `data[].embedding` with `index`), since OpenAI is unreachable.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../core/embedder.ts';
import { createOpenAiEmbeddingProvider } from './index.ts';

interface Seen {
  auth: string | undefined;
  model: string;
  inputs: number;
  format: string | undefined;
}

let server: Server;
let baseURL = '';
const seen: Seen[] = [];
let failNext: number[] = [];
let dims = 1536;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end();
        return;
      }
      const status = failNext.shift();
      if (status !== undefined) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: { message: `status ${status}`, type: 'test', code: null } }),
        );
        return;
      }
      const request = JSON.parse(body) as {
        model: string;
        input: string[];
        encoding_format?: string;
      };
      seen.push({
        auth: req.headers.authorization,
        model: request.model,
        inputs: request.input.length,
        format: request.encoding_format,
      });
      // Answer out of order: clients must place vectors by `index`.
      const data = request.input
        .map((text, index) => ({
          object: 'embedding',
          index,
          embedding: Array.from({ length: dims }, (_, j) => (j === 0 ? text.length : 0)),
        }))
        .reverse();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data,
          model: request.model,
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const noSleep = { sleep: () => Promise.resolve() };

describe('OpenAI embeddings provider', () => {
  it('sends batches of 100 with the key and model, and orders vectors by index', async () => {
    seen.length = 0;
    dims = 1536;
    const embedder = createEmbedder(
      createOpenAiEmbeddingProvider({ apiKey: 'sk-test', baseURL }),
      noSleep,
    );
    const texts = Array.from({ length: 230 }, (_, i) => 'x'.repeat(i + 1));
    const result = await embedder.embed(texts);
    if (!result.ok) throw result.error;
    expect(result.value.map((v) => v[0])).toEqual(texts.map((t) => t.length));
    expect(result.value[0]?.length).toBe(1536);
    expect(seen.map((s) => s.inputs)).toEqual([100, 100, 30]);
    expect(seen[0]).toMatchObject({
      auth: 'Bearer sk-test',
      model: 'text-embedding-3-small',
      format: 'float',
    });
  });

  it('retries 429 and 500 responses, then succeeds', async () => {
    seen.length = 0;
    failNext = [429, 500];
    const embedder = createEmbedder(
      createOpenAiEmbeddingProvider({ apiKey: 'k', baseURL }),
      noSleep,
    );
    const result = await embedder.embed(['a']);
    expect(result.ok).toBe(true);
    expect(failNext).toEqual([]);
    expect(seen.length).toBe(1);
  });

  it('does not retry a 401', async () => {
    seen.length = 0;
    failNext = [401, 401];
    const result = await createEmbedder(
      createOpenAiEmbeddingProvider({ apiKey: 'k', baseURL }),
      noSleep,
    ).embed(['a']);
    expect(!result.ok && result.error.code).toBe('EMBEDDING_FAILED');
    expect(failNext).toEqual([401]);
    failNext = [];
  });

  it('refuses vectors whose size differs from the configured dimension', async () => {
    dims = 3072;
    const result = await createEmbedder(
      createOpenAiEmbeddingProvider({ apiKey: 'k', baseURL }),
      noSleep,
    ).embed(['a']);
    expect(!result.ok && result.error.code).toBe('DIMENSION_MISMATCH');
    dims = 1536;
  });

  it('needs a key or a client', () => {
    expect(() => createOpenAiEmbeddingProvider({})).toThrow(/apiKey/);
  });
});

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSloSpec, type Journey, type Sli } from '@slo-scout/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recommendSlo, type Recommendation } from '../../core/recommend/recommend.ts';
import { createOpenAiEnricher } from './index.ts';

const journey: Journey = {
  id: 'storefront-post-checkout-abc123',
  name: 'POST /checkout',
  key: { type: 'http', service: 'storefront', method: 'POST', route: '/checkout' },
  entryService: 'storefront',
  trafficShare: 0.1,
  userFacing: true,
  critical: true,
  score: 0.6,
  evidence: {
    traceCount: 10,
    errorCount: 0,
    exampleTraceIds: [],
    services: ['storefront', 'payment'],
  },
};
const sli: Sli = {
  id: 'checkout-availability',
  journeyId: journey.id,
  kind: 'availability',
  name: 'checkout-availability',
  description: 'x',
  ratio: { bad: 'sum(rate(a{code=~"5.."}[{{.window}}]))', total: 'sum(rate(a[{{.window}}]))' },
  metric: 'a',
};
const history = Array.from({ length: 24 * 28 }, (_, h) => ({
  tMs: h * 3_600_000,
  good: 9_995,
  total: 10_000,
}));
const rec = recommendSlo({ journey, sli, history });
if (!rec.ok) throw rec.error;
const recommendations: Recommendation[] = [rec.value];

/** The next answer the fake server gives, as the assistant message content. */
let answer = '';
const requests: { url: string; auth: string; body: Record<string, unknown> }[] = [];
let server: Server;
let baseURL = '';

const readBody = async (req: IncomingMessage): Promise<string> => {
  let s = '';
  for await (const chunk of req) s += String(chunk);
  return s;
};

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      requests.push({
        url: req.url ?? '',
        auth: req.headers.authorization ?? '',
        body: JSON.parse(body),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1,
          model: 'gpt-4o-mini',
          choices: [
            {
              index: 0,
              finish_reason: 'stop',
              logprobs: null,
              message: { role: 'assistant', content: answer, refusal: null },
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const enricher = () => createOpenAiEnricher({ apiKey: 'test-key', baseURL, maxRetries: 0 });

describe('createOpenAiEnricher', () => {
  it('asks for structured output and applies names and prose without touching numbers', async () => {
    answer = JSON.stringify({
      journeys: [{ id: journey.id, displayName: 'Checkout', summary: 'Users pay for their cart.' }],
      slos: [
        {
          name: 'checkout-availability',
          rationale: 'Checkout rarely fails.',
          runbook: 'Check payment first.',
        },
      ],
    });
    const r = await enricher().enrich({
      recommendations,
      journeys: [journey],
      evidence: ['payment declined <*>'],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const req = requests.at(-1)!;
    expect(req.url).toBe('/v1/chat/completions');
    expect(req.auth).toBe('Bearer test-key');
    expect((req.body['response_format'] as { type: string }).type).toBe('json_schema');
    const spec = r.value[0]!.spec;
    expect(spec.metadata.displayName).toBe('Checkout availability');
    expect(spec.metadata.annotations?.['slo-scout/runbook']).toBe('Check payment first.');
    expect(spec.spec.objectives).toEqual(rec.value.spec.spec.objectives);
    expect(spec.spec.indicator).toEqual(rec.value.spec.spec.indicator);
    expect(r.value[0]!.fit).toEqual(rec.value.fit);
    expect(parseSloSpec(spec).ok).toBe(true);
  });

  it.each([
    ['not JSON', 'Sure! Here is your JSON: {'],
    [
      'a number smuggled in',
      JSON.stringify({
        journeys: [],
        slos: [{ name: 'checkout-availability', rationale: 'r', runbook: 'b', target: 0.9999 }],
      }),
    ],
    [
      'an unknown SLO',
      JSON.stringify({ journeys: [], slos: [{ name: 'made-up', rationale: 'r', runbook: 'b' }] }),
    ],
    [
      'a missing field',
      JSON.stringify({ journeys: [{ id: journey.id, displayName: 'x' }], slos: [] }),
    ],
  ])('rejects a malformed answer (%s)', async (_name, content) => {
    answer = content;
    const r = await enricher().enrich({ recommendations, journeys: [journey] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('LLM_INVALID_ANSWER');
  });

  it('reports a transport failure as LLM_FAILED', async () => {
    const r = await createOpenAiEnricher({
      apiKey: 'k',
      baseURL: 'http://127.0.0.1:9/v1',
      maxRetries: 0,
      timeoutMs: 2_000,
    }).enrich({ recommendations, journeys: [journey] });
    expect(!r.ok && r.error.code).toBe('LLM_FAILED');
  });

  it('requires an API key', () => {
    expect(() => createOpenAiEnricher({ apiKey: '' })).toThrow(/apiKey/);
  });
});

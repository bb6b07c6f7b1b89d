import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Store } from '@slo-scout/store';
import { createApiServer } from '../src/index.ts';
import { bearer, createRefusingScout, keyFor, openStore } from './helpers.ts';

describe('request validation, OpenAPI, rate limits and the web console', () => {
  let store: Store;
  let app: FastifyInstance;
  let admin = '';
  const refusing = createRefusingScout();
  const web = mkdtempSync(join(tmpdir(), 'slo-api-web-'));

  beforeAll(async () => {
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>SLO-Scout</title>');
    writeFileSync(join(web, 'app.js'), 'console.log("console")');
    store = await openStore();
    app = createApiServer({ scout: refusing.scout, store, webRoot: web });
    admin = await keyFor(store, 'root', ['admin']);
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const cases: [string, string, unknown, string][] = [
    ['POST', '/api/v1/analyze', { fromMs: 'yesterday', toMs: 10 }, 'body.fromMs'],
    ['POST', '/api/v1/analyze', { fromMs: 1 }, 'body.toMs'],
    ['POST', '/api/v1/analyze', { fromMs: -5, toMs: 10 }, 'body.fromMs'],
    ['POST', '/api/v1/analyze', { fromMs: 1, toMs: 10, extra: true }, 'body.extra'],
    ['POST', '/api/v1/analyze', { fromMs: 10, toMs: 10 }, 'body.fromMs'],
    ['POST', '/api/v1/analyze', undefined, 'body'],
    [
      'POST',
      '/api/v1/recommendations',
      { fromMs: 0, toMs: 5, journeyIds: ['a', ''] },
      'body.journeyIds[1]',
    ],
    ['POST', '/api/v1/recommendations/r1/reject', {}, 'body.reason'],
    ['POST', '/api/v1/recommendations/r1/reject', { reason: '' }, 'body.reason'],
    ['POST', '/api/v1/capsules/search', { text: '' }, 'body.text'],
    ['POST', '/api/v1/capsules/search', { text: 'x', minSeverity: 99 }, 'body.minSeverity'],
    ['POST', '/api/v1/capsules/search', { text: 'x', fromMs: 9, toMs: 3 }, 'body.fromMs'],
    ['POST', '/api/v1/artifacts', { recommendationIds: [] }, 'body.recommendationIds'],
    ['POST', '/api/v1/pull-requests', {}, 'body.artifactId'],
    ['POST', '/api/v1/keys', { name: 'ok', scopes: ['root'] }, 'body.scopes[0]'],
    ['POST', '/api/v1/keys', { name: 'has space', scopes: ['read'] }, 'body.name'],
    ['GET', '/api/v1/recommendations?status=maybe', undefined, 'query.status'],
    ['GET', '/api/v1/audit?limit=0', undefined, 'query.limit'],
    ['GET', '/api/v1/slis/s1/history?fromMs=abc', undefined, 'query.fromMs'],
    ['GET', '/api/v1/slis/s1/history?fromMs=20&toMs=10', undefined, 'query.fromMs'],
  ];

  it('answers 400 naming the bad field, before any handler runs', async () => {
    for (const [method, url, payload, field] of cases) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: bearer(admin),
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      expect([
        url,
        JSON.stringify(payload),
        res.statusCode,
        res.json<{ error: { field?: string } }>().error.field,
      ]).toEqual([url, JSON.stringify(payload), 400, field]);
      expect(res.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    }
    expect(refusing.calls).toEqual([]);
  });

  it('answers 400 on malformed JSON without echoing a stack', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/analyze',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      payload: '{"fromMs": 1,',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    expect(res.body).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers 500 without details when the engine throws', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/status', headers: bearer(admin) });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { code: 'INTERNAL', message: 'internal error; see the server log' },
    });
    expect(refusing.calls).toEqual(['status']);
  });

  it('serves an OpenAPI 3.1 document that validates, with every route of the contract', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown; requestBody?: unknown }>>;
    }>();
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'GET /healthz',
        'GET /api/v1/status',
        'GET /api/v1/services',
        'POST /api/v1/analyze',
        'GET /api/v1/journeys',
        'GET /api/v1/journeys/{id}',
        'GET /api/v1/slis/{id}/history',
        'POST /api/v1/recommendations',
        'GET /api/v1/recommendations',
        'GET /api/v1/recommendations/{id}',
        'POST /api/v1/recommendations/{id}/approve',
        'POST /api/v1/recommendations/{id}/reject',
        'POST /api/v1/capsules/search',
        'POST /api/v1/artifacts',
        'GET /api/v1/artifacts/{id}',
        'POST /api/v1/artifacts/{id}/validate',
        'GET /api/v1/artifacts/{id}/diff',
        'POST /api/v1/pull-requests',
        'GET /api/v1/audit',
        'POST /api/v1/keys',
        'GET /api/v1/keys',
        'DELETE /api/v1/keys/{id}',
      ].sort(),
    );
    expect(doc.paths['/api/v1/analyze']?.['post']?.security).toEqual([{ bearer: [] }]);
    expect(JSON.stringify(doc.paths['/api/v1/analyze']?.['post']?.requestBody)).toContain('fromMs');
    let docs = await app.inject({ method: 'GET', url: '/docs' });
    for (let hops = 0; docs.statusCode === 302 && hops < 3; hops++) {
      const location = String(docs.headers.location);
      docs = await app.inject({
        method: 'GET',
        url: location.startsWith('/') ? location : `/docs/${location.replace(/^\.\//, '')}`,
      });
    }
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
  });

  it('serves the web console with an SPA fallback, but 404s JSON under /api', async () => {
    const index = await app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>SLO-Scout</title>');
    const asset = await app.inject({ method: 'GET', url: '/app.js' });
    expect(asset.body).toContain('console.log');
    const deep = await app.inject({ method: 'GET', url: '/journeys/j-1?tab=slis' });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toContain('text/html');
    expect(deep.body).toContain('<title>SLO-Scout</title>');
    const api = await app.inject({ method: 'GET', url: '/api/v1/nope', headers: bearer(admin) });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After per key, and per IP without a key', async () => {
    const store = await openStore();
    const app = createApiServer({
      scout: createRefusingScout().scout,
      store,
      rateLimit: { max: 3, timeWindowMs: 60_000 },
    });
    const a = await keyFor(store, 'a', ['read']);
    const b = await keyFor(store, 'b', ['read']);
    const get = (headers: Record<string, string>, ip = '10.0.0.1') =>
      app.inject({ method: 'GET', url: '/api/v1/services', headers, remoteAddress: ip });
    for (let i = 0; i < 3; i++) expect((await get(bearer(a))).statusCode).toBe(200);
    const limited = await get(bearer(a));
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // Another key from the same address has its own budget.
    expect((await get(bearer(b))).statusCode).toBe(200);
    // Without a valid key the address is the budget: invented keys do not reset it.
    for (let i = 0; i < 3; i++) expect((await get({}, '10.0.0.2')).statusCode).toBe(401);
    expect((await get({ authorization: 'Bearer sk_fresh' }, '10.0.0.2')).statusCode).toBe(429);
    expect((await get({}, '10.0.0.3')).statusCode).toBe(401);
    // Liveness is never limited.
    for (let i = 0; i < 5; i++)
      expect(
        (await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.0.0.1' }))
          .statusCode,
      ).toBe(200);
    await app.close();
    await store.close();
  });
});

import { describe, expect, it } from 'vitest';
import { WebError, errorHeadline } from '../errors.ts';
import { createApiClient, parseErrorBody, toQuery, type FetchLike } from './client.ts';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function recorder(status: number, answer: string): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch: FetchLike = (url, init) => {
    seen.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    return Promise.resolve(new Response(answer, { status }));
  };
  return { fetch, seen };
}

describe('createApiClient', () => {
  it('sends the key as a bearer token to /api/v1 paths with JSON bodies', async () => {
    const { fetch, seen } = recorder(200, '{"id":"r1","status":"rejected"}');
    const api = createApiClient({ key: ' sk_1 ', baseUrl: 'http://h:1/', fetch });
    const r = await api.reject('r/1', 'too strict');
    expect(r).toEqual({ ok: true, value: { id: 'r1', status: 'rejected' } });
    expect(seen[0]).toEqual({
      url: 'http://h:1/api/v1/recommendations/r%2F1/reject',
      method: 'POST',
      headers: {
        authorization: 'Bearer sk_1',
        accept: 'application/json',
        'content-type': 'application/json',
      },
      body: { reason: 'too strict' },
    });
    await api.journeys('cart');
    await api.sliHistory('s1', { fromMs: 1, toMs: 2 });
    await api.sliHistory('s1');
    await api.generate(['a', 'b']);
    await api.openPullRequest('art1');
    await api.approve('r2');
    expect(seen.slice(1).map((s) => `${s.method} ${s.url} ${JSON.stringify(s.body)}`)).toEqual([
      'GET http://h:1/api/v1/journeys?service=cart undefined',
      'GET http://h:1/api/v1/slis/s1/history?fromMs=1&toMs=2 undefined',
      'GET http://h:1/api/v1/slis/s1/history undefined',
      'POST http://h:1/api/v1/artifacts {"recommendationIds":["a","b"]}',
      'POST http://h:1/api/v1/pull-requests {"artifactId":"art1"}',
      'POST http://h:1/api/v1/recommendations/r2/approve {}',
    ]);
  });

  it('keeps the API error message, code and field', async () => {
    const { fetch } = recorder(
      400,
      '{"error":{"code":"INVALID","message":"reason is required","field":"body.reason"}}',
    );
    const r = await createApiClient({ key: 'k', fetch }).reject('r1', '');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(WebError);
    expect(r.error).toMatchObject({
      code: 'INVALID_INPUT',
      status: 400,
      apiCode: 'INVALID',
      field: 'body.reason',
      message: 'reason is required',
    });
    expect(errorHeadline(r.error, 'Rejecting')).toBe('Rejecting failed (HTTP 400 INVALID)');
  });

  it('turns network failures and non-JSON answers into errors, never throws', async () => {
    const down = await createApiClient({
      key: 'k',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    }).status();
    expect(down.ok || down.error.code).toBe('NETWORK');
    const html = await createApiClient({ key: 'k', fetch: recorder(200, '<html>').fetch }).status();
    expect(html.ok || html.error.code).toBe('BAD_RESPONSE');
  });

  it('refuses an empty key', () => {
    expect(() => createApiClient({ key: '  ' })).toThrow(WebError);
  });
});

describe('parseErrorBody', () => {
  it('reads Fastify and plain-text errors', () => {
    expect(
      parseErrorBody(429, '{"statusCode":429,"error":"Too Many Requests","message":"slow down"}'),
    ).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'slow down',
    });
    expect(parseErrorBody(502, 'Bad gateway')).toMatchObject({
      code: 'SERVER_ERROR',
      message: 'Bad gateway',
    });
    expect(parseErrorBody(403, '')).toMatchObject({ code: 'FORBIDDEN', message: 'HTTP 403' });
    expect(
      parseErrorBody(422, '{"error":{"code":"POLICY_DENIED","message":"blast radius"}}'),
    ).toMatchObject({
      code: 'REFUSED',
      apiCode: 'POLICY_DENIED',
      field: undefined,
    });
  });
  it('builds query strings from defined values only', () => {
    expect(toQuery({ a: undefined, b: '' })).toBe('');
    expect(toQuery({ service: 'a b', n: 3 })).toBe('?service=a+b&n=3');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Store } from '@slo-scout/store';
import { createApiServer, ensureAdminKey, generateApiKey, hashApiKey } from '../src/index.ts';
import { bearer, createRefusingScout, keyFor, openStore } from './helpers.ts';

describe('authentication and scopes', () => {
  let store: Store;
  let app: FastifyInstance;
  const refusing = createRefusingScout();
  const keys = { read: '', write: '', admin: '', revoked: '' };

  beforeAll(async () => {
    store = await openStore();
    app = createApiServer({ scout: refusing.scout, store });
    keys.read = await keyFor(store, 'reader', ['read']);
    keys.write = await keyFor(store, 'writer', ['write']);
    keys.admin = await keyFor(store, 'root', ['admin']);
    keys.revoked = await keyFor(store, 'gone', ['admin']);
    const gone = await store.findApiKeyByHash(hashApiKey(keys.revoked));
    await store.revokeApiKey(gone!.id, 'test');
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('answers /healthz without a key', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  const guarded: [string, string, object?][] = [
    ['GET', '/api/v1/status'],
    ['GET', '/api/v1/services'],
    ['GET', '/api/v1/journeys'],
    ['GET', '/api/v1/journeys/j1'],
    ['GET', '/api/v1/slis/s1/history'],
    ['POST', '/api/v1/analyze', { fromMs: 0, toMs: 1 }],
    ['POST', '/api/v1/recommendations', { fromMs: 0, toMs: 1 }],
    ['GET', '/api/v1/recommendations'],
    ['GET', '/api/v1/recommendations/r1'],
    ['POST', '/api/v1/recommendations/r1/approve', {}],
    ['POST', '/api/v1/recommendations/r1/reject', { reason: 'no' }],
    ['POST', '/api/v1/capsules/search', { text: 'x' }],
    ['POST', '/api/v1/artifacts', {}],
    ['GET', '/api/v1/artifacts/a1'],
    ['POST', '/api/v1/artifacts/a1/validate'],
    ['GET', '/api/v1/artifacts/a1/diff'],
    ['POST', '/api/v1/pull-requests', { artifactId: 'a1' }],
    ['GET', '/api/v1/audit'],
    ['POST', '/api/v1/keys', { name: 'x', scopes: ['read'] }],
    ['GET', '/api/v1/keys'],
    ['DELETE', '/api/v1/keys/k1'],
  ];

  it('answers 401 with WWW-Authenticate: Bearer on every API route without a key', async () => {
    for (const [method, url, payload] of guarded) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        ...(payload ? { payload } : {}),
      });
      expect([method, url, res.statusCode]).toEqual([method, url, 401]);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="slo-scout"');
      expect(res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
    expect(refusing.calls).toEqual([]);
  });

  it('answers 401 before validating the body, so bad input does not reveal the schema', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/analyze', payload: { nope: 1 } });
    expect(res.statusCode).toBe(401);
  });

  it('answers the same 401 for unknown, malformed, revoked keys and other schemes', async () => {
    const bodies = new Set<string>();
    for (const header of [
      `Bearer ${generateApiKey()}`,
      'Bearer sk_short',
      `Bearer ${keys.revoked}`,
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      'Bearer',
    ]) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/services',
        headers: { authorization: header },
      });
      expect([header, res.statusCode]).toEqual([header, 401]);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="slo-scout", error="invalid_token"',
      );
      bodies.add(res.body);
    }
    expect(bodies.size).toBe(1);
  });

  it('answers 403 when the scope is too weak, and lets stronger scopes through', async () => {
    const cases: [string, string, string, number][] = [
      [keys.read, 'POST', '/api/v1/analyze', 403],
      [keys.read, 'POST', '/api/v1/pull-requests', 403],
      [keys.read, 'GET', '/api/v1/keys', 403],
      [keys.write, 'GET', '/api/v1/audit', 403],
      [keys.write, 'DELETE', '/api/v1/keys/k1', 403],
      [keys.read, 'GET', '/api/v1/services', 200],
      [keys.write, 'GET', '/api/v1/services', 200],
      [keys.admin, 'GET', '/api/v1/services', 200],
      [keys.admin, 'GET', '/api/v1/keys', 200],
    ];
    for (const [key, method, url, status] of cases) {
      const res = await app.inject({ method: method as 'GET', url, headers: bearer(key) });
      expect([method, url, res.statusCode]).toEqual([method, url, status]);
      if (status === 403) expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
    expect(refusing.calls).toEqual([]);
  });

  it('creates a key once, lists keys without secrets, revokes it, and audits both as key:<name>', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/keys',
      headers: bearer(keys.admin),
      payload: { name: 'ci-bot', scopes: ['write'] },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json<{ id: string; key: string; scopes: string[] }>();
    expect(body.key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(body.scopes).toEqual(['write']);
    const works = await app.inject({
      method: 'GET',
      url: '/api/v1/services',
      headers: bearer(body.key),
    });
    expect(works.statusCode).toBe(200);

    const dup = await app.inject({
      method: 'POST',
      url: '/api/v1/keys',
      headers: bearer(keys.admin),
      payload: { name: 'ci-bot', scopes: ['read'] },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: { code: 'CONFLICT', field: 'body.name' } });

    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/keys',
      headers: bearer(keys.admin),
    });
    expect(list.body).not.toContain(body.key);
    expect(list.body).not.toContain(hashApiKey(body.key));
    expect(list.json<{ name: string }[]>().map((k) => k.name)).toContain('ci-bot');

    const del = await app.inject({
      method: 'DELETE',
      url: `/api/v1/keys/${body.id}`,
      headers: bearer(keys.admin),
    });
    expect(del.statusCode).toBe(204);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/v1/keys/${body.id}`,
      headers: bearer(keys.admin),
    });
    expect(again.statusCode).toBe(404);
    const after = await app.inject({
      method: 'GET',
      url: '/api/v1/services',
      headers: bearer(body.key),
    });
    expect(after.statusCode).toBe(401);

    const audit = await app.inject({
      method: 'GET',
      url: '/api/v1/audit?limit=1000',
      headers: bearer(keys.admin),
    });
    expect(audit.statusCode).toBe(200);
    const mine = audit
      .json<{ subjectType: string; subjectId: string; action: string; actor: string }[]>()
      .filter((e) => e.subjectId === body.id);
    expect(mine.map((e) => [e.subjectType, e.action, e.actor])).toEqual([
      ['api_key', 'created', 'key:root'],
      ['api_key', 'revoked', 'key:root'],
    ]);
  });
});

describe('ensureAdminKey', () => {
  it('creates the first admin key once, then finds it; registers a given key; refuses a weak one', async () => {
    const store = await openStore();
    const first = await ensureAdminKey(store);
    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^sk_/);
    expect(first.record.scopes).toEqual(['admin']);
    const second = await ensureAdminKey(store);
    expect(second).toEqual({ created: false, record: first.record });

    const given = generateApiKey();
    const other = await openStore();
    const registered = await ensureAdminKey(other, { key: given });
    expect(registered).toMatchObject({ created: true, key: given });
    expect(await ensureAdminKey(other, { key: given })).toMatchObject({
      created: false,
      key: given,
    });
    await expect(ensureAdminKey(other, { key: 'hunter2' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      field: 'key',
    });
    const audit = await other.queryAudit({ subjectType: 'api_key' });
    expect(audit.ok && audit.value.map((e) => [e.action, e.actor])).toEqual([
      ['created', 'system:bootstrap'],
    ]);
    await store.close();
    await other.close();
  });
});

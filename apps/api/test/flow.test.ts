/**
 * The whole review flow through HTTP over a real Scout: PGlite store, the synthetic shop's
 * telemetry (with a payment incident) and a local git repository as the pull-request target.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryTelemetrySource, createScout } from '@slo-scout/engine';
import { createLocalGitEnginePublisher } from '@slo-scout/engine/local-git';
import { createSyntheticShop, toJourneyId } from '@slo-scout/slo';
import type { Store } from '@slo-scout/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createApiServer, ensureAdminKey } from '../src/index.ts';
import { bearer, openStore } from './helpers.ts';

const H = 3_600_000;
const START = Date.UTC(2026, 10, 20);
const NOW = START + 25 * H;
const range = { fromMs: START, toMs: START + 24 * H };
const shop = createSyntheticShop({
  seed: 7,
  startMs: START,
  durationMs: 24 * H,
  sessions: 1200,
  incidents: [
    { startMs: START + 14 * H, endMs: START + 15 * H, service: 'payment', errorRate: 0.6 },
  ],
});

interface Rec {
  id: string;
  sliId: string;
  sliName: string;
  status: string;
  target: number;
  decidedBy: string | null;
}

describe('analyze → recommend → approve → generate → pull request, over HTTP', () => {
  let store: Store;
  let app: FastifyInstance;
  let repo: string;
  let alice = '';
  let viewer = '';
  let admin = '';
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  const call = async (
    key: string,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: object,
  ) => {
    const res = await app.inject({
      method,
      url,
      headers: bearer(key),
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>(), raw: res };
  };

  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'api-git-'));
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'README.md'), '# gitops\n');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-q', '-m', 'init');
    store = await openStore(() => NOW);
    const scout = createScout({
      store,
      telemetry: createMemoryTelemetrySource(shop.events),
      publisher: createLocalGitEnginePublisher({ repoDir: repo }),
      maxJourneys: 3,
      now: () => NOW,
    });
    app = createApiServer({ scout, store, now: () => NOW });
    const boot = await ensureAdminKey(store);
    admin = boot.key!;
    const made = await call(admin, 'POST', '/api/v1/keys', { name: 'alice', scopes: ['write'] });
    alice = String(made.body['key']);
    const v = await createApiKey(store, { name: 'viewer', scopes: ['read'] });
    if (!v.ok) throw v.error;
    viewer = v.value.key;
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(repo, { recursive: true, force: true });
  });

  it('analyzes the range and lists every ground-truth journey with SLIs', async () => {
    const empty = await call(alice, 'POST', '/api/v1/analyze', { fromMs: 0, toMs: 1000 });
    expect(empty.status).toBe(422);
    expect(empty.body).toMatchObject({ error: { code: 'NO_DATA' } });

    const res = await call(alice, 'POST', '/api/v1/analyze', range);
    expect(res.status).toBe(200);
    const journeys = res.body['journeys'] as { id: string }[];
    for (const truth of shop.truth.journeys)
      expect(journeys.map((j) => j.id)).toContain(toJourneyId(truth.key));
    expect((res.body['slis'] as unknown[]).length).toBeGreaterThanOrEqual(3);

    const listed = await call(viewer, 'GET', '/api/v1/journeys');
    expect((listed.body as unknown as unknown[]).length).toBe(journeys.length);
    const status = await call(viewer, 'GET', '/api/v1/status');
    expect(status.status).toBe(200);
    expect(status.body['services']).toBeGreaterThan(5);
    const services = await call(viewer, 'GET', '/api/v1/services');
    expect((services.body as unknown as { name: string }[]).map((s) => s.name)).toContain(
      'payment',
    );
    const missing = await call(viewer, 'GET', '/api/v1/journeys/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('recommends targets, shows them on the journey, and serves the SLI history', async () => {
    const res = await call(alice, 'POST', '/api/v1/recommendations', range);
    expect(res.status).toBe(200);
    const recs = res.body as unknown as Rec[];
    expect(recs.length).toBeGreaterThanOrEqual(3);
    for (const r of recs) {
      expect(r.status).toBe('proposed');
      expect(r.target).toBeGreaterThan(0.8);
      expect(r.target).toBeLessThan(1);
    }
    const proposed = await call(viewer, 'GET', '/api/v1/recommendations?status=proposed');
    expect((proposed.body as unknown as Rec[]).map((r) => r.id).sort()).toEqual(
      recs.map((r) => r.id).sort(),
    );
    const one = await call(viewer, 'GET', `/api/v1/recommendations/${recs[0]!.id}`);
    expect(one.body).toMatchObject({ id: recs[0]!.id, spec: { kind: 'SLO' } });

    const journeys = (await call(viewer, 'GET', '/api/v1/journeys')).body as unknown as {
      id: string;
    }[];
    const details = await Promise.all(
      journeys.map((j) => call(viewer, 'GET', `/api/v1/journeys/${encodeURIComponent(j.id)}`)),
    );
    const withRecs = details.filter((d) => (d.body['recommendations'] as unknown[]).length > 0);
    expect(withRecs.length).toBeGreaterThan(0);

    const checkout = recs.find((r) => r.sliName.includes('checkout')) ?? recs[0]!;
    const history = await call(
      viewer,
      'GET',
      `/api/v1/slis/${encodeURIComponent(checkout.sliId)}/history?fromMs=${range.fromMs}&toMs=${range.toMs}`,
    );
    expect(history.status).toBe(200);
    expect(history.body['sliId']).toBe(checkout.sliId);
    expect((history.body['points'] as unknown[]).length).toBe(288);
    expect(history.body['target']).toBe(checkout.target);
  });

  it('rejects with a reason, approves the rest, generates, validates, diffs and opens the pull request', async () => {
    const recs = (await call(viewer, 'GET', '/api/v1/recommendations')).body as unknown as Rec[];
    const [first, ...rest] = recs;
    const denied = await call(viewer, 'POST', `/api/v1/recommendations/${first!.id}/approve`, {});
    expect(denied.status).toBe(403);
    const noReason = await call(alice, 'POST', `/api/v1/recommendations/${first!.id}/reject`, {});
    expect(noReason.body).toMatchObject({ error: { field: 'body.reason' } });
    const rejected = await call(alice, 'POST', `/api/v1/recommendations/${first!.id}/reject`, {
      reason: 'too strict for now',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decidedBy: 'key:alice' });
    for (const r of rest) {
      const approved = await call(alice, 'POST', `/api/v1/recommendations/${r.id}/approve`, {
        reason: 'matches the history',
      });
      expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'key:alice' });
    }
    const twice = await call(alice, 'POST', `/api/v1/recommendations/${first!.id}/approve`, {});
    // Deciding twice is a conflict, and the recommendation keeps its first decision.
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error: { code: 'CONFLICT' } });
    const kept = await call(viewer, 'GET', `/api/v1/recommendations/${first!.id}`);
    expect(kept.body).toMatchObject({ status: 'rejected' });

    const art = await call(alice, 'POST', '/api/v1/artifacts', {});
    expect(art.status).toBe(200);
    const artifactId = String(art.body['id']);
    expect(art.body['recommendationIds']).toEqual(rest.map((r) => r.id));
    const files = art.body['files'] as { path: string; content: string }[];
    expect(files.map((f) => f.path).filter((p) => p.startsWith('prometheus/rules/'))).toHaveLength(
      rest.length,
    );
    expect(art.body['report']).toMatchObject({ ok: true });

    const got = await call(viewer, 'GET', `/api/v1/artifacts/${artifactId}`);
    expect(got.body['id']).toBe(artifactId);
    const validated = await app.inject({
      method: 'POST',
      url: `/api/v1/artifacts/${artifactId}/validate`,
      headers: bearer(viewer),
    });
    expect(validated.statusCode).toBe(200);
    expect(validated.json()).toMatchObject({ ok: true });
    const diff = await call(viewer, 'GET', `/api/v1/artifacts/${artifactId}/diff`);
    const diffFiles = diff.body['files'] as { status: string; patch: string }[];
    expect(diffFiles.length).toBe(files.length);
    expect(diffFiles.every((f) => f.status === 'added' && f.patch.includes('+++ b/'))).toBe(true);

    const pr = await call(alice, 'POST', '/api/v1/pull-requests', { artifactId });
    expect(pr.status).toBe(200);
    expect(String(pr.body['url'])).toMatch(/^file:\/\//);
    const branch = String(pr.body['branch']);
    const listed = git('ls-tree', '-r', '--name-only', branch).split('\n').filter(Boolean);
    for (const f of files) expect(listed).toContain(f.path);
    const rules = files.find((f) => f.path.startsWith('prometheus/rules/'))!;
    expect(git('show', `${branch}:${rules.path}`)).toBe(rules.content);
    const unknown = await call(alice, 'POST', '/api/v1/pull-requests', { artifactId: 'art-nope' });
    expect(unknown.status).toBe(404);
  });

  it('audits every write as key:<name>, once', async () => {
    const res = await call(admin, 'GET', '/api/v1/audit?limit=1000');
    expect(res.status).toBe(200);
    const entries = res.body as unknown as { actor: string; subjectType: string; action: string }[];
    const byAlice = entries.filter((e) => e.actor === 'key:alice');
    const kinds = new Set(byAlice.map((e) => `${e.subjectType}:${e.action}`));
    for (const k of [
      'analysis:analyzed',
      'recommendation:proposed',
      'approval:approved',
      'approval:rejected',
      'artifact:generated',
    ])
      expect(kinds).toContain(k);
    expect(byAlice.some((e) => e.subjectType === 'pull_request')).toBe(true);
    // One analysis entry for the one successful analyze (the empty range failed, unaudited).
    expect(byAlice.filter((e) => e.subjectType === 'analysis')).toHaveLength(1);
    expect(entries.some((e) => e.subjectType === 'api_key' && e.actor.startsWith('key:'))).toBe(
      true,
    );
    const forbidden = await call(alice, 'GET', '/api/v1/audit');
    expect(forbidden.status).toBe(403);
  });

  it('maps engine refusals: search without a vector index is 501', async () => {
    const res = await call(viewer, 'POST', '/api/v1/capsules/search', { text: 'payment failed' });
    expect(res.status).toBe(501);
    expect(res.body).toMatchObject({ error: { code: 'NOT_CONFIGURED' } });
  });
});

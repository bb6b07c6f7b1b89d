import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSloSpec } from '@slo-scout/schema';
import { createSyntheticShop, toJourneyId, toJourneySpan } from '@slo-scout/slo';
import { createStore, type Store } from '@slo-scout/store';
import { createPgliteDatabase } from '@slo-scout/store/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGitEnginePublisher } from '../src/adapters/local-git/index.ts';
import {
  createMemoryTelemetrySource,
  createScout,
  createStoreTelemetrySource,
  ruleFilePath,
  ruleTestFilePath,
  type Scout,
} from '../src/index.ts';

const H = 3_600_000;
const START = Date.UTC(2026, 10, 20);
const range = { fromMs: START, toMs: START + 24 * H };
const shop = createSyntheticShop({
  seed: 42,
  startMs: START,
  durationMs: 24 * H,
  sessions: 4000,
  incidents: [
    { startMs: START + 14 * H, endMs: START + 15 * H, service: 'payment', errorRate: 0.6 },
  ],
});

let store: Store;
let scout: Scout;
let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'engine-git-'));
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), '# gitops\n');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-q', '-m', 'init');
  const { db } = await createPgliteDatabase({});
  let tick = START + 25 * H;
  store = createStore(db, { clock: { now: () => (tick += 1) } });
  await store.migrate();
  scout = createScout({
    store,
    telemetry: createMemoryTelemetrySource(shop.events),
    publisher: createLocalGitEnginePublisher({ repoDir: repo }),
    maxJourneys: 3,
    now: () => START + 25 * H,
  });
}, 60_000);

afterAll(async () => {
  await store.close();
  rmSync(repo, { recursive: true, force: true });
});

describe('createScout over PGlite, the synthetic shop and a local git repository', () => {
  it('refuses a reversed range naming the field, and an empty one as NO_DATA', async () => {
    const bad = await scout.analyze({ range: { fromMs: 10, toMs: 5 }, actor: 't' });
    expect(!bad.ok && bad.error.code === 'INVALID_INPUT' && bad.error.path).toBe('toMs');
    const empty = await scout.analyze({ range: { fromMs: 0, toMs: 1000 }, actor: 't' });
    expect(!empty.ok && empty.error.code).toBe('NO_DATA');
  });

  it('analyzes: every ground-truth journey found, SLIs for the top three, all saved', async () => {
    const r = await scout.analyze({ range, actor: 'tester' });
    if (!r.ok) throw r.error;
    const ids = r.value.journeys.map((j) => j.id);
    for (const truth of shop.truth.journeys) expect(ids).toContain(toJourneyId(truth.key));
    expect(await scout.listJourneys()).toHaveLength(r.value.journeys.length);
    const top = r.value.journeys.filter((j) => j.key.type !== 'other').slice(0, 3);
    expect(new Set(r.value.slis.map((s) => s.journeyId))).toEqual(new Set(top.map((j) => j.id)));
    for (const j of top) expect((await scout.listSlis(j.id)).length).toBeGreaterThanOrEqual(1);
    const audit = await store.queryAudit({});
    expect(
      audit.ok && audit.value.some((e) => e.action === 'analyzed' && e.actor === 'tester'),
    ).toBe(true);
  });

  it('recommends targets below what was observed, as valid specs, and re-running does not duplicate', async () => {
    const r = await scout.recommend({ range, actor: 'tester' });
    if (!r.ok) throw r.error;
    expect(r.value.length).toBeGreaterThanOrEqual(3);
    for (const v of r.value) {
      expect(parseSloSpec(v.spec).ok).toBe(true);
      expect(v.status).toBe('proposed');
      expect(v.target).toBeGreaterThan(0.8);
      expect(v.rationale).toMatch(/Clopper/);
    }
    const again = await scout.recommend({ range, actor: 'tester' });
    expect(again.ok && again.value.map((v) => v.id)).toEqual(r.value.map((v) => v.id));
    expect(await scout.listRecommendations()).toHaveLength(r.value.length);
  });

  it('backtests the checkout availability SLO: the payment incident burns budget and alerts inside it', async () => {
    const recs = await scout.listRecommendations();
    const checkout = recs.find(
      (v) => v.sliName.includes('checkout') && v.spec.spec.indicator.kind === 'availability',
    );
    expect(checkout).toBeDefined();
    expect(checkout!.backtest.alerts.length).toBeGreaterThan(0);
    for (const a of checkout!.backtest.alerts) {
      expect(a.startMs).toBeGreaterThanOrEqual(START + 14 * H);
      expect(a.startMs).toBeLessThan(START + 16 * H);
    }
    const h = await scout.sliHistory(checkout!.sliId, range);
    if (!h.ok) throw h.error;
    expect(h.value.target).toBe(checkout!.target);
    expect(h.value.points).toHaveLength(288);
    const bad = h.value.points.filter((p) => p.good < p.total).map((p) => p.tMs);
    expect(bad.filter((t) => t >= START + 14 * H && t < START + 15 * H).length).toBeGreaterThan(6);
  });

  it('needs a reason to reject, and refuses to generate before anything is approved', async () => {
    const [first] = await scout.listRecommendations();
    const noReason = await scout.decide(first!.id, { status: 'rejected', actor: 'alice' });
    expect(!noReason.ok && noReason.error.path).toBe('reason');
    const none = await scout.generate({ actor: 'alice' });
    expect(!none.ok && none.error.code).toBe('NO_DATA');
    const missing = await scout.decide('rec-nope', { status: 'approved', actor: 'alice' });
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');
  });

  it('generates, validates, diffs and publishes the approved SLOs into the local repository', async () => {
    const recs = await scout.listRecommendations();
    const [rejected, ...rest] = recs;
    const rej = await scout.decide(rejected!.id, {
      status: 'rejected',
      actor: 'alice',
      reason: 'too strict',
    });
    expect(rej.ok && rej.value.status).toBe('rejected');
    for (const r of rest) {
      const d = await scout.decide(r.id, { status: 'approved', actor: 'alice' });
      expect(d.ok && d.value.decidedBy).toBe('alice');
    }
    const twice = await scout.decide(rest[0]!.id, {
      status: 'rejected',
      actor: 'bob',
      reason: 'late',
    });
    expect(!twice.ok && twice.error.code).toBe('CONFLICT');
    expect(!twice.ok && twice.error.message).toContain('already approved by alice');
    const art = await scout.generate({ actor: 'alice' });
    if (!art.ok) throw art.error;
    expect(art.value.recommendationIds).toEqual(rest.map((r) => r.id));
    const paths = art.value.files.map((f) => f.path);
    for (const r of rest) {
      expect(paths).toContain(ruleFilePath(r.spec));
      expect(paths).toContain(ruleTestFilePath(r.spec));
    }
    expect(paths.filter((p) => p.startsWith('grafana/dashboards/'))).toHaveLength(rest.length);
    expect(paths.filter((p) => p.startsWith('slos/'))).toHaveLength(rest.length);
    const steps = Object.fromEntries(art.value.report.steps.map((s) => [s.name, s]));
    expect(steps['promtool check rules']).toMatchObject({ ok: true, skipped: true });
    expect(steps['sensitive-data scan']).toMatchObject({ ok: true });
    expect(art.value.report.policy.allowed).toBe(true);
    expect(art.value.report.ok).toBe(true);

    const diff = await scout.diff(art.value.id);
    if (!diff.ok) throw diff.error;
    expect(diff.value.files.every((f) => f.status === 'added')).toBe(true);
    expect(diff.value.files[0]!.patch).toContain('+++ b/');

    const pr = await scout.openPullRequest({ artifactId: art.value.id, actor: 'alice' });
    if (!pr.ok) throw pr.error;
    expect(pr.value.url).toMatch(/^file:\/\//);
    const listed = git('ls-tree', '-r', '--name-only', pr.value.branch).split('\n').filter(Boolean);
    for (const p of paths) expect(listed).toContain(p);
    const ruleFile = ruleFilePath(rest[0]!.spec);
    expect(git('show', `${pr.value.branch}:${ruleFile}`)).toBe(
      art.value.files.find((f) => f.path === ruleFile)!.content,
    );
    const again = await scout.openPullRequest({ artifactId: art.value.id, actor: 'alice' });
    expect(again.ok && again.value.updated).toBe(true);
  });

  it('blocks the pull request when the policy denies the change', async () => {
    const strict = createScout({
      store,
      telemetry: createMemoryTelemetrySource(shop.events),
      publisher: createLocalGitEnginePublisher({ repoDir: repo }),
      policy: {
        maxNewPagingAlerts: 0,
        requireOwnerApproval: false,
        forbidUnboundedRegex: true,
        forbidSensitive: true,
      },
      now: () => START + 26 * H,
    });
    const art = await strict.generate({ actor: 'bob' });
    if (!art.ok) throw art.error;
    expect(art.value.policyDecision).toBe('deny');
    const pr = await strict.openPullRequest({ artifactId: art.value.id, actor: 'bob' });
    expect(!pr.ok && pr.error.code).toBe('POLICY_DENIED');
  });

  it('shows a journey with its SLIs, recommendations and the status of ingestion', async () => {
    const [j] = await scout.listJourneys();
    const d = await scout.getJourney(j!.id);
    if (!d.ok) throw d.error;
    expect(d.value.journey.id).toBe(j!.id);
    expect(d.value.recommendations.every((r) => d.value.slis.some((s) => s.id === r.sliId))).toBe(
      true,
    );
    const nf = await scout.getJourney('nope');
    expect(!nf.ok && nf.error.code).toBe('NOT_FOUND');
    const status = await scout.status();
    expect(status.services).toBeGreaterThan(5);
    expect(status).toMatchObject({ windows: 0, windowsEstimated: false, lastWindowMs: null });
    const search = await scout.searchCapsules({ text: 'payment failed' });
    expect(!search.ok && search.error.code).toBe('NOT_CONFIGURED');
  });

  it('reads spans back from the store as the pipeline wrote them, and analyzes the same journeys', async () => {
    const reduced = shop.events.flatMap((e) => {
      const s = toJourneySpan(e);
      return s === undefined ? [] : [{ span: s, redactionApplied: true }];
    });
    const w = await store.upsertSpans(reduced);
    expect(w.ok && w.value.inserted).toBe(reduced.length);
    const fromStore = createScout({
      store,
      telemetry: createStoreTelemetrySource(store),
      maxJourneys: 3,
    });
    const a = await fromStore.analyze({ range, actor: 'tester' });
    const b = await scout.analyze({ range, actor: 'tester' });
    if (!a.ok || !b.ok) throw new Error('analyze failed');
    expect(a.value.spans).toBe(b.value.spans);
    expect(a.value.journeys).toEqual(b.value.journeys);
    expect(a.value.slis).toEqual(b.value.slis);
  });

  it('keeps one SLO per SLI: a newer approval over another range replaces the older one', async () => {
    const later = { fromMs: range.fromMs + 6 * H, toMs: range.toMs };
    const fresh = await scout.recommend({ range: later, actor: 'tester' });
    if (!fresh.ok) throw fresh.error;
    const approvedBefore = await scout.listRecommendations({ status: 'approved' });
    const redo = fresh.value.find((f) => approvedBefore.some((a) => a.sliId === f.sliId))!;
    const old = approvedBefore.find((a) => a.sliId === redo.sliId)!;
    const ok = await scout.decide(redo.id, { status: 'approved', actor: 'carol' });
    expect(ok.ok).toBe(true);
    const art = await scout.generate({ actor: 'carol' });
    if (!art.ok) throw art.error;
    expect(art.value.recommendationIds).toContain(redo.id);
    expect(art.value.recommendationIds).not.toContain(old.id);
    const paths = art.value.files.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    const both = await scout.generate({ actor: 'carol', recommendationIds: [old.id, redo.id] });
    expect(!both.ok && both.error.code).toBe('CONFLICT');
    const pr = await scout.openPullRequest({ artifactId: art.value.id, actor: 'carol' });
    expect(pr.ok).toBe(true);
  });
});

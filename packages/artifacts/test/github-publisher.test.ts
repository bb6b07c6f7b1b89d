import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubPublisher } from '../src/adapters/github/index.ts';
import {
  createPullRequestDraft,
  generateRunbooks,
  toRuleFileYaml,
  generateRules,
} from '../src/index.ts';
import { goldenSpec } from './support/golden.ts';
import { startFakeGitHub, type FakeGitHub } from './support/github-server.ts';

const CODEOWNERS =
  '* @acme/platform\nrunbooks/ @acme/payments @alice @slo-bot\nrules/ @other-org/sre\n';
let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function draft(target = 0.999) {
  const spec = goldenSpec();
  const s = { ...spec, spec: { ...spec.spec, objectives: [{ target }] } };
  return createPullRequestDraft({
    specs: [s],
    files: [
      { path: 'rules/checkout.rules.yml', content: toRuleFileYaml(generateRules([s])) },
      ...generateRunbooks(s),
    ],
    evidence: {
      'checkout-checkout-availability': [
        {
          fingerprint: '9f2c4e1ab37d55e0',
          template: 'gateway timeout after <*> ms',
          count: 412,
          sample: 'gateway timeout after 3000 ms',
        },
      ],
    },
    validation: [{ name: 'promtool check rules', ok: true }],
  });
}

const calls = (f: FakeGitHub) => f.requests.map((r) => `${r.method} ${r.path}`);

describe('GitHub publisher (local server speaking the REST routes)', () => {
  it('creates branch, tree, commit and pull request with labels and CODEOWNERS reviewers', async () => {
    fake = await startFakeGitHub({
      owner: 'acme',
      repo: 'slos',
      files: { 'README.md': 'hi\n', '.github/CODEOWNERS': CODEOWNERS },
    });
    const gh = createGitHubPublisher({
      owner: 'acme',
      repo: 'slos',
      token: 't0ken',
      baseUrl: fake.url,
    });
    const d = draft();
    const r = await gh.publish(d);
    if (!r.ok) throw r.error;
    const R = '/repos/acme/slos';
    expect(calls(fake)).toEqual([
      `GET ${R}`,
      `GET ${R}/git/ref/heads/main`,
      `GET ${R}/git/ref/heads/${d.branch}`,
      `GET ${R}/git/commits/${fake.refs.get('heads/main')}`,
      `POST ${R}/git/trees`,
      `POST ${R}/git/commits`,
      `POST ${R}/git/refs`,
      `GET ${R}/pulls`,
      `POST ${R}/pulls`,
      `POST ${R}/issues/1/labels`,
      `GET ${R}/contents/.github/CODEOWNERS`,
      `POST ${R}/pulls/1/requested_reviewers`,
    ]);
    expect(new Set(fake.requests.map((x) => x.authorization))).toEqual(new Set(['token t0ken']));
    const byRoute = (m: string, p: string) =>
      fake!.requests.find((x) => x.method === m && x.path === `${R}${p}`)!;
    const tree = byRoute('POST', '/git/trees').body as { base_tree: string; tree: unknown[] };
    expect(tree.tree).toHaveLength(d.files.length);
    expect(byRoute('POST', '/git/refs').body).toEqual({
      ref: `refs/heads/${d.branch}`,
      sha: r.value.commit,
    });
    expect(byRoute('GET', '/pulls').query).toMatchObject({
      state: 'open',
      head: `acme:${d.branch}`,
      base: 'main',
    });
    expect(byRoute('POST', '/issues/1/labels').body).toEqual({ labels: ['slo-scout', 'slo'] });
    // Last match wins (no file is owned by `*` alone); the author (slo-bot) and a team of another
    // organisation cannot be asked.
    expect(byRoute('POST', '/pulls/1/requested_reviewers').body).toEqual({
      reviewers: ['alice'],
      team_reviewers: ['payments'],
    });
    expect(byRoute('GET', '/contents/.github/CODEOWNERS').query).toEqual({ ref: 'main' });

    const files = fake.filesAt(fake.refs.get(`heads/${d.branch}`)!);
    expect(files.get('README.md')).toBe('hi\n');
    for (const f of d.files) expect(files.get(f.path)).toBe(f.content);
    expect(fake.commit(r.value.commit)?.parents).toEqual([fake.refs.get('heads/main')]);
    expect(fake.pulls).toHaveLength(1);
    expect(fake.pulls[0]!.body).toContain('| `checkout-checkout-availability` |');
    expect(fake.pulls[0]!.body).toContain('gateway timeout after 3000 ms');
    expect(r.value).toMatchObject({
      branch: d.branch,
      base: 'main',
      updated: false,
      committed: true,
      pullRequest: { number: 1, created: true, url: 'https://github.example/acme/slos/pull/1' },
    });
  });

  it('re-running updates the same branch and pull request instead of opening another', async () => {
    fake = await startFakeGitHub({ owner: 'acme', repo: 'slos', files: { 'README.md': 'hi\n' } });
    const gh = createGitHubPublisher({
      owner: 'acme',
      repo: 'slos',
      baseUrl: fake.url,
      base: 'main',
    });
    const first = await gh.publish(draft(0.999));
    if (!first.ok) throw first.error;
    fake.requests.length = 0;

    const second = await gh.publish(draft(0.995));
    if (!second.ok) throw second.error;
    const R = '/repos/acme/slos';
    const seen = calls(fake);
    expect(seen).toContain(`PATCH ${R}/git/refs/heads/${first.value.branch}`);
    expect(seen).toContain(`PATCH ${R}/pulls/1`);
    expect(seen).not.toContain(`POST ${R}/pulls`);
    expect(seen).not.toContain(`POST ${R}/git/refs`);
    expect(seen).not.toContain(`GET ${R}`); // base given: the repository is not looked up
    const patch = fake.requests.find((x) => x.method === 'PATCH' && x.path.includes('/git/refs/'))!;
    expect(patch.body).toEqual({ sha: second.value.commit, force: false });
    expect(fake.commit(second.value.commit)?.parents).toEqual([first.value.commit]);
    expect(fake.pulls).toHaveLength(1);
    expect(fake.pulls[0]!.body).toContain('99.5%');
    expect(second.value).toMatchObject({
      updated: true,
      committed: true,
      pullRequest: { number: 1, created: false },
    });
    // No CODEOWNERS anywhere: three documented locations tried, no review requested.
    expect(seen.filter((s) => s.includes('/contents/'))).toEqual([
      `GET ${R}/contents/.github/CODEOWNERS`,
      `GET ${R}/contents/CODEOWNERS`,
      `GET ${R}/contents/docs/CODEOWNERS`,
    ]);
    expect(seen.some((s) => s.includes('requested_reviewers'))).toBe(false);

    fake.requests.length = 0;
    const third = await gh.publish(draft(0.995));
    if (!third.ok) throw third.error;
    expect(third.value).toMatchObject({ committed: false, commit: second.value.commit });
    expect(calls(fake).some((s) => s.startsWith('POST /repos/acme/slos/git/commits'))).toBe(false);
    expect(calls(fake).some((s) => s.startsWith('PATCH /repos/acme/slos/git/refs'))).toBe(false);
  });

  it('returns PUBLISH_FAILED with the status when GitHub refuses, and validates drafts first', async () => {
    fake = await startFakeGitHub({ owner: 'acme', repo: 'slos', files: {} });
    const wrongRepo = createGitHubPublisher({ owner: 'acme', repo: 'nope', baseUrl: fake.url });
    const r = await wrongRepo.publish(draft());
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('PUBLISH_FAILED');
      expect(r.error.message).toContain('404');
    }
    const gh = createGitHubPublisher({ owner: 'acme', repo: 'slos', baseUrl: fake.url });
    const before = fake.requests.length;
    const bad = await gh.publish({ ...draft(), branch: 'a..b' });
    expect(bad.ok ? '' : bad.error.code).toBe('INVALID_OPTIONS');
    const dup = await gh.publish({ ...draft(), files: [{ path: '../x', content: '' }] });
    expect(dup.ok ? '' : dup.error.code).toBe('INVALID_OPTIONS');
    expect(fake.requests.length).toBe(before);
    expect(() => createGitHubPublisher({ owner: 'a/b', repo: 'x' })).toThrow(/owner and repo/);
  });
});

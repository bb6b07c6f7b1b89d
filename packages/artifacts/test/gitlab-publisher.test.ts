import { afterEach, describe, expect, it } from 'vitest';
import { createGitLabPublisher } from '../src/adapters/gitlab/index.ts';
import {
  createPullRequestDraft,
  generateRules,
  generateRunbooks,
  toRuleFileYaml,
} from '../src/index.ts';
import { goldenSpec } from './support/golden.ts';
import { startFakeGitLab, type FakeGitLab } from './support/gitlab-server.ts';

let fake: FakeGitLab | undefined;
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
  });
}
const seen = (f: FakeGitLab) => f.requests.map((r) => `${r.method} ${r.segments.join('/')}`);
const P = 'projects/acme/slos';

describe('GitLab publisher (local server speaking REST API v4)', () => {
  it('commits with actions on a new branch and opens a merge request with labels and reviewers', async () => {
    fake = await startFakeGitLab({
      project: 'acme/slos',
      files: {
        'README.md': 'hi\n',
        'rules/checkout.rules.yml': 'groups: []\n',
        '.gitlab/CODEOWNERS': '* @platform-team\nrunbooks/ @alice @bob @acme/payments\n',
      },
      users: { alice: 11, bob: 12 },
    });
    const gl = createGitLabPublisher({
      project: 'acme/slos',
      token: 'glpat-test',
      baseUrl: fake.url,
    });
    const d = draft();
    const r = await gl.publish(d);
    if (!r.ok) throw r.error;
    const b = encodeURIComponent(d.branch);
    expect(seen(fake)).toEqual([
      `GET ${P}`,
      `GET ${P}/repository/branches/${d.branch}`,
      ...d.files.map((f) => `GET ${P}/repository/files/${f.path}`),
      `POST ${P}/repository/commits`,
      `GET ${P}/repository/files/CODEOWNERS`,
      `GET ${P}/repository/files/docs/CODEOWNERS`,
      `GET ${P}/repository/files/.gitlab/CODEOWNERS`,
      'GET users',
      'GET users',
      'GET users',
      `GET ${P}/merge_requests`,
      `POST ${P}/merge_requests`,
    ]);
    // Each CODEOWNERS handle is resolved; `platform-team` is no user, so it is left out.
    expect(fake.requests.filter((x) => x.segments[0] === 'users').map((x) => x.query)).toEqual([
      { username: 'alice' },
      { username: 'bob' },
      { username: 'platform-team' },
    ]);
    // Path parameters are URL-encoded as GitLab requires.
    expect(fake.requests[0]!.rawPath).toBe('/api/v4/projects/acme%2Fslos');
    expect(fake.requests[1]!.rawPath).toBe(`/api/v4/projects/acme%2Fslos/repository/branches/${b}`);
    expect(new Set(fake.requests.map((x) => x.token))).toEqual(new Set(['glpat-test']));
    const commit = fake.requests.find(
      (x) => x.method === 'POST' && x.segments.at(-1) === 'commits',
    )!;
    expect(commit.body).toMatchObject({
      branch: d.branch,
      start_branch: 'main',
      actions: d.files.map((f) => ({
        action: f.path === 'rules/checkout.rules.yml' ? 'update' : 'create',
        file_path: f.path,
        content: f.content,
      })),
    });
    const list = fake.requests.find(
      (x) => x.method === 'GET' && x.segments.at(-1) === 'merge_requests',
    )!;
    expect(list.query).toEqual({ state: 'opened', source_branch: d.branch, target_branch: 'main' });
    const create = fake.requests.find(
      (x) => x.method === 'POST' && x.segments.at(-1) === 'merge_requests',
    )!;
    expect(create.body).toEqual({
      source_branch: d.branch,
      target_branch: 'main',
      title: d.title,
      description: d.body,
      reviewer_ids: [11, 12],
      labels: 'slo-scout,slo',
    });
    const head = fake.branches.get(d.branch)!;
    for (const f of d.files) expect(fake.commit(head)?.files.get(f.path)).toBe(f.content);
    expect(fake.commit(head)?.parent).toBe(fake.branches.get('main'));
    expect(r.value).toMatchObject({
      commit: head,
      updated: false,
      committed: true,
      mergeRequest: { iid: 1, created: true },
      reviewers: ['alice', 'bob'],
    });
  });

  it('re-running updates the same branch and merge request instead of opening another', async () => {
    fake = await startFakeGitLab({
      project: 'acme/slos',
      files: { 'README.md': 'hi\n' },
      users: {},
    });
    const gl = createGitLabPublisher({
      project: 'acme/slos',
      token: 't',
      baseUrl: fake.url,
      base: 'main',
    });
    const first = await gl.publish(draft(0.999));
    if (!first.ok) throw first.error;
    fake.requests.length = 0;
    const second = await gl.publish(draft(0.995));
    if (!second.ok) throw second.error;
    expect(seen(fake)).not.toContain(`POST ${P}/merge_requests`);
    expect(seen(fake)).toContain(`PUT ${P}/merge_requests/1`);
    const commit = fake.requests.find((x) => x.method === 'POST')!;
    const body = commit.body as {
      start_branch?: string;
      actions: { action: string; file_path: string }[];
    };
    expect(body.start_branch).toBeUndefined();
    // Only files whose content changed are sent, all as updates.
    expect(body.actions.length).toBeGreaterThan(0);
    expect(body.actions.every((a) => a.action === 'update')).toBe(true);
    expect(fake.commit(second.value.commit)?.parent).toBe(first.value.commit);
    expect(fake.mergeRequests).toHaveLength(1);
    expect(fake.mergeRequests[0]!.description).toContain('99.5%');
    expect(second.value).toMatchObject({
      updated: true,
      committed: true,
      mergeRequest: { iid: 1, created: false },
    });

    fake.requests.length = 0;
    const third = await gl.publish(draft(0.995));
    if (!third.ok) throw third.error;
    expect(third.value).toMatchObject({ committed: false, commit: second.value.commit });
    expect(fake.requests.filter((x) => x.method === 'POST')).toEqual([]);
  });

  it('returns PUBLISH_FAILED with the status when GitLab refuses, and validates options', async () => {
    fake = await startFakeGitLab({ project: 'acme/slos', files: {}, users: {} });
    const noToken = createGitLabPublisher({ project: 'acme/slos', baseUrl: fake.url });
    const r = await noToken.publish(draft());
    expect(r.ok ? '' : r.error.code).toBe('PUBLISH_FAILED');
    expect(r.ok ? '' : r.error.message).toContain('401');
    expect(r.ok ? '' : r.error.message).not.toContain('glpat');
    expect(() => createGitLabPublisher({ project: '/x' })).toThrow(/project/);
    const gl = createGitLabPublisher({ project: 'acme/slos', token: 't', baseUrl: fake.url });
    const bad = await gl.publish({ ...draft(), branch: 'bad branch' });
    expect(bad.ok ? '' : bad.error.code).toBe('INVALID_OPTIONS');
  });
});

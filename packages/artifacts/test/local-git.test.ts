import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalGitPublisher } from '../src/adapters/git/index.ts';

const dirs: string[] = [];
function repo(): string {
  const d = mkdtempSync(join(tmpdir(), 'slo-repo-'));
  dirs.push(d);
  const g = (...a: string[]) =>
    execFileSync('git', a, {
      cwd: d,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
    });
  g('init', '-q', '-b', 'main');
  writeFileSync(join(d, 'README.md'), 'hello\n');
  g('add', '.');
  g('commit', '-q', '-m', 'init');
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const git = (d: string, ...a: string[]) => execFileSync('git', a, { cwd: d }).toString().trim();

describe('local git publisher (real git)', () => {
  it('creates a branch with the files, a description and a patch, without touching the work tree', async () => {
    const d = repo();
    const p = createLocalGitPublisher({ repoDir: d });
    const r = await p.publish({
      branch: 'slo/checkout',
      title: 'SLO: checkout',
      body: 'table',
      files: [{ path: 'slo/checkout.rules.yml', content: 'groups: []\n' }],
    });
    if (!r.ok) throw r.error;
    expect(r.value.updated).toBe(false);
    expect(git(d, 'show', 'slo/checkout:slo/checkout.rules.yml')).toBe('groups: []');
    expect(git(d, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(d, 'status', '--porcelain')).toBe('');
    expect(readFileSync(r.value.patchPath, 'utf8')).toContain('+groups: []');
    expect(readFileSync(r.value.descriptionPath, 'utf8')).toContain('# SLO: checkout');
  });

  it('re-running updates the same branch instead of opening another', async () => {
    const d = repo();
    const p = createLocalGitPublisher({ repoDir: d });
    const a = await p.publish({
      branch: 'slo/x',
      title: 't',
      body: 'b',
      files: [{ path: 'a.yml', content: '1\n' }],
    });
    const b = await p.publish({
      branch: 'slo/x',
      title: 't',
      body: 'b',
      files: [{ path: 'a.yml', content: '2\n' }],
    });
    const c = await p.publish({
      branch: 'slo/x',
      title: 't',
      body: 'b',
      files: [{ path: 'a.yml', content: '2\n' }],
    });
    if (!a.ok || !b.ok || !c.ok) throw new Error('publish failed');
    expect(b.value.updated).toBe(true);
    expect(git(d, 'rev-parse', 'slo/x~1')).toBe(a.value.commit);
    expect(c.value.commit).toBe(b.value.commit);
    expect(git(d, 'branch', '--list').split('\n').length).toBe(2);
  });

  it('rejects a bad branch name as a value', async () => {
    const r = await createLocalGitPublisher({ repoDir: repo() }).publish({
      branch: 'a..b',
      title: 't',
      body: '',
      files: [],
    });
    expect(r.ok ? '' : r.error.code).toBe('INVALID_OPTIONS');
  });
});

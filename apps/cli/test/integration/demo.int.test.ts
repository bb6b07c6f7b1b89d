/**
 * Runs `slo-scout demo` through its bin in a temp dir and checks what it produced: the branch in
 * the local repository holds every artifact file; the rules pass the real promtool (check and the
 * generated unit tests, run here on the files of the branch); the dashboards validate against the
 * Grafana schema; nothing in any artifact is flagged by the redactor. Then the step commands
 * (`validate`, `pr`, `analyze`) run over the same directory with `--json`.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDashboardValidator } from '@slo-scout/artifacts/dashboard-schema';
import { createRedactor } from '@slo-scout/fingerprint';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DemoResult } from '../../src/commands/demo.ts';
import { DEFAULT_DASHBOARD_SCHEMA, findExecutable } from '../../src/engine.ts';

const bin = fileURLToPath(new URL('../../bin/slo-scout.js', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function cli(args: readonly string[]): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { maxBuffer: 64 << 20, env: { ...process.env, CI: '1' } },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          stderr,
          ms: Math.round(performance.now() - started),
        });
      },
    );
  });
}

function git(repo: string, args: readonly string[]): string {
  const r = spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}

const promtool = findExecutable(process.env['SLO_PROMTOOL'] ?? 'promtool', process.env);

describe('slo-scout demo, end to end', () => {
  let dir: string;
  let demo: Run;
  let result: DemoResult;
  let checkout: string;

  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'slo-scout-demo-')), 'demo');
    demo = await cli(['demo', '--dir', dir, '--json']);
    console.info(
      `slo-scout demo: exit ${demo.code} in ${demo.ms} ms (command), stderr: ${demo.stderr.slice(0, 2000)}`,
    );
    result = JSON.parse(demo.stdout) as DemoResult;
    checkout = join(dir, '..', 'checkout');
    await mkdir(checkout, { recursive: true });
    if (result.pullRequest) {
      const tar = spawnSync('sh', [
        '-c',
        `git -C '${result.gitops}' archive '${result.pullRequest.branch}' | tar -x -C '${checkout}'`,
      ]);
      if (tar.status !== 0) throw new Error(`git archive: ${tar.stderr.toString()}`);
    }
  });

  it('finishes, and its --json document has the documented shape', () => {
    expect(demo.code, demo.stderr).toBe(0);
    expect(result).toMatchObject({
      apiVersion: 'slo-scout/v1',
      kind: 'DemoResult',
      dir,
      ok: true,
      shop: { seed: 42, sessions: 400 },
      browse: `slo-scout up --dir ${dir}`,
    });
    expect(result.ingest.windowCount).toBe(result.ingest.capsuleEvents);
    expect(result.ingest.sent.spans).toBeGreaterThan(1000);
    expect(result.journeys.length).toBeGreaterThanOrEqual(3);
    expect(result.slis.length).toBeGreaterThanOrEqual(2);
    expect(result.recommendations.length).toBeGreaterThanOrEqual(2);
    for (const r of result.recommendations) {
      expect(r.status).toBe('approved');
      expect(r.target).toBeGreaterThan(0.5);
      expect(r.target).toBeLessThan(1);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(result.journeys.map((j) => j.id)).toContain(r.journeyId);
    }
    expect(result.apiKey).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(result.tools.promtool.found).toBe(promtool !== undefined);
    expect(result.tools.dashboardSchema.found).toBe(true);
    expect(result.steps.map((s) => s.step)).toContain('discover journeys and SLIs');
    expect(result.artifact.validation.ok).toBe(true);
    expect(result.elapsedMs).toBeLessThan(180_000);
  });

  it('left a branch in the local repository with every artifact file', () => {
    const pr = result.pullRequest!;
    expect(pr.repoDir).toBe(join(dir, 'gitops'));
    expect(git(pr.repoDir, ['rev-parse', '--verify', `refs/heads/${pr.branch}`]).trim()).toMatch(
      /^[0-9a-f]{40}$/,
    );
    const tree = git(pr.repoDir, ['ls-tree', '-r', '--name-only', pr.branch]).trim().split('\n');
    for (const f of result.artifact.files) expect(tree).toContain(f);
    expect(tree).toEqual(expect.arrayContaining(['README.md', 'CODEOWNERS']));
    expect(result.artifact.files).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^prometheus\/rules\/.+\.rules\.yml$/),
        expect.stringMatching(/^prometheus\/tests\/.+\.test\.yml$/),
        expect.stringMatching(/^grafana\/dashboards\/.+\.json$/),
        expect.stringMatching(/^runbooks\/.+\.md$/),
      ]),
    );
    // The main branch is untouched: the change is only on the pull-request branch.
    expect(
      git(pr.repoDir, ['ls-tree', '-r', '--name-only', 'main']).trim().split('\n').sort(),
    ).toEqual(['CODEOWNERS', 'README.md']);
  });

  it('has rules that pass promtool check and the generated unit tests', () => {
    expect(promtool, 'promtool is installed by the integration services').toBeDefined();
    const ruleFiles = result.artifact.files.filter((f) => f.startsWith('prometheus/rules/'));
    const testFiles = result.artifact.files.filter((f) => f.startsWith('prometheus/tests/'));
    expect(ruleFiles.length).toBeGreaterThanOrEqual(4);
    expect(testFiles).toHaveLength(ruleFiles.length);
    const check = spawnSync(promtool!, ['check', 'rules', ...ruleFiles], {
      cwd: checkout,
      encoding: 'utf8',
    });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const test = spawnSync(promtool!, ['test', 'rules', ...testFiles], {
      cwd: checkout,
      encoding: 'utf8',
    });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/SUCCESS/);
  }, 240_000);

  it('has dashboards that validate against the Grafana dashboard schema', async () => {
    const schema = JSON.parse(await readFile(DEFAULT_DASHBOARD_SCHEMA, 'utf8')) as object;
    const validator = createDashboardValidator({ schema });
    const dashboards = (await listFiles(checkout)).filter((f) =>
      f.startsWith('grafana/dashboards/'),
    );
    expect(dashboards.length).toBeGreaterThan(0);
    for (const f of dashboards) {
      const r = validator.validate(
        JSON.parse(await readFile(join(checkout, f), 'utf8')) as unknown,
      );
      expect(r.ok, r.ok ? f : `${f}: ${r.error.message}`).toBe(true);
    }
    // The check can fail: a dashboard with a numeric title does not validate.
    expect(validator.validate({ title: 42 }).ok).toBe(false);
  });

  it('holds nothing the redactor flags in any artifact', async () => {
    const redactor = createRedactor();
    const files = await listFiles(checkout);
    expect(files.length).toBe(result.artifact.files.length + 2);
    for (const f of files) {
      const text = await readFile(join(checkout, f), 'utf8');
      expect(redactor.find(text), f).toEqual([]);
    }
    // The scan can fail: the same redactor flags an address written into a file.
    expect(redactor.find('contact alice@example.com').length).toBeGreaterThan(0);
    expect(existsSync(result.artifact.dir)).toBe(true);
  });

  it('runs validate, pr and analyze over the same directory with --json', async () => {
    const validate = await cli(['validate', result.artifact.id, '--dir', dir, '--json']);
    expect(validate.code, validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({
      artifactId: result.artifact.id,
      report: { ok: true, policy: { allowed: true } },
    });
    const pr = await cli(['pr', result.artifact.id, '--dir', dir, '--json']);
    expect(pr.code, pr.stderr).toBe(0);
    expect(JSON.parse(pr.stdout)).toMatchObject({
      pullRequest: { branch: result.pullRequest!.branch, updated: true },
      repoDir: join(dir, 'gitops'),
    });
    const analyze = await cli([
      'analyze',
      '--dir',
      dir,
      '--from',
      String(result.range.fromMs),
      '--to',
      String(result.range.toMs),
      '--no-recommend',
      '--json',
    ]);
    expect(analyze.code, analyze.stderr).toBe(0);
    const doc = JSON.parse(analyze.stdout) as { analysis: { journeys: { id: string }[] } };
    expect(doc.analysis.journeys.map((j) => j.id).sort()).toEqual(
      result.journeys.map((j) => j.id).sort(),
    );
    const missing = await cli(['validate', 'art-nope', '--dir', dir, '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('serves the result with up: collectors, pipeline and API, stopped by SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'up', '--dir', dir, '--port', '0', '--collector-port', '0', '--json'],
      { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        resolve(code);
      }),
    );
    try {
      const deadline = Date.now() + 120_000;
      while (!out.includes('"status": "running"')) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`up did not start: ${err}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const urls = JSON.parse(out) as { api: string; collectors: string; adminKey?: string };
      // The demo created the admin key already: up does not print another.
      expect(urls.adminKey).toBeUndefined();
      expect((await fetch(`${urls.api}/healthz`)).status).toBe(200);
      expect((await fetch(`${urls.api}/api/v1/status`)).status).toBe(401);
      const status = await fetch(`${urls.api}/api/v1/status`, {
        headers: { authorization: `Bearer ${result.apiKey!}` },
      });
      expect(status.status).toBe(200);
      expect(await status.json()).toMatchObject({ services: result.ingest.services });
      const journeys = await fetch(`${urls.api}/api/v1/journeys`, {
        headers: { authorization: `Bearer ${result.apiKey!}` },
      });
      expect(((await journeys.json()) as unknown[]).length).toBe(result.journeys.length);
      const otlp = await fetch(`${urls.collectors}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resourceLogs: [] }),
      });
      expect(otlp.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

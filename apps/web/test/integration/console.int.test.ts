/**
 * The review console end to end, in Debian's Chromium driven by playwright-core, against the real
 * thing: `slo-scout demo` fills a temp directory (store, telemetry, a local git repository),
 * `slo-scout up --role api` serves the API and the freshly built console over it, and a person's
 * steps are replayed in the browser: sign in with a key, open a journey, approve its SLO, generate
 * the artifacts, open the pull request. The outcome is checked through the API and in the local
 * git repository. Screenshots of the main pages go to apps/web/test/screenshots/.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ArtifactView,
  Journey,
  JourneyDetail,
  RecommendationView,
} from '../../src/api/types.ts';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
const WEB = resolve(import.meta.dirname, '../..');
const ROOT = resolve(WEB, '../..');
const CLI = join(ROOT, 'apps/cli/bin/slo-scout.js');
const SHOTS = join(WEB, 'test/screenshots');

/** A key in the API's format: `sk_` and 32 random bytes as base64url. */
const newKey = (): string => `sk_${randomBytes(32).toString('base64url')}`;

/** Runs the CLI to completion: its exit code and output. */
async function cli(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 200_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof x.code !== 'number') throw e;
    return { code: x.code, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

/** Runs `slo-scout demo --json`; it must succeed (its artifacts validated, its branch pushed). */
async function demo(into: string): Promise<void> {
  const r = await cli(['demo', '--dir', into, '--json']);
  let result: { kind?: string; journeys?: unknown[]; gitops?: string } = {};
  try {
    result = JSON.parse(r.stdout) as typeof result;
  } catch {
    // Reported below with the output.
  }
  if (result.kind !== 'DemoResult' || r.code !== 0) {
    throw new Error(`slo-scout demo failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  expect(result.journeys?.length).toBeGreaterThan(0);
  expect(result.gitops).toBe(join(into, 'gitops'));
}

/** Starts `slo-scout up` and resolves with the API's URL once it listens. */
function up(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      fail(new Error(`slo-scout up did not start in 90 s\n${out}\n${err}`));
    }, 90_000);
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /"api"\s*:\s*"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok({ child, url: m[1]! });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`slo-scout up exited with ${code}\n${out}\n${err}`));
    });
  });
}

const running = (c: ChildProcess): boolean => c.exitCode === null && c.signalCode === null;

async function api<T>(base: string, key: string, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${base}/api/v1${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${key}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

describe('the review console in Chromium over the demo', () => {
  let dir: string;
  let webRoot: string;
  let server: ChildProcess | undefined;
  let base: string;
  let adminKey: string;
  let reviewerKey: string;
  let browser: Browser | undefined;
  let tab: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: run bash scripts/services/chromium.sh install`);
    }
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: the CLI (apps/cli) is required`);
    dir = await mkdtemp(join(tmpdir(), 'slo-web-e2e-'));
    webRoot = join(dir, 'web');
    // The console as `npm run build -w apps/web` makes it, into the temp dir.
    await run(
      'npx',
      ['vite', 'build', '--outDir', webRoot, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: WEB,
        timeout: 120_000,
      },
    );
    await demo(join(dir, 'demo'));
    const config = join(dir, 'slo-scout.yaml');
    await writeFile(
      config,
      `api:\n  host: 127.0.0.1\n  port: 0\n  webRoot: ${JSON.stringify(webRoot)}\n`,
    );
    adminKey = newKey();
    const started = await up(
      [
        'up',
        '--config',
        config,
        '--dir',
        join(dir, 'demo'),
        '--role',
        'api',
        '--port',
        '0',
        '--json',
      ],
      { SLO_SCOUT_ADMIN_KEY: adminKey },
    );
    server = started.child;
    base = started.url.replace(/\/+$/, '');
    // The reviewer gets a write key (not admin), as a person would.
    reviewerKey = (
      await api<{ key: string }>(base, adminKey, '/keys', {
        method: 'POST',
        body: JSON.stringify({ name: 'e2e-reviewer', scopes: ['write'] }),
      })
    ).key;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    tab = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    tab.on('pageerror', (e) => pageErrors.push(e.message));
    await mkdir(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    const child = server;
    if (child !== undefined && running(child)) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (running(child)) child.kill('SIGKILL');
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => tab.screenshot({ path: join(SHOTS, `${name}.png`) });
  const focusedText = () =>
    tab.evaluate(() => {
      const el = document.activeElement;
      return el === null ? '' : `${el.tagName} ${el.textContent}`;
    });

  it('signs in, approves an SLO, generates artifacts and opens the pull request', async () => {
    // The demo approved what it proposed; proposals over a shorter range (the last 20 hours of
    // data) give the reviewer fresh ones for the top journey, as a re-analysis would.
    let proposed = await api<RecommendationView[]>(
      base,
      reviewerKey,
      '/recommendations?status=proposed',
    );
    const journeys = await api<Journey[]>(base, reviewerKey, '/journeys');
    if (proposed.length === 0) {
      const status = await api<{ lastWindowMs: number }>(base, reviewerKey, '/status');
      const top = journeys.find((j) => j.key.type !== 'other')!;
      proposed = await api<RecommendationView[]>(base, reviewerKey, '/recommendations', {
        method: 'POST',
        body: JSON.stringify({
          fromMs: status.lastWindowMs - 20 * 3_600_000,
          toMs: status.lastWindowMs,
          journeyIds: [top.id],
        }),
      });
    }
    const journey = journeys.find((j) => j.id === proposed[0]?.journeyId);
    if (journey === undefined) throw new Error('the demo left no journey to review');

    // Sign in: a wrong key is refused with the API's own message, the right one is kept.
    await tab.goto(`${base}/`);
    await tab.getByRole('heading', { level: 1, name: 'Sign in to the review console' }).waitFor();
    await shot('01-sign-in');
    await tab.getByLabel('API key').fill(newKey());
    await tab.getByRole('button', { name: 'Sign in' }).click();
    const refused = tab.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('HTTP 401');
    await tab.getByLabel('API key').fill(reviewerKey);
    await tab.getByRole('button', { name: 'Sign in' }).click();

    // Services and journeys: the table, with traffic share and example traces.
    await tab.getByRole('heading', { level: 1, name: 'Services and journeys' }).waitFor();
    const table = tab.getByRole('table');
    await table.getByRole('link', { name: journey.name, exact: true }).waitFor();
    expect(await table.textContent()).toContain(journey.evidence.exampleTraceIds[0] ?? '');
    expect(await tab.evaluate(() => sessionStorage.getItem('slo-scout.api-key'))).toBe(reviewerKey);
    await shot('02-journeys');

    // Signing in moved focus to the page heading, so Tab goes on to the service filter.
    await tab.keyboard.press('Tab');
    expect(await focusedText()).toMatch(/^SELECT All services/);
    // A reload keeps the session (sessionStorage); the first Tab stop is the skip link, and it
    // leads into the main landmark.
    await tab.reload();
    await table.getByRole('link', { name: journey.name, exact: true }).waitFor();
    await tab.keyboard.press('Tab');
    expect(await focusedText()).toBe('A Skip to content');
    await tab.keyboard.press('Enter');
    expect(await tab.evaluate(() => document.activeElement?.id)).toBe('main');

    // Open the journey: focus moves to its heading.
    await table.getByRole('link', { name: journey.name, exact: true }).click();
    const heading = tab.getByRole('heading', { level: 1, name: `Journey: ${journey.name}` });
    await heading.waitFor();
    expect(await focusedText()).toBe(`H1 Journey: ${journey.name}`);
    // The history chart draws the ratio line and the target line (Recharts SVG).
    const chart = tab.getByTestId('sli-ratio-chart');
    await chart.locator('svg .recharts-line').first().waitFor({ timeout: 30_000 });
    expect(await chart.locator('.target-line').count()).toBeGreaterThan(0);
    expect(await chart.getAttribute('aria-label')).toContain('target');
    await tab.getByTestId('budget-chart').locator('svg').first().waitFor();

    const waiting = (
      await api<RecommendationView[]>(base, reviewerKey, '/recommendations?status=proposed')
    ).filter((r) => r.journeyId === journey.id);
    expect(waiting.length).toBeGreaterThan(0);
    const rec = waiting[0]!;

    // Rejecting without a reason is stopped before any request, with a message on the field.
    // The card of that recommendation (the demo's approved one for the SLI is shown too).
    const card = tab.locator(`article.recommendation[data-recommendation-id="${rec.id}"]`);
    await card.getByRole('button', { name: `Reject ${rec.sliName}` }).click();
    await card.getByText('A reason is required to reject a recommendation.').waitFor();
    expect(await card.getByLabel(/^Reason/).getAttribute('aria-invalid')).toBe('true');
    await shot('03-journey');

    // Approve.
    await card.getByLabel(/^Reason/).fill('Matches what users saw during the incident.');
    await card.getByRole('button', { name: `Approve ${rec.sliName}` }).click();
    await card.getByText(/^Status: Approved by/).waitFor();
    const after = await api<RecommendationView>(base, reviewerKey, `/recommendations/${rec.id}`);
    expect(after.status).toBe('approved');
    expect(after.decidedBy).not.toBeNull();

    // Generate the artifacts: the artifact page, its validation and its diff.
    await tab.getByRole('button', { name: 'Generate artifacts' }).click();
    const artHeading = tab.getByRole('heading', { level: 1, name: /^Artifacts / });
    await artHeading.waitFor({ timeout: 180_000 }); // promtool runs every SLO's unit tests
    expect(await focusedText()).toMatch(/^H1 Artifacts /);
    const artifactId = decodeURIComponent(new URL(tab.url()).hash.replace('#/artifacts/', ''));
    const artifact = await api<ArtifactView>(base, reviewerKey, `/artifacts/${artifactId}`);
    expect(artifact.recommendationIds).toContain(rec.id);
    await tab.getByTestId('validation-verdict').waitFor();
    expect(await tab.getByTestId('validation-verdict').textContent()).toBe(
      artifact.report.ok ? '✔ All validation steps passed' : '✘ Validation failed',
    );
    await tab.locator('details.diff-file').first().waitFor();
    expect(await tab.locator('details.diff-file').count()).toBe(artifact.files.length);
    await shot('04-artifacts');

    // Open the pull request.
    await tab.getByRole('button', { name: 'Open or update the pull request' }).click();
    const prBox = tab.getByTestId('pull-request');
    const outcome = tab.locator('[data-testid=pull-request], [role=alert]').first();
    await outcome.waitFor({ timeout: 60_000 });
    // A refusal shows as an alert: fail with its text (the API's message) rather than a timeout.
    expect(await prBox.isVisible(), (await outcome.textContent()) ?? '').toBe(true);
    const branch = (await tab.getByTestId('pr-branch').textContent())!.trim();
    expect(branch.length).toBeGreaterThan(0);
    await prBox.scrollIntoViewIfNeeded();
    await shot('05-pull-request');

    // In the local repository: the branch exists and holds every generated file.
    const gitops = join(dir, 'demo', 'gitops');
    const { stdout: branches } = await run('git', ['-C', gitops, 'branch', '--list', branch]);
    expect(branches).toContain(branch);
    const { stdout: tree } = await run('git', [
      '-C',
      gitops,
      'ls-tree',
      '-r',
      '--name-only',
      branch,
    ]);
    const paths = new Set(tree.split('\n'));
    for (const f of artifact.files) expect(paths).toContain(f.path);
    const { stdout: rules } = await run('git', [
      '-C',
      gitops,
      'show',
      `${branch}:${artifact.files[0]!.path}`,
    ]);
    expect(rules).toBe(artifact.files[0]!.content);

    // Publishing again updates the same branch, through the API the console used.
    const again = await api<{ branch: string; updated: boolean }>(
      base,
      reviewerKey,
      '/pull-requests',
      {
        method: 'POST',
        body: JSON.stringify({ artifactId }),
      },
    );
    expect(again.branch).toBe(branch);

    expect(pageErrors).toEqual([]);
    // The screenshots are real PNGs.
    expect((await readFile(join(SHOTS, '05-pull-request.png'))).subarray(1, 4).toString()).toBe(
      'PNG',
    );
  });

  it('shows a journey that does not exist as an API error, not a blank page', async () => {
    await tab.goto(`${base}/#/journeys/no-such-journey`);
    const alert = tab.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('HTTP 404');
    const detail = await fetch(`${base}/api/v1/journeys/no-such-journey`, {
      headers: { authorization: `Bearer ${reviewerKey}` },
    });
    expect(detail.status).toBe(404);
    const body = (await detail.json()) as { error: { message: string } };
    expect(await alert.textContent()).toContain(body.error.message);
    // A journey detail the API does know still loads under the same session.
    const journeys = await api<Journey[]>(base, reviewerKey, '/journeys');
    const d = await api<JourneyDetail>(
      base,
      reviewerKey,
      `/journeys/${encodeURIComponent(journeys[0]!.id)}`,
    );
    expect(d.journey.id).toBe(journeys[0]!.id);
  });
});

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseTime } from './args.ts';
import { runCli } from './cli.ts';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(argv, { stdout, stderr, env: { PATH: '' } });
  return { code, out, err };
}

describe('command-line errors', () => {
  it('lists the commands in --help and exits 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    for (const c of ['demo', 'up', 'analyze', 'generate', 'validate', 'pr'])
      expect(r.out).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
    const demo = await run('demo', '--help');
    expect(demo.out).toMatch(/--seed <n>/);
    expect(demo.out).toMatch(/--json/);
  });

  it('answers an unknown command or option with exit 2 and where to look', async () => {
    const cmd = await run('deploy');
    expect(cmd.code).toBe(2);
    expect(cmd.err).toMatch(/unknown command 'deploy'/);
    expect(cmd.err).toMatch(/slo-scout --help/);
    const opt = await run('demo', '--sesions', '5');
    expect(opt.code).toBe(2);
    expect(opt.err).toMatch(/unknown option '--sesions'[\s\S]*Did you mean --sessions\?/);
    expect(opt.err).toMatch(/slo-scout demo --help/);
  });

  it('says what a good value looks like', async () => {
    const seed = await run('demo', '--seed', 'abc');
    expect(seed.code).toBe(2);
    expect(seed.err).toMatch(/--seed <n>.*expected a whole number from 0 to 2147483647, got 'abc'/);
    const sessions = await run('demo', '--sessions', '3');
    expect(sessions.err).toMatch(/from 10 to 100000, got '3'/);
    const from = await run('analyze', '--from', 'yesterday');
    expect(from.code).toBe(2);
    expect(from.err).toMatch(/expected a time such as now, now-24h/);
    const role = await run('up', '--role', 'database');
    expect(role.code).toBe(2);
    expect(role.err).toMatch(/Allowed choices are collectors, pipeline, api/);
    const missing = await run('validate');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/missing required argument 'artifactId'/);
  });

  it('refuses contradictory input with a hint', async () => {
    const range = await run('analyze', '--from', '2026-01-02', '--to', '2026-01-01');
    expect(range.code).toBe(2);
    expect(range.err).toMatch(/^error: --from \(2026-01-02T00:00:00.000Z\) must be before --to/m);
    expect(range.err).toMatch(/^hint: e\.g\. slo-scout analyze --from -7d --to now/m);
    const demo = await run(
      'demo',
      '--config',
      'no-such-slo-scout.yaml',
      '--dir',
      '/tmp/slo-demo-never',
    );
    expect(demo.code).not.toBe(0);
    expect(demo.err).toMatch(/cannot read the config file .*no-such-slo-scout\.yaml/);
    expect(demo.err).toMatch(/^hint: check the --config path/m);
  });

  it('prints errors as one JSON document with --json', async () => {
    const r = await run('analyze', '--from', '2026-01-02', '--to', '2026-01-01', '--json');
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toEqual({
      error: {
        code: 'USAGE',
        message: expect.stringMatching(/must be before --to/),
        hint: 'e.g. slo-scout analyze --from -7d --to now',
      },
    });
    const config = await run('generate', '--config', '/nonexistent/slo-scout.yaml', '--json');
    expect(config.code).toBe(2);
    expect(JSON.parse(config.out)).toMatchObject({
      error: { code: 'CONFIG', message: expect.stringMatching(/cannot read the config file/) },
    });
  });
});

describe('parseTime', () => {
  const now = Date.UTC(2026, 0, 10, 12);
  it('reads relative, ISO and epoch times', () => {
    expect(parseTime('now', now)).toBe(now);
    expect(parseTime('now-6h', now)).toBe(now - 6 * 3_600_000);
    expect(parseTime('-7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseTime('+30m', now)).toBe(now + 30 * 60_000);
    expect(parseTime('2026-01-05', now)).toBe(Date.UTC(2026, 0, 5));
    expect(parseTime('2026-01-05T10:00:00Z', now)).toBe(Date.UTC(2026, 0, 5, 10));
    expect(parseTime('1767571200000', now)).toBe(1_767_571_200_000);
  });
  it('rejects anything else', () => {
    for (const bad of ['', 'soon', '-7x', '2026-13-45', '12'])
      expect(() => parseTime(bad, now)).toThrow(/expected a time/);
  });
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text as streamText } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { createFingerprintStream, createRedactStream } from '../src/adapters/node/streams.ts';

const bin = (name: string) => join(import.meta.dirname, '..', 'bin', `${name}.js`);
const run = (name: string, input: string, args: string[] = []) =>
  spawnSync(process.execPath, [bin(name), ...args], { input, encoding: 'utf8', timeout: 30_000 });

describe('command-line tools on a pipe', () => {
  it('slo-redact redacts each line in order and reports to stderr', () => {
    const r = run('slo-redact', 'a bob@example.com\n\nfrom 10.0.0.1 ok\n', ['--report']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('a <EMAIL>\n\nfrom <IP> ok\n');
    expect(JSON.parse(r.stderr)).toEqual({ lines: 3, findings: 2, byKind: { EMAIL: 1, IP: 1 } });
  });

  it('slo-redact --json redacts records', () => {
    const r = run('slo-redact', '{"user":{"password":"x1"},"msg":"ip 10.0.0.1"}\n', ['--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ user: { password: '<SECRET>' }, msg: 'ip <IP>' });
  });

  it('slo-fingerprint writes one JSON object per line', () => {
    const input = 'took 12 ms for bob@example.com\ntook 7 ms for amy@example.org';
    const r = run('slo-fingerprint', input, ['--format', 'loghub']);
    expect(r.status).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { template: string; fingerprint: string; redacted: string });
    expect(out).toHaveLength(2);
    expect(out[0]!.template).toBe('took <*> for <*>'); // `12 ms` is one duration
    expect(out[0]!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(out[1]!.fingerprint).toBe(out[0]!.fingerprint);
    expect(out[1]!.redacted).toBe('took 7 ms for <EMAIL>');
  });

  it('rejects unknown flags with exit code 2', () => {
    expect(run('slo-fingerprint', '', ['--nope']).status).toBe(2);
  });
});

describe('Transform streams', () => {
  it('split lines across chunk boundaries, including multi-byte characters', async () => {
    const bytes = Buffer.from('héllo 10.0.0.1\nbyé\r\nlast');
    const cut = [3, 9, 18, 19]; // 3 splits 'é', 18 splits the second 'é'
    const chunks = [0, ...cut].map((a, i) => bytes.subarray(a, cut[i] ?? bytes.length));
    const out = await streamText(Readable.from(chunks).pipe(createRedactStream()));
    expect(out).toBe('héllo <IP>\nbyé\nlast\n');
  });

  it('fingerprint stream emits typed templates by default', async () => {
    const out = await streamText(Readable.from(['x 1\nx 2\n']).pipe(createFingerprintStream()));
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { template: string });
    expect(lines.map((l) => l.template)).toEqual(['x <NUM>', 'x <NUM>']);
  });
});

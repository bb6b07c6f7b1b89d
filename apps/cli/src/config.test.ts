import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScoutConfig } from './config.ts';
import { CliError } from './errors.ts';
import { loadConfig } from './load-config.ts';

const ctx = { env: {}, baseDir: '/etc/scout' };

function issuesOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).code).toBe('CONFIG');
    expect((e as CliError).exitCode).toBe(2);
    return (e as CliError).message;
  }
  throw new Error('expected a configuration error');
}

describe('parseScoutConfig', () => {
  it('puts every embedded part under the data directory by default', () => {
    const c = parseScoutConfig({}, { ...ctx, dir: '/data/demo' });
    expect(c.dataDir).toBe('/data/demo');
    expect(c.pipeline.bus).toEqual({ kind: 'embedded', dir: '/data/demo/bus', partitions: 3 });
    expect(c.pipeline.store).toEqual({ kind: 'pglite', dir: '/data/demo/db' });
    expect(c.pipeline.blobs).toEqual({ kind: 'local', dir: '/data/demo/blobs' });
    expect(c.publisher.repoDir).toBe('/data/demo/gitops');
    expect(c.collectors).toEqual({ host: '127.0.0.1', port: 4318 });
    expect(c.api).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.pipeline.logLevel).toBe('error');
  });

  it('resolves relative paths against the config file directory', () => {
    const c = parseScoutConfig(
      {
        dataDir: 'state',
        store: { kind: 'pglite' },
        blobs: { kind: 'local', dir: '../blobs' },
        api: { port: 9000, webRoot: 'web' },
        publisher: { kind: 'local-git', repoDir: '/srv/gitops', baseRef: 'main' },
        logLevel: 'warn',
      },
      ctx,
    );
    expect(c.dataDir).toBe('/etc/scout/state');
    expect(c.pipeline.store).toEqual({ kind: 'pglite', dir: '/etc/scout/state/db' });
    expect(c.pipeline.blobs).toEqual({ kind: 'local', dir: '/etc/blobs' });
    expect(c.api).toEqual({ host: '127.0.0.1', port: 9000, webRoot: '/etc/scout/web' });
    expect(c.publisher).toEqual({ kind: 'local-git', repoDir: '/srv/gitops', baseRef: 'main' });
    expect(c.pipeline.logLevel).toBe('warn');
  });

  it('reads the distributed sections with the pipeline schema and secrets from the environment', () => {
    const c = parseScoutConfig(
      {
        bus: { kind: 'kafka', brokers: ['127.0.0.1:9092'] },
        store: {
          kind: 'postgres',
          url: 'postgres://scout@db:5432/scout',
          passwordEnv: 'PGPASSWORD',
        },
        blobs: {
          kind: 's3',
          bucket: 'scout-raw',
          endpoint: 'http://127.0.0.1:7070',
          accessKeyId: '${S3_KEY}',
          secretAccessKeyEnv: 'S3_SECRET',
        },
        vectors: { kind: 'milvus', address: '127.0.0.1:19530' },
        pipeline: { roles: ['fingerprint'], workerId: 'w1' },
      },
      { ...ctx, env: { PGPASSWORD: 'p@ss word', S3_KEY: 'AKIA1', S3_SECRET: 's3cr3t' } },
    );
    expect(c.pipeline.bus).toMatchObject({ kind: 'kafka', brokers: ['127.0.0.1:9092'] });
    expect(c.pipeline.store).toMatchObject({ kind: 'postgres' });
    const url = new URL((c.pipeline.store as { url: string }).url);
    expect(decodeURIComponent(url.password)).toBe('p@ss word');
    expect(url.username).toBe('scout');
    expect(c.pipeline.blobs).toMatchObject({ accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t' });
    expect(c.pipeline.vectors).toEqual({
      kind: 'milvus',
      address: '127.0.0.1:19530',
      collection: 'capsules',
    });
    expect(c.pipeline.roles).toEqual(['fingerprint']);
    expect(c.pipeline.workerId).toBe('w1');
  });

  it('refuses literal secrets, naming the field and the fix', () => {
    const message = issuesOf(() =>
      parseScoutConfig(
        {
          store: { kind: 'postgres', url: 'postgres://scout:hunter2@db/scout' },
          blobs: { kind: 's3', bucket: 'raw', accessKeyId: 'AKIA', secretAccessKey: 'plain' },
        },
        ctx,
      ),
    );
    expect(message).toMatch(/store\.url: the URL holds a literal password.*passwordEnv/);
    expect(message).toMatch(/blobs\.secretAccessKey: a literal secret is not allowed.*\$\{VAR\}/);
    expect(message).toMatch(/blobs\.accessKeyId: a literal secret/);
    expect(message).not.toMatch(/hunter2|plain/);
  });

  it('names a missing environment variable and where it is used', () => {
    const message = issuesOf(() =>
      parseScoutConfig(
        {
          store: { kind: 'postgres', url: 'postgres://scout:${PGPASS}@db/scout' },
          blobs: { kind: 's3', bucket: 'raw', accessKeyIdEnv: 'KEY_ID', secretAccessKey: '${S}' },
        },
        ctx,
      ),
    );
    expect(message).toMatch(/store\.url: environment variable PGPASS is not set/);
    expect(message).toMatch(/blobs\.accessKeyIdEnv: environment variable KEY_ID is not set/);
    expect(message).toMatch(/blobs\.secretAccessKey: environment variable S is not set/);
  });

  it('names every bad field of the pipeline sections and unknown fields', () => {
    const message = issuesOf(() =>
      parseScoutConfig(
        {
          bus: { kind: 'kafka', brokers: ['nope'] },
          store: { kind: 'mysql' },
          api: { port: 70_000 },
          colectors: {},
        },
        ctx,
      ),
    );
    expect(message).toMatch(/unknown field\(s\) colectors: remove them or check their spelling/);
    expect(message).toMatch(/api\.port/);
    const pipeline = issuesOf(() =>
      parseScoutConfig(
        { bus: { kind: 'kafka', brokers: ['nope'] }, store: { kind: 'mysql' } },
        ctx,
      ),
    );
    expect(pipeline).toMatch(/bus\.brokers\.0: must be host:port/);
    expect(pipeline).toMatch(/store\.kind/);
  });

  it('rejects a wrong apiVersion and a config that is not a mapping', () => {
    expect(issuesOf(() => parseScoutConfig({ apiVersion: 'v0' }, ctx))).toMatch(/apiVersion/);
    expect(issuesOf(() => parseScoutConfig(['a'], ctx))).toMatch(/must hold a YAML mapping/);
  });
});

describe('loadConfig', () => {
  it('reads YAML relative to the file and reports syntax errors with the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scout-config-'));
    const file = join(dir, 'slo-scout.yaml');
    await writeFile(file, 'apiVersion: slo-scout/v1\ndataDir: data\napi:\n  port: 9100\n');
    const c = await loadConfig({ config: file }, {});
    expect(c.file).toBe(file);
    expect(c.dataDir).toBe(join(dir, 'data'));
    expect(c.api.port).toBe(9100);

    await writeFile(file, 'api:\n  port: [1,\n');
    await expect(loadConfig({ config: file }, {})).rejects.toThrow(/is not valid YAML at line \d+/);
    await expect(loadConfig({ config: join(dir, 'missing.yaml') }, {})).rejects.toThrow(
      /cannot read the config file/,
    );
  });
});

/**
 * The demo's flow in distributed mode, on the real services the repo's scripts start: Kafka for the
 * bus, PostgreSQL for the store (a database of its own), the S3 server for raw samples, Milvus Lite
 * for the capsule vectors, promtool for validation — and the generated rules loaded into the running
 * Prometheus, which must evaluate every group without an error.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createS3BlobStore } from '@slo-scout/store/s3';
import { loadConnection } from '@slo-scout/testkit';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoResult } from '../../src/commands/demo.ts';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../bin/slo-scout.js');
const tag = randomBytes(4).toString('hex');
const database = `scout_dist_${tag}`;
const collection = `dist_${tag}`;
const kafka = loadConnection('kafka');
const postgres = loadConnection('postgres');
const s3 = loadConnection('s3');
const milvus = loadConnection('milvus');
const prometheus = loadConnection('prometheus');

let dir: string;
let result: DemoResult;
const admin = new pg.Client({ connectionString: postgres.url });
const storeUrl = postgres.url.replace(/\/[^/]*$/, `/${database}`);

beforeAll(async () => {
  await admin.connect();
  await admin.query(`create database ${database}`);
  dir = await mkdtemp(join(tmpdir(), 'slo-dist-'));
  const config = join(dir, 'slo-scout.yaml');
  await writeFile(
    config,
    [
      'apiVersion: slo-scout/v1',
      `bus: { kind: kafka, brokers: ${JSON.stringify(kafka.brokers)} }`,
      `store: { kind: postgres, url: ${JSON.stringify(storeUrl)} }`,
      'blobs:',
      '  kind: s3',
      `  bucket: ${s3.bucket}`,
      `  endpoint: ${s3.endpoint}`,
      `  region: ${s3.region}`,
      '  accessKeyIdEnv: DIST_S3_KEY',
      '  secretAccessKeyEnv: DIST_S3_SECRET',
      `vectors: { kind: milvus, address: ${JSON.stringify(milvus.address)}, collection: ${collection} }`,
      `pipeline: { topicPrefix: 'dist-${tag}.', workerId: dist-${tag} }`,
      `validate: { promtool: ${JSON.stringify(prometheus.promtool)} }`,
      '',
    ].join('\n'),
  );
  const out = await run(
    process.execPath,
    [CLI, 'demo', '--config', config, '--dir', join(dir, 'demo'), '--json'],
    {
      env: {
        ...process.env,
        DIST_S3_KEY: s3.accessKeyId,
        DIST_S3_SECRET: s3.secretAccessKey,
      },
      maxBuffer: 64 << 20,
      timeout: 600_000,
    },
  ).catch((e: unknown) => {
    const x = e as { stdout?: string; stderr?: string };
    throw new Error(`slo-scout demo --config failed:\n${x.stdout ?? ''}\n${x.stderr ?? ''}`);
  });
  result = JSON.parse(out.stdout) as DemoResult;
}, 660_000);

afterAll(async () => {
  await admin.query(`drop database if exists ${database} with (force)`).catch(() => undefined);
  await admin.end();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the demo on Kafka, PostgreSQL, S3, Milvus Lite and Prometheus', () => {
  it('validated the artifacts with promtool and opened the pull request', () => {
    expect(result.ok).toBe(true);
    const steps = Object.fromEntries(result.artifact.validation.steps.map((s) => [s.name, s]));
    expect(steps['promtool check rules']).toMatchObject({ ok: true });
    expect(steps['promtool check rules']!.skipped).toBeUndefined();
    expect(steps['promtool test rules']).toMatchObject({ ok: true });
    expect(result.pullRequest?.branch).toMatch(/^slo-scout\//);
  });

  it('kept windows, spans, journeys and recommendations in PostgreSQL', async () => {
    const db = new pg.Client({ connectionString: storeUrl });
    await db.connect();
    try {
      const count = async (table: string): Promise<number> =>
        Number((await db.query(`select count(*) as n from ${table}`)).rows[0].n);
      const events = Number(
        (await db.query('select coalesce(sum(count), 0) as n from capsule_windows')).rows[0].n,
      );
      expect(events).toBe(result.ingest.windowCount);
      expect(result.ingest.windowCount).toBe(result.ingest.capsuleEvents);
      expect(await count('spans')).toBeGreaterThan(1000);
      expect(await count('journeys')).toBe(result.journeys.length);
      expect(await count('slo_recommendations')).toBe(result.recommendations.length);
    } finally {
      await db.end();
    }
  });

  it('wrote raw samples to the S3 server and capsule vectors to Milvus', async () => {
    const blobs = createS3BlobStore({
      bucket: s3.bucket,
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    let raw = 0;
    for await (const info of blobs.list('raw/')) if (info.key.endsWith('.jsonl.gz')) raw++;
    expect(raw).toBeGreaterThan(0);
    const client = new MilvusClient({ address: milvus.address });
    try {
      await client.loadCollection({ collection_name: collection });
      const stats = await client.getCollectionStatistics({ collection_name: collection });
      expect(Number(stats.data['row_count'])).toBeGreaterThan(10);
    } finally {
      await client.closeConnection();
    }
  });

  it('has rules that the running Prometheus loads and evaluates without an error', async () => {
    const repo = result.pullRequest!.repoDir;
    const ruleFiles = result.artifact.files.filter((f) => f.startsWith('prometheus/rules/'));
    expect(ruleFiles.length).toBeGreaterThanOrEqual(4);
    const loaded: string[] = [];
    for (const f of ruleFiles) {
      const content = (
        await run('git', ['-C', repo, 'show', `${result.pullRequest!.branch}:${f}`], {
          maxBuffer: 16 << 20,
        })
      ).stdout;
      const target = join(prometheus.rulesDir, `dist-${tag}-${f.split('/').pop()!}`);
      await writeFile(target, content);
      loaded.push(target);
    }
    try {
      const reload = await fetch(`${prometheus.url}/-/reload`, { method: 'POST' });
      expect(reload.status).toBe(200);
      type Group = { file: string; rules: { health: string; lastError?: string; name: string }[] };
      let groups: Group[] = [];
      const deadline = Date.now() + 60_000;
      for (;;) {
        const body = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as {
          data: { groups: Group[] };
        };
        groups = body.data.groups.filter((g) => loaded.includes(g.file));
        const rules = groups.flatMap((g) => g.rules);
        if (rules.length > 0 && rules.every((r) => r.health !== 'unknown')) break;
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(new Set(groups.map((g) => g.file))).toEqual(new Set(loaded));
      const bad = groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok');
      expect(bad.map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
    } finally {
      for (const f of loaded) await rm(f, { force: true });
      await fetch(`${prometheus.url}/-/reload`, { method: 'POST' });
    }
  }, 120_000);
});

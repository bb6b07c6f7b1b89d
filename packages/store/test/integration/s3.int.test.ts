import { loadConnection } from '@slo-scout/testkit';
import { describe, expect, it } from 'vitest';
import { createS3BlobStore } from '../../src/adapters/s3/index.ts';
import { readRawSamples, writeRawSamples } from '../../src/blob/samples.ts';
import { DEFAULT_RETENTION } from '../../src/index.ts';
import { defineBlobSuite } from '../blob-suite.ts';

const c = loadConnection('s3');
const run = `${process.pid}-${Date.now()}`;
const store = createS3BlobStore({
  bucket: c.bucket,
  region: c.region,
  endpoint: c.endpoint,
  credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
  forcePathStyle: true,
  partSizeBytes: 5 * 1024 * 1024,
  multipartThresholdBytes: 6 * 1024 * 1024,
});

defineBlobSuite('S3 (versitygw)', () => ({ store, prefix: `it-${run}` }));

describe('S3 specifics', () => {
  it('uploads a large object in parts and reads back the same bytes', async () => {
    const big = new Uint8Array(13 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 12)) & 0xff;
    const key = `it-${run}/big.bin`;
    const before = store.multipartUploads();
    await store.put(key, big);
    expect(store.multipartUploads()).toBe(before + 1);
    const back = await store.get(key);
    expect(back?.length).toBe(big.length);
    expect(Buffer.compare(Buffer.from(back!), Buffer.from(big))).toBe(0);
    await store.delete(key);
  });

  it('writes raw samples idempotently by content hash', async () => {
    const samples = [
      { event_id: 'a', redacted_sample: 'x <*>' },
      { event_id: 'b', redacted_sample: 'y' },
    ];
    const service = `svc-${run}`;
    const first = await writeRawSamples(store, {
      service,
      hourMs: Date.UTC(2025, 0, 2, 13, 5),
      samples,
    });
    const again = await writeRawSamples(store, {
      service,
      hourMs: Date.UTC(2025, 0, 2, 13, 40),
      samples,
    });
    expect(first).toMatchObject({ ok: true, value: { created: true } });
    expect(again).toMatchObject({ ok: true, value: { created: false } });
    if (!first.ok) return;
    expect(first.value.key).toMatch(
      new RegExp(`^raw/${service}/2025-01-02/13/[0-9a-f]{64}\\.jsonl\\.gz$`),
    );
    expect(await readRawSamples(store, first.value.key)).toEqual({ ok: true, value: samples });
    await store.delete(first.value.key);
  });

  it('sets lifecycle rules from the retention config, or says why it cannot', async () => {
    try {
      await store.applyRetention!({ ...DEFAULT_RETENTION, rawSampleDays: 3 });
    } catch (e) {
      // A server without lifecycle support must fail loudly, naming the operation.
      expect(String(e)).toMatch(/put-lifecycle/);
      return;
    }
    const rules = await store.lifecycleRules();
    expect(rules.find((r) => r.ID === 'slo-scout-raw-samples')?.Expiration?.Days).toBe(3);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalBlobStore } from './index.ts';
import { defineBlobSuite } from '../../../test/blob-suite.ts';
import { readRawSamples, writeRawSamples } from '../../blob/samples.ts';

const root = mkdtempSync(join(tmpdir(), 'store-blobs-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
const store = createLocalBlobStore({ root });

defineBlobSuite('a local directory', () => ({ store, prefix: 'suite' }));

describe('raw samples in a local directory', () => {
  it('names objects by content hash, partitioned by service/date/hour; a retry is a no-op', async () => {
    const samples = [{ id: 1 }, { id: 2 }];
    const a = await writeRawSamples(store, {
      service: 'checkout',
      hourMs: Date.UTC(2025, 4, 6, 7, 59),
      samples,
    });
    const b = await writeRawSamples(store, {
      service: 'checkout',
      hourMs: Date.UTC(2025, 4, 6, 7, 0),
      samples,
    });
    expect(a.ok && a.value.key).toMatch(/^raw\/checkout\/2025-05-06\/07\/[0-9a-f]{64}\.jsonl\.gz$/);
    expect(b).toMatchObject({ ok: true, value: { created: false, key: a.ok ? a.value.key : '' } });
    const other = await writeRawSamples(store, {
      service: 'checkout',
      hourMs: Date.UTC(2025, 4, 6, 7),
      samples: [{ id: 3 }],
    });
    expect(other.ok && a.ok && other.value.key !== a.value.key).toBe(true);
    expect(await readRawSamples(store, a.ok ? a.value.key : '')).toEqual({
      ok: true,
      value: samples,
    });
    expect(await writeRawSamples(store, { service: '../x', hourMs: 0, samples })).toMatchObject({
      ok: false,
      error: { path: 'service' },
    });
  });

  it('refuses a bad root', () => {
    expect(() => createLocalBlobStore({ root: '' })).toThrow(/root/);
  });
});

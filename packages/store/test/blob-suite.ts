/** One suite for every blob store (local directory and S3). */
import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../src/index.ts';

/** Registers the blob-store suite; `setup` gives a store and a prefix no other run uses. */
export function defineBlobSuite(
  name: string,
  setup: () => { store: BlobStore; prefix: string },
): void {
  describe(`blob store on ${name}`, () => {
    it('puts, gets, lists by prefix, and deletes', async () => {
      const { store, prefix } = setup();
      const enc = new TextEncoder();
      await store.put(`${prefix}/b/2.txt`, enc.encode('two'));
      await store.put(`${prefix}/a/1.txt`, enc.encode('one'));
      await store.put(`${prefix}/a/1.txt`, enc.encode('uno')); // overwrite
      expect(new TextDecoder().decode(await store.get(`${prefix}/a/1.txt`))).toBe('uno');
      expect(await store.get(`${prefix}/missing`)).toBeUndefined();
      expect(await store.exists(`${prefix}/b/2.txt`)).toBe(true);
      const listed: string[] = [];
      for await (const info of store.list(`${prefix}/`)) listed.push(`${info.key}:${info.size}`);
      expect(listed).toEqual([`${prefix}/a/1.txt:3`, `${prefix}/b/2.txt:3`]);
      await store.delete(`${prefix}/a/1.txt`);
      await store.delete(`${prefix}/a/1.txt`); // deleting twice is fine
      expect(await store.exists(`${prefix}/a/1.txt`)).toBe(false);
      await store.delete(`${prefix}/b/2.txt`);
    });

    it('refuses unsafe keys', async () => {
      const { store } = setup();
      await expect(store.put('../escape', new Uint8Array([1]))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await expect(store.get('a//b')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });
  });
}

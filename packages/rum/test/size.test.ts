import { describe, expect, it } from 'vitest';
import { bundle } from './bundle.ts';

describe('bundle size', () => {
  it('the whole SDK, web-vitals included, is under 10 kB gzip', async () => {
    const all = await bundle(`export * from '@slo-scout/rum';`);
    const start = await bundle(`export { startRum } from '@slo-scout/rum';`);
    console.log(
      `size: everything ${all.bytes} B (${all.gzip} B gzip); startRum ${start.bytes} B (${start.gzip} B gzip)`,
    );
    expect(all.gzip).toBeLessThan(10 * 1024);
    expect(start.gzip).toBeLessThan(10 * 1024);
    expect(start.code).toContain('largest-contentful-paint');
  });

  it('is tree-shakable: the core alone leaves out web-vitals and the instrumentations', async () => {
    const core = await bundle(`export { createRum } from '@slo-scout/rum';`);
    const start = await bundle(`export { startRum } from '@slo-scout/rum';`);
    console.log(`size: createRum alone ${core.bytes} B (${core.gzip} B gzip)`);
    for (const marker of [
      'largest-contentful-paint',
      'pushState',
      'unhandledrejection',
      'XMLHttpRequest',
    ]) {
      expect(core.code).not.toContain(marker);
      expect(start.code).toContain(marker);
    }
    expect(core.gzip).toBeLessThan(start.gzip / 2);
  });
});

/**
 * RUM SDK benchmark: bundle sizes (what a page downloads) and the per-event cost of recording,
 * batching and encoding in the page. Synthetic input: the shared benchmark data holds no RUM set.
 * Run: npm run bench -w packages/rum
 */
import { createRum } from '../src/index.ts';
import { bundle } from '../test/bundle.ts';
import { createFakeEnv } from '../test/fake-env.ts';

const rows: string[] = [];
for (const [label, source] of [
  ['everything (`export *`)', `export * from '@slo-scout/rum';`],
  ['`startRum` (all plugins, web-vitals)', `export { startRum } from '@slo-scout/rum';`],
  ['`createRum` alone (no plugins)', `export { createRum } from '@slo-scout/rum';`],
] as const) {
  const b = await bundle(source);
  rows.push(`| ${label} | ${b.bytes.toLocaleString('en')} | ${b.gzip.toLocaleString('en')} |`);
}
console.log('| bundle (esbuild, minified, ES2020) | bytes | gzip bytes |');
console.log('| --- | ---: | ---: |');
for (const r of rows) console.log(r);

const N = 200_000;
const fake = createFakeEnv({ sendBeacon: true });
const rum = createRum({
  endpoint: 'https://rum.example/rum/v1/beacon',
  environment: fake.env,
  consent: 'granted',
  service: 'shop',
});
rum.setJourney('checkout', 'payment');
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  rum.record({
    t: 'resource_error',
    url: 'https://shop.example/api/cart',
    method: 'GET',
    status: 503,
    duration: i % 900,
  });
}
rum.flush();
const ms = performance.now() - t0;
const bytes = fake.beacons.reduce((n, b) => n + b.length, 0);
console.log('');
console.log('| in-page work | events/s | µs/event | beacons | bytes/event |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(
  `| record + batch (20) + encode, sessionStorage writes on a Map | ${Math.round((N / ms) * 1000).toLocaleString('en')} | ${((ms * 1000) / N).toFixed(2)} | ${fake.beacons.length.toLocaleString('en')} | ${(bytes / N).toFixed(0)} |`,
);

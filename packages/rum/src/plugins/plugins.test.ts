import { validateRumBeacon } from '@slo-scout/collectors';
import { describe, expect, it } from 'vitest';
import { createFakeEnv, settle } from '../../test/fake-env.ts';
import { createRum, type RumPlugin } from '../client.ts';
import type { RumBeaconEvent } from '../core/beacon.ts';
import type { XhrLike } from '../env.ts';
import { jsErrors } from './errors.ts';
import { failedRequests } from './network.ts';
import { routeChanges } from './routes.ts';
import { webVitals, type VitalMetric } from './vitals.ts';

const endpoint = 'https://rum.example/rum/v1/beacon';

function setup(plugins: RumPlugin[], fetchStatus = 204) {
  const fake = createFakeEnv({
    sendBeacon: true,
    path: '/home',
    fetchReply: (url) =>
      url.includes('offline') ? new Error('Failed to fetch') : { status: fetchStatus },
  });
  const rum = createRum({
    endpoint,
    environment: fake.env,
    consent: 'granted',
    plugins,
    maxBatchEvents: 500,
  });
  const events = (): RumBeaconEvent[] => {
    rum.flush();
    return fake.beacons.flatMap((b) => {
      const v = validateRumBeacon(JSON.parse(b));
      if (!v.ok) throw v.error;
      return [...v.value.events] as RumBeaconEvent[];
    });
  };
  return { fake, rum, events };
}

describe('routeChanges', () => {
  it('records route changes from pushState, replaceState and popstate, not same-route updates', () => {
    const { fake, rum, events } = setup([routeChanges()]);
    const history = fake.win.history;
    history.pushState({}, '', '/products/42');
    history.replaceState({}, '', '/products/42?tab=reviews');
    history.replaceState({}, '', '/cart');
    fake.win.location.pathname = '/products/42';
    fake.fireWindow('popstate');
    rum.record({ t: 'js_error', message: 'on product page' });
    expect(events().map((e) => [e.t, e.route, e.attrs?.['from']])).toEqual([
      ['page_view', '/home', undefined],
      ['route_change', '/products/42', '/home'],
      ['route_change', '/cart', '/products/42'],
      ['route_change', '/products/42', '/cart'],
      ['js_error', '/products/42', undefined],
    ]);
    const wrapped = history.pushState;
    rum.stop();
    expect(history.pushState).not.toBe(wrapped);
    history.pushState({}, '', '/after-stop');
    expect(fake.beacons).toHaveLength(1);
  });
});

describe('jsErrors', () => {
  it('records uncaught errors and unhandled rejections, ignores resource load errors, caps storms', () => {
    const { fake, events } = setup([jsErrors({ maxPerPage: 3 })]);
    const error = new TypeError('x is undefined');
    fake.fireWindow('error', {
      message: 'Uncaught TypeError: x is undefined',
      filename: 'https://shop.example/app.js',
      lineno: 3,
      colno: 7,
      error,
    });
    fake.fireWindow('error', { target: { src: 'https://cdn.example/img.png' } });
    fake.fireWindow('unhandledrejection', { reason: 'nope' });
    fake.fireWindow('unhandledrejection', { reason: { code: 42 } });
    fake.fireWindow('unhandledrejection', { reason: new Error('over the cap') });
    const errors = events().filter((e) => e.t === 'js_error');
    expect(errors.map((e) => e.message)).toEqual(['x is undefined', 'nope', '{"code":42}']);
    expect(errors[0]!.attrs).toMatchObject({
      'error.kind': 'error',
      'error.type': 'TypeError',
      'error.source': 'https://shop.example/app.js',
      'error.line': 3,
      'error.column': 7,
    });
    expect(String(errors[0]!.attrs?.['error.stack'])).toContain('x is undefined');
    expect(errors[1]!.attrs).toMatchObject({ 'error.kind': 'unhandledrejection' });
  });
});

describe('failedRequests', () => {
  it('reports failed fetches with status, method and duration, and passes results through', async () => {
    const { fake, rum, events } = setup([failedRequests()], 404);
    const fetch = fake.win.fetch as unknown as (
      u: unknown,
      i?: unknown,
    ) => Promise<{ status: number }>;
    const pending = fetch('/api/cart?user=alice', { method: 'post' });
    fake.elapse(120);
    expect((await pending).status).toBe(404);
    await expect(fetch('https://api.example/offline')).rejects.toThrow('Failed to fetch');
    await fetch({ url: endpoint, method: 'POST' });
    await settle();
    const failures = events().filter((e) => e.t === 'resource_error');
    expect(failures).toEqual([
      expect.objectContaining({
        url: 'https://shop.example/api/cart',
        method: 'POST',
        status: 404,
        duration: 120,
      }),
      expect.objectContaining({
        url: 'https://api.example/offline',
        method: 'GET',
        status: 0,
        message: 'Failed to fetch',
      }),
    ]);
    rum.stop();
  });

  it('does not report successful or opaque fetches', async () => {
    for (const reply of [{ status: 200 }, { status: 0, type: 'opaque' }]) {
      const fake = createFakeEnv({ sendBeacon: true, fetchReply: () => reply });
      const rum = createRum({
        endpoint,
        environment: fake.env,
        consent: 'granted',
        plugins: [failedRequests()],
      });
      await (fake.win.fetch as unknown as (u: string) => Promise<unknown>)('/ok');
      rum.flush();
      expect(fake.beacons.join()).not.toContain('resource_error');
    }
  });

  it('reports failed XHRs but not aborted or successful ones, and restores the prototype', () => {
    const { fake, rum, events } = setup([failedRequests()]);
    const Xhr = fake.FakeXhr;
    const make = (url: string) => {
      const x = new Xhr() as XhrLike & { finish(status: number, aborted?: boolean): void };
      x.open('GET', url);
      x.send();
      return x;
    };
    const failed = make('/api/stock');
    fake.elapse(30);
    failed.finish(503);
    make('/api/ok').finish(200);
    make('/api/aborted').finish(0, true);
    make('/api/network').finish(0);
    expect(
      events()
        .filter((e) => e.t === 'resource_error')
        .map((e) => [e.url, e.status, e.duration]),
    ).toEqual([
      ['https://shop.example/api/stock', 503, 30],
      ['https://shop.example/api/network', 0, 0],
    ]);
    const openOf = (): unknown => Object.getOwnPropertyDescriptor(Xhr.prototype, 'open')?.value;
    const wrapped = openOf();
    rum.stop();
    expect(openOf()).not.toBe(wrapped);
  });
});

describe('webVitals', () => {
  it('turns each reported metric into a web_vital event', () => {
    const reporters: ((m: VitalMetric) => void)[] = [];
    const source = (r: (m: VitalMetric) => void) => {
      reporters.push(r);
    };
    const { rum, events } = setup([webVitals({ sources: [source, source] })]);
    reporters[0]!({
      name: 'LCP',
      value: 1234.5,
      rating: 'good',
      id: 'v5-1',
      navigationType: 'navigate',
    });
    reporters[1]!({ name: 'CLS', value: 0.12, rating: 'needs-improvement', id: 'v5-2' });
    rum.stop();
    reporters[0]!({ name: 'INP', value: 80, rating: 'good', id: 'v5-3' });
    expect(events().filter((e) => e.t === 'web_vital')).toEqual([
      expect.objectContaining({
        name: 'LCP',
        value: 1234.5,
        rating: 'good',
        attrs: { 'vital.id': 'v5-1', 'vital.navigation': 'navigate' },
      }),
      expect.objectContaining({
        name: 'CLS',
        value: 0.12,
        rating: 'needs-improvement',
        attrs: { 'vital.id': 'v5-2' },
      }),
    ]);
  });
});

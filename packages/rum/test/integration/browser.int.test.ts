/**
 * The SDK on a real page in Debian's Chromium (driven by playwright-core), sending beacons to the
 * collectors' RUM receiver, whose embedded sink must end up with the expected TelemetryEvents.
 * Chromium comes from `scripts/services/chromium.sh install` (run by scripts/test-services.sh).
 */
import { createMemorySink, type MemorySink } from '@slo-scout/collectors';
import { createCollectorServer, type CollectorServer } from '@slo-scout/collectors/http';
import { telemetryEventType, type TelemetryEvent } from '@slo-scout/schema';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../bundle.ts';

const CHROMIUM = '/usr/bin/chromium';

function page(endpoint: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SLO-Scout test shop</title>
<style>body{font:18px sans-serif;margin:2rem} button{margin:.3rem}</style></head>
<body>
<h1 id="hero">SLO-Scout test shop</h1>
<p>A paragraph large enough to be the largest contentful paint of this page, so that LCP has an
element to report. It describes a product that nobody will buy, in a shop that does not exist.</p>
<nav><a id="to-cart" href="/cart">Go to the cart (SPA route change)</a></nav>
<button id="journey">Start checkout: payment step</button>
<button id="boom">Throw an error</button>
<button id="reject">Reject a promise</button>
<button id="bad-fetch">fetch a missing API</button>
<button id="offline-fetch">fetch an unreachable host</button>
<button id="bad-xhr">XHR a failing API</button>
<button id="consent">Accept analytics</button>
<script type="module">
import { startRum } from '/rum.js';
const rum = startRum({ endpoint: ${JSON.stringify(endpoint)}, service: 'test-shop', flushIntervalMs: 200 });
window.rum = rum;
const on = (id, f) => document.getElementById(id).addEventListener('click', f);
on('to-cart', (e) => { e.preventDefault(); history.pushState({}, '', '/cart'); document.getElementById('hero').textContent = 'Your cart'; });
on('journey', () => rum.setJourney('checkout', 'payment'));
on('boom', () => { throw new Error('boom from the test page'); });
on('reject', () => { Promise.reject(new Error('rejected on purpose')); });
on('bad-fetch', () => { fetch('/api/missing').catch(() => {}); });
on('offline-fetch', () => { fetch(window.offlineUrl).catch(() => {}); });
on('bad-xhr', () => { const x = new XMLHttpRequest(); x.open('POST', '/api/fail'); x.send('{}'); });
on('consent', () => rum.setConsent(true));
</script>
</body></html>`;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function until<T>(what: string, f: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('RUM SDK in Debian Chromium', () => {
  let dir: string;
  let sink: MemorySink;
  let collector: CollectorServer;
  let site: Server;
  let browser: Browser | undefined;
  let tab: Page;
  let origin: string;
  let offlineUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: run bash scripts/services/chromium.sh install`);
    }
    dir = await mkdtemp(join(tmpdir(), 'slo-rum-'));
    const sdk = await bundle(`export * from '@slo-scout/rum';`);
    await writeFile(join(dir, 'rum.js'), sdk.code);

    sink = createMemorySink();
    site = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/rum.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(sdk.code);
      } else if (path === '/api/missing') {
        res.writeHead(404).end('no such thing');
      } else if (path === '/api/fail') {
        res.writeHead(500).end('broken');
      } else if (path === '/bye') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>bye</p>');
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end(page(endpoint));
      }
    });
    origin = `http://127.0.0.1:${await listen(site)}`;
    collector = createCollectorServer({ sink, rum: { allowedOrigins: [origin] } });
    const endpoint = `http://127.0.0.1:${await collector.listen()}/rum/v1/beacon`;
    // A port nothing listens on, for a network failure.
    const closed = createServer();
    offlineUrl = `http://127.0.0.1:${await listen(closed)}/api/offline`;
    await new Promise((r) => closed.close(r));

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    tab = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  });

  afterAll(async () => {
    await browser?.close();
    await collector.close();
    await new Promise((r) => site.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('turns page views, route changes, errors, failed requests and web vitals into TelemetryEvents', async () => {
    const pageErrors: string[] = [];
    tab.on('pageerror', (e) => pageErrors.push(e.message));
    await tab.goto(`${origin}/`);
    await tab.waitForFunction(() => 'rum' in window);
    await tab.evaluate((url) => {
      (window as unknown as { offlineUrl: string }).offlineUrl = url;
    }, offlineUrl);

    await tab.click('#to-cart');
    await tab.click('#journey');
    await tab.click('#boom');
    await tab.click('#reject');
    await tab.click('#bad-fetch');
    await tab.click('#offline-fetch');
    await tab.click('#bad-xhr');
    await tab.waitForTimeout(1000);
    // Nothing leaves the page before consent, even with a 200 ms flush interval.
    expect(sink.size).toBe(0);
    expect(
      await tab.evaluate(() => (window as unknown as { rum: { queued: number } }).rum.queued),
    ).toBeGreaterThanOrEqual(8);

    await tab.click('#consent');
    const byType = (t: string) => sink.events().filter((e) => e.rum?.event_type === t);
    await until('errors and failed requests', () =>
      byType('resource_error').length >= 3 && byType('js_error').length >= 2 ? true : undefined,
    );
    // Kept after the run (the bundle's temp dir is removed) so a person can look at the page.
    const shot = join(await mkdtemp(join(tmpdir(), 'slo-rum-screenshot-')), 'test-page.png');
    await tab.screenshot({ path: shot, fullPage: true });
    expect((await readFile(shot)).subarray(1, 4).toString()).toBe('PNG');

    // Leaving the page hides it: web-vitals finalises LCP (and CLS/INP) and the SDK flushes.
    await tab.goto(`${origin}/bye`);
    const vitals = await until('web vitals', () => {
      const names = new Set(byType('web_vital').map((e) => e.rum?.vital_name));
      return ['FCP', 'TTFB', 'LCP'].every((n) => names.has(n)) ? byType('web_vital') : undefined;
    });

    // A reload in the same tab continues the stored session once consent is given again.
    await tab.goto(`${origin}/`);
    await tab.waitForFunction(() => 'rum' in window);
    await tab.click('#consent');
    await until('the second page view', () =>
      byType('page_view').length === 2 ? true : undefined,
    );

    const events: TelemetryEvent[] = sink.events();
    for (const e of events) {
      expect(telemetryEventType.check(e)).toBeUndefined();
      expect(e).toMatchObject({ kind: 'rum', service: 'test-shop' });
      expect(e.rum?.user_agent).toContain('Chrome');
    }
    const sessions = new Set(events.map((e) => e.rum?.session_id));
    expect(sessions.size).toBe(1);
    expect([...sessions][0]).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const views = byType('page_view');
    expect(views.map((v) => v.rum?.route)).toEqual(['/', '/']);
    const [change] = byType('route_change');
    expect(change?.rum?.route).toBe('/cart');
    expect(change?.attributes['from']).toBe('/');

    const errors = byType('js_error');
    expect(errors.map((e) => e.body).sort()).toEqual([
      'boom from the test page',
      'rejected on purpose',
    ]);
    for (const e of errors) {
      expect(e.rum).toMatchObject({ route: '/cart', journey: 'checkout', step: 'payment' });
      expect(e.severity_text).toBe('ERROR');
    }
    expect(pageErrors).toContain('boom from the test page');

    const failures = byType('resource_error');
    const summary = failures
      .map((e) => [
        e.attributes['http.method'],
        e.attributes['http.url'],
        e.attributes['http.status_code'],
      ])
      .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(summary).toEqual(
      [
        ['GET', `${origin}/api/missing`, 404],
        ['POST', `${origin}/api/fail`, 500],
        ['GET', offlineUrl, 0],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    for (const e of failures) {
      expect(e.duration_ms).toBeGreaterThanOrEqual(0);
      expect(e.rum).toMatchObject({ journey: 'checkout', step: 'payment' });
    }

    for (const v of vitals) {
      expect(v.rum?.vital_value).toBeGreaterThanOrEqual(0);
      expect(['good', 'needs-improvement', 'poor']).toContain(v.rum?.vital_rating);
    }
    const lcp = vitals.find((v) => v.rum?.vital_name === 'LCP');
    expect(lcp?.rum?.vital_value).toBeGreaterThan(0);
    // Sequence numbers are unique in the session, so every event kept its own id.
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    console.log(
      `browser run: ${events.length} events (${events.map((e) => e.rum?.vital_name ?? e.rum?.event_type).join(', ')}); screenshot ${shot}`,
    );
  });
});

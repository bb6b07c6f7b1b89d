import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { validateRumBeacon } from '@slo-scout/collectors';
import { describe, expect, it } from 'vitest';
import { parseScoutConfig, type ScoutConfig } from '../config.ts';
import { createProgress } from '../output.ts';
import { openRuntime } from '../runtime.ts';
import { countWindows, generateShop, ingestShop, planShop } from './ingest-shop.ts';
import { toRumBeacons } from './send.ts';

const DAY = 86_400_000;

describe('the demo ingest path', () => {
  it('turns the shop into RUM beacons the collector accepts', () => {
    const plan = planShop({ seed: 3, sessions: 30, nowMs: Date.UTC(2026, 0, 10, 9) });
    const shop = generateShop(plan);
    const beacons = toRumBeacons(shop.events);
    const rum = shop.events.filter((e) => e.kind === 'rum');
    expect(beacons.reduce((n, b) => n + b.events.length, 0)).toBe(rum.length);
    expect(new Set(beacons.map((b) => b.sid)).size).toBe(
      new Set(rum.map((e) => e.rum!.session_id)).size,
    );
    for (const b of beacons) {
      const checked = validateRumBeacon(JSON.parse(JSON.stringify(b)));
      if (!checked.ok) throw checked.error;
    }
    expect(plan.startMs).toBe(Date.UTC(2026, 0, 9));
    expect(plan.incident).toMatchObject({
      service: 'payment',
      endMs: plan.incident.startMs + DAY / 24,
    });
  });

  it(
    'carries the shop through the collector, the bus and the jobs into exact windows',
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'cli-ingest-'));
      const parsed = parseScoutConfig({ logLevel: 'silent' }, { env: {}, baseDir: dir, dir });
      // In memory: the bus and PGlite without directories.
      const config: ScoutConfig = {
        ...parsed,
        pipeline: {
          ...parsed.pipeline,
          bus: { kind: 'embedded', partitions: 2 },
          store: { kind: 'pglite' },
        },
      };
      const runtime = await openRuntime(config, { roles: ['fingerprint', 'aggregate'] });
      try {
        const plan = planShop({ seed: 5, sessions: 40, nowMs: Date.UTC(2026, 0, 10, 9) });
        const shop = generateShop(plan);
        const sink = new PassThrough();
        const progress = createProgress({ stdout: sink, stderr: sink, env: {} }, { json: true });
        const report = await ingestShop(shop, plan, {
          pipeline: runtime.pipeline!,
          progress,
          embedGroup: 'slo-embed',
        });
        const traces = shop.events.filter((e) => e.kind === 'trace').length;
        const logs = shop.events.filter((e) => e.kind === 'log').length;
        expect(report.sent).toMatchObject({ spans: traces, logs });
        // Every span and log makes a capsule; RUM page views and vitals do not.
        expect(report.capsuleEvents).toBe(traces + logs);
        expect(report.windowCount).toBe(report.capsuleEvents);
        const again = await countWindows(runtime.pipeline!, {
          fromMs: plan.startMs,
          toMs: plan.startMs + DAY,
        });
        expect(again.count).toBe(report.windowCount);
        expect(report.services).toBeGreaterThanOrEqual(5);
        expect(progress.timings.map((t) => t.step)).toEqual([
          expect.stringMatching(/^send telemetry to the collector at http:\/\/127\.0\.0\.1:\d+$/),
          'pipeline: fingerprint and aggregate into windows',
        ]);
      } finally {
        await runtime.close();
      }
    },
  );
});

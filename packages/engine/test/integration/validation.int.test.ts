import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDashboardValidator } from '@slo-scout/artifacts/dashboard-schema';
import { createPromtoolValidator } from '@slo-scout/artifacts/promtool';
import { createSyntheticShop } from '@slo-scout/slo';
import { createStore } from '@slo-scout/store';
import { createPgliteDatabase } from '@slo-scout/store/pglite';
import { sharedDir } from '@slo-scout/testkit';
import { describe, expect, it } from 'vitest';
import { createMemoryTelemetrySource, createScout } from '../../src/index.ts';

const H = 3_600_000;
const START = Date.UTC(2026, 10, 20);

describe('validation with the real promtool and the Grafana dashboard schema', () => {
  it('passes promtool check, the generated unit tests and the schema for recommended SLOs, and fails a broken rule', async () => {
    const shared = sharedDir();
    if (shared === undefined) throw new Error('../shared is required for the dashboard schema');
    const schema = JSON.parse(
      readFileSync(join(shared, 'compat/grafana/dashboard.jsonschema.json'), 'utf8'),
    ) as object;
    const rules = createPromtoolValidator({ binary: process.env.SLO_PROMTOOL ?? 'promtool' });
    const shop = createSyntheticShop({
      seed: 9,
      startMs: START,
      durationMs: 24 * H,
      sessions: 3000,
    });
    const { db } = await createPgliteDatabase({});
    const store = createStore(db);
    await store.migrate();
    const scout = createScout({
      store,
      telemetry: createMemoryTelemetrySource(shop.events),
      rules,
      dashboards: createDashboardValidator({ schema }),
      maxJourneys: 2,
    });
    const range = { fromMs: START, toMs: START + 24 * H };
    const analyzed = await scout.analyze({ range, actor: 't' });
    if (!analyzed.ok) throw analyzed.error;
    const recs = await scout.recommend({ range, actor: 't' });
    if (!recs.ok) throw recs.error;
    for (const r of recs.value) await scout.decide(r.id, { status: 'approved', actor: 't' });
    const art = await scout.generate({ actor: 't' });
    if (!art.ok) throw art.error;
    const steps = Object.fromEntries(art.value.report.steps.map((s) => [s.name, s]));
    for (const name of ['promtool check rules', 'promtool test rules', 'grafana dashboard schema'])
      expect(steps[name], `${name}: ${steps[name]?.detail}`).toMatchObject({ ok: true });
    expect(steps['promtool check rules']!.skipped).toBeUndefined();
    expect(art.value.report.ok).toBe(true);

    // The same validation must catch a rule file promtool rejects.
    const broken = art.value.files.map((f) =>
      f.path.endsWith('.rules.yml')
        ? { ...f, content: f.content.replace(/expr: /, 'expr: sum(') }
        : f,
    );
    const { validateArtifactFiles, DEFAULT_POLICY } = await import('../../src/index.ts');
    const report = await validateArtifactFiles(
      recs.value.map((r) => r.spec),
      broken,
      { rules, policy: DEFAULT_POLICY, approvals: [] },
    );
    expect(report.ok).toBe(false);
    expect(report.steps.find((s) => s.name === 'promtool check rules')!.ok).toBe(false);
    await store.close();
  }, 180_000);
});

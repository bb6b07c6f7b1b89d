/**
 * The demo's engine half: analyze → recommend → approve every proposal as `demo` → generate and
 * validate → pull request into `<dir>/gitops`, an admin API key, and the files written out.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureAdminKey } from '@slo-scout/api';
import type {
  AnalyzeReport,
  ArtifactView,
  PublishedPullRequest,
  RecommendationView,
} from '@slo-scout/engine';
import { openEngine, type ToolStatus } from '../engine.ts';
import type { Io, Progress } from '../output.ts';
import type { Runtime } from '../runtime.ts';
import { createEngineSteps, unwrap } from '../session.ts';

/** The actor of every demo decision, in the audit log. */
export const DEMO_ACTOR = 'demo';

/** What the engine half produced. */
export interface DemoDelivery {
  readonly analysis: AnalyzeReport;
  readonly recommendations: readonly RecommendationView[];
  readonly artifact: ArtifactView;
  /** Where the artifact files were written out, for browsing. */
  readonly artifactDir: string;
  /** Absent when validation or the policy refused the artifacts (the report says why). */
  readonly pullRequest: PublishedPullRequest | undefined;
  readonly repoDir: string;
  readonly promtool: ToolStatus;
  readonly dashboardSchema: ToolStatus;
  /** An admin API key for `slo-scout up` (stored hashed; shown this once). */
  readonly apiKey: string | undefined;
}

/** Runs the engine over the ingested data of `range`. */
export async function deliver(
  runtime: Runtime,
  range: { readonly fromMs: number; readonly toMs: number },
  deps: { readonly io: Io; readonly progress: Progress },
): Promise<DemoDelivery> {
  const steps = createEngineSteps(deps.progress);
  const engine = await openEngine(runtime, { env: deps.io.env, onProgress: steps.onProgress });
  const { scout } = engine;
  const analysis = unwrap(
    await steps.step('discover journeys and SLIs', () =>
      scout.analyze({ range, actor: DEMO_ACTOR }),
    ),
    'analyze',
  );
  deps.progress.note(
    `${analysis.journeys.length} journeys, ${analysis.slis.length} SLIs from ${analysis.spans} spans`,
  );
  const proposed = unwrap(
    await steps.step('recommend SLO targets and backtest them', () =>
      scout.recommend({ range, actor: DEMO_ACTOR }),
    ),
    'recommend',
  );
  const recommendations = await steps.step(
    `approve ${proposed.length} recommendations as ${DEMO_ACTOR}`,
    async () => {
      const out: RecommendationView[] = [];
      for (const r of proposed) {
        out.push(
          unwrap(
            await scout.decide(r.id, {
              status: 'approved',
              actor: DEMO_ACTOR,
              reason: 'approved by the demo',
            }),
            `approve ${r.id}`,
          ),
        );
      }
      return out;
    },
  );
  const artifact = unwrap(
    await steps.step(
      `generate artifacts; validate (promtool: ${engine.promtool.found ? 'yes' : 'skipped'}, dashboard schema, policy)`,
      () =>
        scout.generate({ recommendationIds: recommendations.map((r) => r.id), actor: DEMO_ACTOR }),
    ),
    'generate',
  );
  const artifactDir = join(runtime.config.dataDir, 'artifacts', artifact.id);
  for (const f of artifact.files) {
    const path = join(artifactDir, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.content);
  }
  const pullRequest = artifact.report.ok
    ? unwrap(
        await steps.step(`open the pull request in ${engine.repoDir}`, () =>
          scout.openPullRequest({ artifactId: artifact.id, actor: DEMO_ACTOR }),
        ),
        'pull request',
      )
    : undefined;
  const admin = await ensureAdminKey(runtime.store, { name: 'demo-admin' });
  return {
    analysis,
    recommendations,
    artifact,
    artifactDir,
    pullRequest,
    repoDir: engine.repoDir,
    promtool: engine.promtool,
    dashboardSchema: engine.dashboardSchema,
    apiKey: admin.key,
  };
}

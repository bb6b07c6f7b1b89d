/**
 * `slo-scout demo`: the whole flow on embedded defaults in a fresh directory — the synthetic shop
 * through the real collectors and pipeline into the store, then the engine's analysis, targets,
 * artifacts, validation, policy and a pull request into a local git repository.
 */
import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseScoutConfig, DEFAULT_DIR } from '../config.ts';
import { loadConfig } from '../load-config.ts';
import { CliError } from '../errors.ts';
import { generateShop, ingestShop, planShop, type IngestReport } from '../ingest/ingest-shop.ts';
import { createProgress, table, writeJson, type Io, type StepTiming } from '../output.ts';
import { openRuntime } from '../runtime.ts';
import type { PublishedPullRequest, ValidationReport } from '@slo-scout/engine';
import type { ToolStatus } from '../engine.ts';
import { renderValidation } from '../render.ts';
import { deliver, type DemoDelivery } from './demo-engine.ts';

/** Options of the demo command. */
export interface DemoOptions {
  readonly dir?: string;
  /** A slo-scout.yaml whose services (Kafka, PostgreSQL, S3, Milvus) the demo runs on. */
  readonly config?: string;
  readonly seed: number;
  readonly sessions: number;
  readonly json: boolean;
}

/** What the demo produced (the `--json` document). */
export interface DemoResult {
  readonly apiVersion: 'slo-scout/v1';
  readonly kind: 'DemoResult';
  readonly dir: string;
  readonly range: { readonly fromMs: number; readonly toMs: number };
  readonly shop: { readonly seed: number; readonly sessions: number; readonly events: number };
  readonly ingest: IngestReport;
  readonly journeys: readonly {
    readonly id: string;
    readonly name: string;
    readonly service: string;
    readonly trafficShare: number;
    readonly traces: number;
    readonly errors: number;
  }[];
  readonly slis: readonly {
    readonly id: string;
    readonly journeyId: string;
    readonly name: string;
    readonly kind: string;
  }[];
  readonly recommendations: readonly {
    readonly id: string;
    readonly journeyId: string;
    readonly sli: string;
    readonly service: string;
    readonly target: number;
    readonly window: string;
    readonly confidence: number;
    readonly status: string;
    readonly backtest: {
      readonly pages: number;
      readonly tickets: number;
      readonly budgetConsumed: number;
    };
  }[];
  readonly artifact: {
    readonly id: string;
    readonly dir: string;
    readonly files: readonly string[];
    readonly validation: ValidationReport;
  };
  /** The local git repository and, when validation and policy passed, the pull request. */
  readonly pullRequest: (PublishedPullRequest & { readonly repoDir: string }) | null;
  readonly gitops: string;
  /** True when the artifacts passed validation and the pull request was opened. */
  readonly ok: boolean;
  readonly tools: { readonly promtool: ToolStatus; readonly dashboardSchema: ToolStatus };
  /** An admin API key (stored hashed), or null when one existed already. */
  readonly apiKey: string | null;
  /** The command to browse the results. */
  readonly browse: string;
  readonly steps: readonly StepTiming[];
  readonly elapsedMs: number;
}

/** Refuses to wipe a directory that is obviously not a demo directory. */
function checkWipe(dir: string): void {
  const home = process.env['HOME'];
  if (dir === '/' || dir === resolve('.') || (home !== undefined && dir === resolve(home))) {
    throw new CliError('USAGE', `refusing to wipe ${dir}`, {
      hint: 'pass --dir with a directory of its own, e.g. --dir ./.slo-scout/demo',
    });
  }
}

/** Runs the demo. */
export async function runDemo(options: DemoOptions, io: Io): Promise<DemoResult> {
  const started = performance.now();
  const dir = resolve(options.dir ?? DEFAULT_DIR);
  checkWipe(dir);
  const config =
    options.config === undefined
      ? parseScoutConfig({}, { env: io.env, baseDir: process.cwd(), dir })
      : await loadConfig({ config: options.config, dir }, io.env);
  const progress = createProgress(io, { json: options.json });
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });

  const plan = planShop({ seed: options.seed, sessions: options.sessions, nowMs: Date.now() });
  const shop = await progress.step('generate the synthetic shop', () =>
    Promise.resolve(generateShop(plan)),
  );
  progress.note(`${shop.events.length} events, incident: ${plan.incident.label ?? ''}`);
  const runtime = await progress.step('start the embedded pipeline', () =>
    openRuntime(config, { roles: config.pipeline.roles }),
  );
  const range = { fromMs: plan.startMs, toMs: plan.startMs + plan.durationMs };
  let ingest: IngestReport;
  let delivery: DemoDelivery;
  try {
    ingest = await ingestShop(shop, plan, {
      pipeline: runtime.pipeline!,
      progress,
      embedGroup: config.pipeline.embed.groupId,
    });
    delivery = await deliver(runtime, range, { io, progress });
  } finally {
    await progress.step('stop the pipeline', () => runtime.close());
  }
  const result: DemoResult = {
    apiVersion: 'slo-scout/v1',
    kind: 'DemoResult',
    dir,
    range,
    shop: { seed: plan.seed, sessions: plan.sessions, events: shop.events.length },
    ingest,
    journeys: delivery.analysis.journeys.map((j) => ({
      id: j.id,
      name: j.name,
      service: j.entryService,
      trafficShare: j.trafficShare,
      traces: j.evidence.traceCount,
      errors: j.evidence.errorCount,
    })),
    slis: delivery.analysis.slis.map((s) => ({
      id: s.id,
      journeyId: s.journeyId,
      name: s.name,
      kind: s.kind,
    })),
    recommendations: delivery.recommendations.map((r) => ({
      id: r.id,
      journeyId: r.journeyId,
      sli: r.sliName,
      service: r.service,
      target: r.target,
      window: r.window,
      confidence: r.confidence,
      status: r.status,
      backtest: {
        pages: r.backtest.pages,
        tickets: r.backtest.tickets,
        budgetConsumed: r.backtest.budgetConsumed,
      },
    })),
    artifact: {
      id: delivery.artifact.id,
      dir: delivery.artifactDir,
      files: delivery.artifact.files.map((f) => f.path),
      validation: delivery.artifact.report,
    },
    pullRequest: delivery.pullRequest
      ? { ...delivery.pullRequest, repoDir: delivery.repoDir }
      : null,
    gitops: delivery.repoDir,
    ok: delivery.pullRequest !== undefined,
    tools: { promtool: delivery.promtool, dashboardSchema: delivery.dashboardSchema },
    apiKey: delivery.apiKey ?? null,
    browse: `slo-scout up --dir ${dir}`,
    steps: progress.timings,
    elapsedMs: Math.round(performance.now() - started),
  };
  if (options.json) writeJson(io, result);
  else printSummary(result, io);
  if (!result.ok) {
    throw new CliError('ENGINE_FAILED', 'the demo ran, but its artifacts did not pass validation', {
      hint: 'see the failed validation steps; this is a bug in the generated artifacts, please report it',
      reported: options.json,
    });
  }
  return result;
}

const pct = (x: number): string => `${(x * 100).toFixed(x >= 0.999 ? 2 : 1)}%`;

function printSummary(r: DemoResult, io: Io): void {
  const tty = io.stdout.isTTY === true;
  const names = new Map(r.journeys.map((j) => [j.id, j.name]));
  const slisOf = (id: string) => r.slis.filter((s) => s.journeyId === id);
  const out: string[] = [
    '',
    `SLO-Scout demo finished in ${(r.elapsedMs / 1000).toFixed(1)} s — ${r.shop.events} events of a synthetic shop day (seed ${r.shop.seed}), with an incident`,
    `ingested: ${r.ingest.sent.spans} spans, ${r.ingest.sent.logs} logs, ${r.ingest.sent.rum} RUM events through ${r.ingest.collectorUrl}; ${r.ingest.windowCount} events in ${r.ingest.windows} windows of ${r.ingest.services} services`,
    '',
    table(
      ['journey', 'SLI', 'target', 'window', 'confidence', 'backtest'],
      r.recommendations.map((x) => [
        names.get(x.journeyId) ?? x.journeyId,
        x.sli,
        pct(x.target),
        x.window,
        x.confidence.toFixed(2),
        `${x.backtest.pages} pages, ${x.backtest.tickets} tickets`,
      ]),
      tty,
    ),
    '',
    table(
      ['journey', 'service', 'traffic', 'traces', 'errors', 'SLIs'],
      r.journeys.map((j) => [
        j.name,
        j.service,
        pct(j.trafficShare),
        j.traces,
        j.errors,
        slisOf(j.id)
          .map((s) => s.name)
          .join('\n') || '-',
      ]),
      tty,
    ),
    '',
    renderValidation(r.artifact.validation, tty),
    '',
    `artifacts:    ${r.artifact.dir} (${r.artifact.files.length} files, artifact set ${r.artifact.id})`,
  ];
  const pr = r.pullRequest;
  if (pr) {
    out.push(
      `pull request: branch ${pr.branch} in ${pr.repoDir}${pr.commit ? ` (commit ${pr.commit.slice(0, 12)})` : ''}`,
      `              ${pr.url}`,
      `              git -C ${pr.repoDir} show --stat ${pr.branch}`,
    );
  } else {
    out.push(
      `pull request: NOT opened — the artifacts failed validation (see the table above); nothing was pushed to ${r.gitops}`,
    );
  }
  for (const t of [r.tools.promtool, r.tools.dashboardSchema])
    if (t.note) out.push(`note:         ${t.note}`);
  if (r.apiKey) out.push(`API key:      ${r.apiKey} (admin; stored hashed, shown once)`);
  out.push(`browse:       ${r.browse}`, '');
  io.stdout.write(out.join('\n'));
}

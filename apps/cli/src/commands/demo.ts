/**
 * `slo-scout demo`: the whole flow on embedded defaults in a fresh directory — the synthetic shop
 * through the real collectors and pipeline into the store, then the engine's analysis, targets,
 * artifacts, validation, policy and a pull request into a local git repository.
 */
import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseScoutConfig, DEFAULT_DIR } from '../config.ts';
import { CliError } from '../errors.ts';
import { generateShop, ingestShop, planShop, type IngestReport } from '../ingest/ingest-shop.ts';
import { createProgress, table, writeJson, type Io, type StepTiming } from '../output.ts';
import { openRuntime } from '../runtime.ts';

/** Options of the demo command. */
export interface DemoOptions {
  readonly dir?: string;
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
  const config = parseScoutConfig({}, { env: io.env, baseDir: process.cwd(), dir });
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
  let ingest: IngestReport;
  try {
    ingest = await ingestShop(shop, plan, {
      pipeline: runtime.pipeline!,
      progress,
      embedGroup: config.pipeline.embed.groupId,
    });
  } finally {
    await runtime.close();
  }
  const result: DemoResult = {
    apiVersion: 'slo-scout/v1',
    kind: 'DemoResult',
    dir,
    range: { fromMs: plan.startMs, toMs: plan.startMs + plan.durationMs },
    shop: { seed: plan.seed, sessions: plan.sessions, events: shop.events.length },
    ingest,
    steps: progress.timings,
    elapsedMs: Math.round(performance.now() - started),
  };
  if (options.json) writeJson(io, result);
  else printSummary(result, io);
  return result;
}

function printSummary(r: DemoResult, io: Io): void {
  const tty = io.stdout.isTTY === true;
  const lines = [
    '',
    `SLO-Scout demo finished in ${(r.elapsedMs / 1000).toFixed(1)} s — data in ${r.dir}`,
    '',
    table(
      ['ingested', 'value'],
      [
        ['events generated', r.shop.events],
        [
          'spans / logs / RUM sent',
          `${r.ingest.sent.spans} / ${r.ingest.sent.logs} / ${r.ingest.sent.rum}`,
        ],
        ['events in windows', r.ingest.windowCount],
        ['windows stored', r.ingest.windows],
        ['services', r.ingest.services],
      ],
      tty,
    ),
    '',
  ];
  io.stdout.write(lines.join('\n'));
}

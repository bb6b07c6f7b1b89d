/**
 * The engine over a runtime: telemetry from the bus, promtool and the dashboard schema as
 * validators when available (each missing one is reported, with how to get it), and the local
 * git publisher.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPromtoolValidator } from '@slo-scout/artifacts/promtool';
import { createDashboardValidator } from '@slo-scout/artifacts/dashboard-schema';
import {
  createScout,
  createStoreTelemetrySource,
  type ProgressEvent,
  type Scout,
  type TelemetrySource,
} from '@slo-scout/engine';
import { createLocalGitEnginePublisher } from '@slo-scout/engine/local-git';
import type { ScoutConfig } from './config.ts';
import { CliError } from './errors.ts';
import type { Runtime } from './runtime.ts';

/** How to get promtool when it is missing. */
export const PROMTOOL_HINT =
  'promtool not found: apt install prometheus (Debian/Ubuntu), or set SLO_PROMTOOL to the promtool binary';

/**
 * Where the Grafana dashboard JSON schema (grafana-foundation-sdk) is looked for when neither
 * `validate.dashboardSchema` nor `SLO_DASHBOARD_SCHEMA` names it: the shared reference data beside
 * the repository checkout. The repository does not carry a copy.
 */
export const DEFAULT_DASHBOARD_SCHEMA = fileURLToPath(
  new URL('../../../../shared/compat/grafana/dashboard.jsonschema.json', import.meta.url),
);

/** A validator the engine runs with, or why it does not. */
export interface ToolStatus {
  readonly found: boolean;
  readonly path?: string;
  readonly note?: string;
}

/** Finds an executable: an explicit path, else a name looked up on `PATH`. */
export function findExecutable(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (name.includes('/')) return existsSync(name) ? resolve(name) : undefined;
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Where promtool is: `validate.promtool`, `$SLO_PROMTOOL`, then `promtool` on the PATH. */
export function locatePromtool(
  config: ScoutConfig,
  env: Readonly<Record<string, string | undefined>>,
): ToolStatus {
  const wanted = config.validate.promtool ?? env['SLO_PROMTOOL'];
  const path = findExecutable(wanted ?? 'promtool', env);
  if (path !== undefined) return { found: true, path };
  return {
    found: false,
    note:
      wanted === undefined
        ? PROMTOOL_HINT
        : `promtool not found at ${wanted}: fix SLO_PROMTOOL / validate.promtool, or apt install prometheus`,
  };
}

/** Where the dashboard schema is: `validate.dashboardSchema`, `$SLO_DASHBOARD_SCHEMA`, else ../shared. */
export function locateDashboardSchema(
  config: ScoutConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ToolStatus {
  const path =
    config.validate.dashboardSchema ?? env['SLO_DASHBOARD_SCHEMA'] ?? DEFAULT_DASHBOARD_SCHEMA;
  if (existsSync(path)) return { found: true, path };
  return {
    found: false,
    note: `dashboard schema not found at ${path}: download grafana-foundation-sdk's dashboard.jsonschema.json and set SLO_DASHBOARD_SCHEMA (or validate.dashboardSchema in slo-scout.yaml)`,
  };
}

/** Creates the repository the local publisher writes to, with a README and CODEOWNERS. */
export async function ensureGitRepo(repoDir: string): Promise<void> {
  if (existsSync(join(repoDir, '.git'))) return;
  await mkdir(repoDir, { recursive: true });
  const git = (args: readonly string[]) =>
    new Promise<void>((ok, fail) => {
      execFile(
        'git',
        [...args],
        {
          cwd: repoDir,
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'SLO-Scout',
            GIT_AUTHOR_EMAIL: 'slo-scout@localhost',
            GIT_COMMITTER_NAME: 'SLO-Scout',
            GIT_COMMITTER_EMAIL: 'slo-scout@localhost',
          },
        },
        (e, _out, stderr) => {
          if (e)
            fail(
              new CliError('TOOL_MISSING', `git ${args[0] ?? ''} failed: ${stderr || e.message}`, {
                hint: 'install git (apt install git) and run the command again',
                cause: e,
              }),
            );
          else ok();
        },
      );
    });
  await git(['init', '-q', '-b', 'main']);
  await writeFile(
    join(repoDir, 'README.md'),
    '# GitOps repository\n\nSLO-Scout opens pull requests here: SLO specs, Prometheus rules and their unit tests, Grafana dashboards and runbooks.\n',
  );
  await writeFile(join(repoDir, 'CODEOWNERS'), '* @sre-team\n/slos/ @sre-team\n');
  await git(['add', 'README.md', 'CODEOWNERS']);
  await git(['commit', '-q', '-m', 'Initial commit']);
}

/**
 * Where analysis reads spans: the store's `spans` table, which the pipeline's `spans` role fills
 * (on by default). Reading the raw telemetry topic back is no substitute: the embedded bus drops
 * what every group has committed.
 */
export function telemetrySourceFor(runtime: Runtime): TelemetrySource {
  return createStoreTelemetrySource(runtime.store);
}

/** The engine with the validators that exist here, and what is missing. */
export interface EngineHandle {
  readonly scout: Scout;
  readonly promtool: ToolStatus;
  readonly dashboardSchema: ToolStatus;
  readonly repoDir: string;
}

/** Builds the engine over `runtime`. */
export async function openEngine(
  runtime: Runtime,
  options: {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly onProgress?: (e: ProgressEvent) => void;
  },
): Promise<EngineHandle> {
  const { config } = runtime;
  const promtool = locatePromtool(config, options.env);
  const dashboardSchema = locateDashboardSchema(config);
  let dashboards;
  if (dashboardSchema.found) {
    try {
      const schema = JSON.parse(await readFile(dashboardSchema.path!, 'utf8')) as object;
      dashboards = createDashboardValidator({ schema });
    } catch (cause) {
      throw new CliError('CONFIG', `cannot load the dashboard schema ${dashboardSchema.path!}`, {
        hint: 'point validate.dashboardSchema at a Grafana dashboard JSON schema (draft-07)',
        cause,
      });
    }
  }
  const repoDir = isAbsolute(config.publisher.repoDir)
    ? config.publisher.repoDir
    : resolve(dirname(config.dataDir), config.publisher.repoDir);
  await ensureGitRepo(repoDir);
  const pipeline = runtime.pipeline;
  const scout = createScout({
    store: runtime.store,
    blobs: runtime.blobs,
    telemetry: telemetrySourceFor(runtime),
    ...(pipeline?.vectors && pipeline.embedder
      ? { capsules: { vectors: pipeline.vectors, embedder: pipeline.embedder } }
      : {}),
    ...(promtool.found ? { rules: createPromtoolValidator({ binary: promtool.path! }) } : {}),
    ...(dashboards ? { dashboards } : {}),
    publisher: createLocalGitEnginePublisher({
      repoDir,
      ...(config.publisher.baseRef === undefined ? {} : { baseRef: config.publisher.baseRef }),
    }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { scout, promtool, dashboardSchema, repoDir };
}

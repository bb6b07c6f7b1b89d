/**
 * `slo-scout up`: the collectors, the pipeline and the API in one process (embedded defaults over
 * `--dir`, or the config file's services), or one `--role` at a time. Stops gracefully on SIGINT
 * and SIGTERM: the collectors stop accepting, the API closes, the jobs drain and commit.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApiServer, ensureAdminKey } from '@slo-scout/api';
import { openEngine } from '../engine.ts';
import { CliError } from '../errors.ts';
import { startCollectors, type RunningCollectors } from '../ingest/collectors.ts';
import { loadConfig, type ConfigOptions } from '../load-config.ts';
import { table, writeJson, type Io } from '../output.ts';
import { openRuntime } from '../runtime.ts';

/** The review console as `npm run build -w apps/web` leaves it, served when no webRoot is set. */
export const BUILT_CONSOLE = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** What `up` can run. */
export const UP_ROLES = ['collectors', 'pipeline', 'api'] as const;

/** One of {@link UP_ROLES}. */
export type UpRole = (typeof UP_ROLES)[number];

/** Options of `up`. */
export interface UpOptions extends ConfigOptions {
  readonly json: boolean;
  readonly roles: readonly UpRole[];
  readonly apiPort?: number;
  readonly collectorPort?: number;
  /** Stops the process when aborted (tests); default: SIGINT or SIGTERM. */
  readonly signal?: AbortSignal;
  /** Called once everything listens (tests). */
  readonly onReady?: (urls: UpUrls) => void;
}

/** Where the running parts listen. */
export interface UpUrls {
  readonly collectors?: string;
  readonly api?: string;
  readonly docs?: string;
  readonly metrics?: string;
  /** The admin key, printed only when this start created it. */
  readonly adminKey?: string;
}

function untilStopped(signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) resolve('abort');
      signal.addEventListener('abort', () => {
        resolve('abort');
      });
      return;
    }
    const on = (name: string) => () => {
      resolve(name);
    };
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
  });
}

/** Runs until stopped. */
export async function runUp(o: UpOptions, io: Io): Promise<UpUrls> {
  const config = await loadConfig(o, io.env);
  const roles = new Set(o.roles);
  if (roles.size === 0) {
    throw new CliError('USAGE', 'no role to run', { hint: `pass --role ${UP_ROLES.join('|')}` });
  }
  const runtime = await openRuntime(
    config,
    roles.has('pipeline') ? { roles: config.pipeline.roles } : {},
  );
  let collectors: RunningCollectors | undefined;
  let api: ReturnType<typeof createApiServer> | undefined;
  try {
    const urls: { -readonly [K in keyof UpUrls]: UpUrls[K] } = {};
    if (roles.has('collectors')) {
      collectors = await startCollectors({
        bus: runtime.bus,
        registry: runtime.registry,
        topic: runtime.topics.rawTelemetry,
        host: config.collectors.host,
        port: o.collectorPort ?? config.collectors.port,
        ...(config.collectors.defaultService === undefined
          ? {}
          : { defaultService: config.collectors.defaultService }),
        ...(config.collectors.rum ? { rum: config.collectors.rum } : {}),
      });
      urls.collectors = collectors.url;
    }
    if (roles.has('api')) {
      const engine = await openEngine(runtime, { env: io.env });
      const admin = await ensureAdminKey(runtime.store, {
        ...(io.env['SLO_SCOUT_ADMIN_KEY'] ? { key: io.env['SLO_SCOUT_ADMIN_KEY'] } : {}),
      });
      if (admin.created && admin.key) urls.adminKey = admin.key;
      const webRoot = config.api.webRoot ?? (existsSync(BUILT_CONSOLE) ? BUILT_CONSOLE : undefined);
      api = createApiServer({
        scout: engine.scout,
        store: runtime.store,
        ...(webRoot === undefined ? {} : { webRoot }),
      });
      const address = await api.listen({
        host: config.api.host,
        port: o.apiPort ?? config.api.port,
      });
      urls.api = address;
      urls.docs = `${address}/docs`;
    }
    if (runtime.pipeline?.url) urls.metrics = `${runtime.pipeline.url}/metrics`;
    if (o.json)
      writeJson(io, { status: 'running', roles: [...roles], dataDir: config.dataDir, ...urls });
    else printUrls(urls, io, { roles: [...roles], dataDir: config.dataDir });
    o.onReady?.(urls);
    const why = await untilStopped(o.signal);
    if (!o.json) io.stderr.write(`${why}: stopping (draining the pipeline)...\n`);
    return urls;
  } finally {
    await collectors?.stop();
    await api?.close();
    await runtime.close();
  }
}

function printUrls(
  urls: UpUrls,
  io: Io,
  at: { readonly roles: readonly string[]; readonly dataDir: string },
): void {
  const { roles, dataDir } = at;
  const rows: [string, string][] = [];
  if (urls.collectors) {
    rows.push(['OTLP/HTTP traces', `${urls.collectors}/v1/traces`]);
    rows.push(['OTLP/HTTP logs', `${urls.collectors}/v1/logs`]);
    rows.push(['Loki push', `${urls.collectors}/loki/api/v1/push`]);
    rows.push(['RUM beacons', `${urls.collectors}/rum/v1/beacon`]);
  }
  if (urls.api) {
    rows.push(['API', `${urls.api}/api/v1`]);
    rows.push(['API docs', urls.docs!]);
    rows.push(['web console', urls.api]);
  }
  if (urls.metrics) rows.push(['pipeline metrics', urls.metrics]);
  io.stdout.write(
    `slo-scout up: ${roles.join(', ')} over ${dataDir}\n${table(['endpoint', 'url'], rows, io.stdout.isTTY === true)}\n`,
  );
  if (urls.adminKey) {
    io.stdout.write(
      `\nadmin API key (shown once, stored hashed): ${urls.adminKey}\n  curl -H "Authorization: Bearer ${urls.adminKey}" ${urls.api ?? ''}/api/v1/status\n`,
    );
  }
  io.stdout.write('press Ctrl+C to stop\n');
}

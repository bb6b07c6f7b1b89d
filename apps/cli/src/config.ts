/**
 * `slo-scout.yaml`: validated with zod, errors that name the field and say what to do. The bus,
 * store, blobs, vectors and embedder sections are the pipeline's own schemas. Secrets come only
 * from the environment: `${VAR}` anywhere in a string, or `passwordEnv` / `accessKeyIdEnv` /
 * `secretAccessKeyEnv`; a literal secret in the file is refused.
 */
import { isAbsolute, join, resolve } from 'node:path';
import {
  parsePipelineConfig,
  pipelineConfigSchema,
  type PipelineConfig,
} from '@slo-scout/pipeline';
import { z } from 'zod';
import { CliError } from './errors.ts';

/** The config file's `apiVersion`. */
export const CONFIG_API_VERSION = 'slo-scout/v1';

/** The default data directory of the embedded mode (the demo's too). */
export const DEFAULT_DIR = '.slo-scout/demo';

const pipelineShape = pipelineConfigSchema.shape;
const hostSchema = z.string().min(1).default('127.0.0.1');
const port = (fallback: number) => z.number().int().min(0).max(65535).default(fallback);
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable');

const fileSchema = z
  .object({
    apiVersion: z.literal(CONFIG_API_VERSION).default(CONFIG_API_VERSION),
    /** Root of the embedded defaults: bus/, db/, blobs/, gitops/ under it. */
    dataDir: z.string().min(1).optional(),
    bus: z.unknown().optional(),
    store: z.unknown().optional(),
    blobs: z.unknown().optional(),
    vectors: pipelineShape.vectors,
    embedder: pipelineShape.embedder,
    pipeline: z
      .object({
        roles: pipelineShape.roles.optional(),
        workerId: pipelineShape.workerId,
        topicPrefix: pipelineShape.topicPrefix.optional(),
        aggregate: pipelineShape.aggregate.optional(),
        embed: pipelineShape.embed.optional(),
        http: pipelineShape.http,
      })
      .strict()
      .default({}),
    collectors: z
      .object({
        host: hostSchema,
        port: port(4318),
        defaultService: z.string().min(1).optional(),
        rum: z
          .object({ allowedOrigins: z.union([z.literal('*'), z.array(z.string().min(1))]) })
          .strict()
          .optional(),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 4318 }),
    api: z
      .object({ host: hostSchema, port: port(8080), webRoot: z.string().min(1).optional() })
      .strict()
      .default({ host: '127.0.0.1', port: 8080 }),
    validate: z
      .object({
        /** promtool binary; default `$SLO_PROMTOOL`, then `promtool` on the PATH. */
        promtool: z.string().min(1).optional(),
        /** Grafana dashboard JSON schema; default `$SLO_DASHBOARD_SCHEMA`, then ../shared beside the checkout. */
        dashboardSchema: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    publisher: z
      .object({
        kind: z.literal('local-git'),
        repoDir: z.string().min(1).optional(),
        baseRef: z.string().min(1).optional(),
      })
      .strict()
      .default({ kind: 'local-git' }),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).optional(),
  })
  .strict();

/** The validated configuration every command runs on. */
export interface ScoutConfig {
  /** The config file, when one was read. */
  readonly file: string | undefined;
  /** The data directory of the embedded parts. */
  readonly dataDir: string;
  readonly pipeline: PipelineConfig;
  readonly collectors: z.infer<typeof fileSchema>['collectors'];
  readonly api: z.infer<typeof fileSchema>['api'];
  readonly validate: { readonly promtool?: string; readonly dashboardSchema?: string };
  readonly publisher: {
    readonly kind: 'local-git';
    readonly repoDir: string;
    readonly baseRef?: string;
  };
}

/** Where relative paths resolve and where `${VAR}` values come from. */
export interface ConfigContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths in the file resolve against (the file's directory). */
  readonly baseDir: string;
  /** The file name for messages. */
  readonly file?: string;
  /** `--dir` from the command line: replaces `dataDir`. */
  readonly dir?: string;
}

interface Issue {
  readonly path: string;
  readonly message: string;
}

/** Field names that hold secrets: they must come from the environment. */
const SECRET_KEY = /(password|secret|token|apikey|api_key|accesskeyid|credential)/i;
const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces `${VAR}` in every string; records a missing variable as an issue at its field. */
function interpolate(
  value: unknown,
  ctx: ConfigContext,
  at: { path: string[]; issues: Issue[] },
): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_, name: string) => {
      const v = ctx.env[name];
      if (v === undefined) {
        at.issues.push({
          path: at.path.join('.'),
          message: `environment variable ${name} is not set; export it before running slo-scout`,
        });
        return '';
      }
      return v;
    });
  }
  if (Array.isArray(value)) {
    return value.map((v, i) =>
      interpolate(v, ctx, { path: [...at.path, String(i)], issues: at.issues }),
    );
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        interpolate(v, ctx, { path: [...at.path, k], issues: at.issues }),
      ]),
    );
  }
  return value;
}

/** Finds literal secrets: a secret-named string field, or a password inside a URL, without `${VAR}`. */
function findLiteralSecrets(value: unknown, path: string[], issues: Issue[]): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const here = [...path, k];
      if (
        typeof v === 'string' &&
        !k.endsWith('Env') &&
        SECRET_KEY.test(k) &&
        !/^\$\{[^}]+\}$/.test(v)
      ) {
        issues.push({
          path: here.join('.'),
          message: `a literal secret is not allowed in the config file; write \${VAR} or use ${k}Env: VAR, and set VAR in the environment`,
        });
      } else if (typeof v === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/@:]*:([^@]+)@/i.test(v)) {
        const password = /^[a-z][a-z0-9+.-]*:\/\/[^/@:]*:([^@]+)@/i.exec(v)![1]!;
        if (!/^\$\{[^}]+\}$/.test(password)) {
          issues.push({
            path: here.join('.'),
            message:
              'the URL holds a literal password; remove it and set passwordEnv: PGPASSWORD (or write ${PGPASSWORD} in its place)',
          });
        }
      } else findLiteralSecrets(v, here, issues);
    }
  }
}

/** Moves `*Env` secrets into the fields the pipeline's schemas expect. */
function applySecretEnvs(
  section: unknown,
  name: string,
  at: { readonly ctx: ConfigContext; readonly issues: Issue[] },
): unknown {
  const { ctx, issues } = at;
  if (typeof section !== 'object' || section === null || Array.isArray(section)) return section;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(section)) {
    if (!k.endsWith('Env')) {
      out[k] = v;
      continue;
    }
    const target = k.slice(0, -'Env'.length);
    const parsed = envName.safeParse(v);
    if (!parsed.success) {
      issues.push({ path: `${name}.${k}`, message: 'must be the name of an environment variable' });
      continue;
    }
    const value = ctx.env[parsed.data];
    if (value === undefined) {
      issues.push({
        path: `${name}.${k}`,
        message: `environment variable ${parsed.data} is not set; export it before running slo-scout`,
      });
      continue;
    }
    out[target] = value;
  }
  if (name === 'store' && typeof out['password'] === 'string' && typeof out['url'] === 'string') {
    const url = new URL(out['url']);
    url.password = encodeURIComponent(out['password']);
    out['url'] = url.toString();
    delete out['password'];
  }
  return out;
}

function fail(issues: readonly Issue[], ctx: ConfigContext): never {
  const where = ctx.file ? ` (in ${ctx.file})` : '';
  throw new CliError(
    'CONFIG',
    `invalid configuration${where}:\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    { hint: 'fix the fields above; `slo-scout --help` and apps/cli/README.md describe the format' },
  );
}

function zodIssues(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.'),
    message:
      i.code === 'unrecognized_keys'
        ? `unknown field(s) ${i.keys.join(', ')}: remove them or check their spelling`
        : i.message,
  }));
}

/**
 * Validates a parsed config file (or `{}` for the embedded defaults) into a {@link ScoutConfig};
 * throws a `CONFIG` {@link CliError} listing every bad field.
 */
export function parseScoutConfig(raw: unknown, ctx: ConfigContext): ScoutConfig {
  const issues: Issue[] = [];
  const input = raw ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    fail([{ path: '', message: 'the config file must hold a YAML mapping' }], ctx);
  }
  findLiteralSecrets(input, [], issues);
  const expanded = interpolate(input, ctx, { path: [], issues }) as Record<string, unknown>;
  const file = fileSchema.safeParse(expanded);
  if (!file.success) issues.push(...zodIssues(file.error));
  if (!file.success) fail(issues, ctx);
  const f = file.data;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(ctx.baseDir, p));
  const dataDir = ctx.dir !== undefined ? resolve(ctx.dir) : abs(f.dataDir ?? DEFAULT_DIR);
  /** Resolves a section's `dir`; an embedded section without one gets `fallback.dir`. */
  const withDir = (section: unknown, fallback: Record<string, unknown>): unknown => {
    if (section === undefined) return fallback;
    if (typeof section !== 'object' || section === null) return section;
    const s = section as Record<string, unknown>;
    if (typeof s['dir'] === 'string') return { ...s, dir: abs(s['dir']) };
    if (s['kind'] === fallback['kind'] && fallback['dir'] !== undefined) {
      return { ...s, dir: fallback['dir'] };
    }
    return section;
  };
  const pipelineRaw = {
    ...f.pipeline,
    bus: withDir(applySecretEnvs(f.bus, 'bus', { ctx, issues }), {
      kind: 'embedded',
      dir: join(dataDir, 'bus'),
    }),
    store: withDir(applySecretEnvs(f.store, 'store', { ctx, issues }), {
      kind: 'pglite',
      dir: join(dataDir, 'db'),
    }),
    blobs: withDir(applySecretEnvs(f.blobs, 'blobs', { ctx, issues }), {
      kind: 'local',
      dir: join(dataDir, 'blobs'),
    }),
    ...(f.vectors === undefined ? {} : { vectors: withDir(f.vectors, { kind: 'none' }) }),
    ...(f.embedder === undefined ? {} : { embedder: f.embedder }),
    logLevel: f.logLevel ?? 'error',
  };
  if (issues.length > 0) fail(issues, ctx);
  const parsed = pipelineConfigSchema.safeParse(pipelineRaw);
  if (!parsed.success) fail(zodIssues(parsed.error), ctx);
  return {
    file: ctx.file,
    dataDir,
    pipeline: parsePipelineConfig(parsed.data),
    collectors: f.collectors,
    api: { ...f.api, ...(f.api.webRoot === undefined ? {} : { webRoot: abs(f.api.webRoot) }) },
    validate: {
      ...(f.validate.promtool === undefined ? {} : { promtool: f.validate.promtool }),
      ...(f.validate.dashboardSchema === undefined
        ? {}
        : { dashboardSchema: abs(f.validate.dashboardSchema) }),
    },
    publisher: {
      kind: 'local-git',
      repoDir: abs(f.publisher.repoDir ?? join(dataDir, 'gitops')),
      ...(f.publisher.baseRef === undefined ? {} : { baseRef: f.publisher.baseRef }),
    },
  };
}

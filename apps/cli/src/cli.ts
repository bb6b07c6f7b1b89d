/** The `slo-scout` command line: commander wiring of the commands, errors that say what to do. */
import { inspect } from 'node:util';
import { Command, CommanderError, Option } from 'commander';
import { intArg, timeArg } from './args.ts';
import { runAnalyze, runGenerate, runPr, runValidate } from './commands/steps.ts';
import { runDemo } from './commands/demo.ts';
import { runUp, UP_ROLES, type UpRole } from './commands/up.ts';
import { DEFAULT_DIR } from './config.ts';
import { CliError, toCliError } from './errors.ts';
import { writeJson, type Io } from './output.ts';

interface Common {
  readonly config?: string;
  readonly dir?: string;
  readonly json?: boolean;
}

function common(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'slo-scout.yaml to use (default: ./slo-scout.yaml when present)')
    .option('--dir <dir>', `data directory of the embedded mode (default: ${DEFAULT_DIR})`)
    .option('--json', 'print one JSON document on stdout, for scripts', false);
}

const configOf = (o: Common) => ({
  ...(o.config === undefined ? {} : { config: o.config }),
  ...(o.dir === undefined ? {} : { dir: o.dir }),
});

/** Builds the program; `signal` stops `up`. Exposed for tests. */
export function createProgram(io: Io, now: () => number = Date.now): Command {
  let jsonMode = false;
  const program = new Command('slo-scout')
    .description(
      'SLO-Scout: learn user journeys from telemetry, recommend SLOs, and deliver validated Prometheus rules, Grafana dashboards and runbooks as a pull request.',
    )
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => {
        write(s);
      },
    })
    .hook('preAction', (_cmd, action) => {
      jsonMode = action.opts<Common>().json === true;
    });

  common(
    program
      .command('demo')
      .description(
        'run everything in a fresh directory, on embedded defaults or on the services of --config: synthetic shop → collectors → pipeline → journeys → SLOs → artifacts → promtool → policy → pull request in a local git repository',
      ),
  )
    .option('--seed <n>', 'seed of the synthetic shop', intArg(0, 2 ** 31 - 1), 42)
    .option('--sessions <n>', 'user sessions in the synthetic day', intArg(10, 100_000), 400)
    .action(async (o: Common & { seed: number; sessions: number }) => {
      await runDemo(
        {
          ...(o.dir === undefined ? {} : { dir: o.dir }),
          ...(o.config === undefined ? {} : { config: o.config }),
          seed: o.seed,
          sessions: o.sessions,
          json: o.json === true,
        },
        io,
      );
    });

  common(
    program
      .command('up')
      .description(
        'run the collectors (OTLP/HTTP, Loki push, RUM), the pipeline and the API in one process over --dir or --config; or one --role at a time against Kafka, PostgreSQL, Milvus and S3 from the config file',
      ),
  )
    .addOption(
      new Option('--role <role...>', 'run only these roles (repeatable)').choices([...UP_ROLES]),
    )
    .option('--port <port>', 'API port (overrides api.port)', intArg(0, 65535))
    .option(
      '--collector-port <port>',
      'collector port (overrides collectors.port)',
      intArg(0, 65535),
    )
    .action(async (o: Common & { role?: UpRole[]; port?: number; collectorPort?: number }) => {
      await runUp(
        {
          ...configOf(o),
          json: o.json === true,
          roles: o.role ?? [...UP_ROLES],
          ...(o.port === undefined ? {} : { apiPort: o.port }),
          ...(o.collectorPort === undefined ? {} : { collectorPort: o.collectorPort }),
        },
        io,
      );
    });

  common(
    program
      .command('analyze')
      .description(
        'discover journeys and write their SLIs from the telemetry of a time range, then recommend SLO targets',
      ),
  )
    .option(
      '--from <time>',
      'start: now-7d, -24h, 2026-01-05, ISO date-time or epoch ms',
      timeArg(now),
    )
    .option('--to <time>', 'end (default: now)', timeArg(now))
    .option('--no-recommend', 'only discover journeys and SLIs')
    .action(async (o: Common & { from?: number; to?: number; recommend: boolean }) => {
      const to = o.to ?? now();
      const from = o.from ?? to - 7 * 86_400_000;
      if (from >= to) {
        throw new CliError(
          'USAGE',
          `--from (${new Date(from).toISOString()}) must be before --to (${new Date(to).toISOString()})`,
          {
            hint: 'e.g. slo-scout analyze --from -7d --to now',
          },
        );
      }
      await runAnalyze(
        {
          ...configOf(o),
          json: o.json === true,
          range: { fromMs: from, toMs: to },
          recommend: o.recommend,
        },
        io,
      );
    });

  common(
    program
      .command('generate')
      .description(
        'generate rules, promtool tests, dashboards and runbooks for approved recommendations (approving the ones named)',
      ),
  )
    .option(
      '--recommendation <id...>',
      'recommendation ids to approve and include (default: every approved one)',
    )
    .option('--approve-all', 'approve every proposed recommendation first', false)
    .option('--actor <name>', 'who approves, for the audit log', process.env['USER'] ?? 'cli')
    .action(
      async (o: Common & { recommendation?: string[]; approveAll: boolean; actor: string }) => {
        await runGenerate(
          {
            ...configOf(o),
            json: o.json === true,
            ...(o.recommendation === undefined ? {} : { recommendationIds: o.recommendation }),
            approveAll: o.approveAll,
            actor: o.actor,
          },
          io,
        );
      },
    );

  common(
    program
      .command('validate')
      .description(
        're-run promtool, the dashboard schema, the sensitive-data scan and the policy on an artifact set',
      ),
  )
    .argument('<artifactId>', 'id printed by generate')
    .action(async (artifactId: string, o: Common) => {
      await runValidate({ ...configOf(o), json: o.json === true, artifactId }, io);
    });

  common(
    program
      .command('pr')
      .description('open or update the pull request of a validated artifact set'),
  )
    .argument('<artifactId>', 'id printed by generate')
    .option('--actor <name>', 'who opens it, for the audit log', process.env['USER'] ?? 'cli')
    .action(async (artifactId: string, o: Common & { actor: string }) => {
      await runPr({ ...configOf(o), json: o.json === true, artifactId, actor: o.actor }, io);
    });

  Object.defineProperty(program, 'jsonMode', { get: () => jsonMode });
  return program;
}

/** Runs the command line; returns the exit code (0 ok, 1 failure, 2 usage or configuration). */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.exitCode === 0
      )
        return 0;
      // commander already printed "error: ..."; add where to look.
      const sub = program.commands.find((c) => c.name() === argv[0]);
      io.stderr.write(`run 'slo-scout ${sub ? `${sub.name()} ` : ''}--help' for usage\n`);
      return 2;
    }
    const err = toCliError(e);
    if (err.reported) return err.exitCode;
    const json =
      (program as Command & { jsonMode?: boolean }).jsonMode === true || argv.includes('--json');
    if (json) {
      writeJson(io, {
        error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) },
      });
    } else {
      io.stderr.write(`error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
      if (
        err.code === 'ENGINE_FAILED' &&
        err.cause !== undefined &&
        io.env['SLO_DEBUG'] !== undefined
      ) {
        io.stderr.write(`${inspect(err.cause)}\n`);
      }
    }
    return err.exitCode;
  }
}

/** What the step commands share: config → runtime (jobs caught up) → engine → close. */
import type { EngineError, ProgressEvent, Result } from '@slo-scout/engine';
import type { ScoutConfig } from './config.ts';
import { openEngine, type EngineHandle } from './engine.ts';
import { CliError } from './errors.ts';
import { waitForNoLag } from './ingest/wait.ts';
import { loadConfig, type ConfigOptions } from './load-config.ts';
import { bar, createProgress, type Io, type Progress } from './output.ts';
import { openRuntime, type Runtime } from './runtime.ts';

/** Options every step command takes. */
export interface StepOptions extends ConfigOptions {
  readonly json: boolean;
}

/** An open session. */
export interface Session {
  readonly config: ScoutConfig;
  readonly runtime: Runtime;
  readonly engine: EngineHandle;
  readonly progress: Progress;
  /** Runs an engine call as a step with its progress shown. */
  readonly step: EngineSteps['step'];
}

const HINTS: Partial<Record<EngineError['code'], string>> = {
  NO_DATA:
    'no telemetry in that range: widen --from/--to, or send telemetry first (slo-scout demo, or slo-scout up and point OpenTelemetry at it)',
  NOT_FOUND: 'check the id; `slo-scout analyze --json` and `slo-scout generate --json` print ids',
  VALIDATION_FAILED:
    'the artifacts did not pass validation: run `slo-scout validate <artifactId>` to see each step',
  POLICY_DENIED: 'the policy guard refused the artifacts; the validation report says which rule',
  CONFLICT: 'the object changed meanwhile: list it again and retry',
  NOT_CONFIGURED: 'this step needs a part that is not configured; see apps/cli/README.md',
  INVALID_INPUT: 'fix the named input and run the command again',
};

/** The value of an engine result, or a CliError that says what to do. */
export function unwrap<T>(result: Result<T>, what: string): T {
  if (result.ok) return result.value;
  const e = result.error;
  throw new CliError(
    e.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'ENGINE_FAILED',
    `${what}: ${e.message}${e.path ? ` (${e.path})` : ''}`,
    { ...(HINTS[e.code] ? { hint: HINTS[e.code]! } : {}), cause: e },
  );
}

/** Steps whose progress line shows the engine's progress events. */
export interface EngineSteps {
  readonly onProgress: (e: ProgressEvent) => void;
  readonly step: <T>(title: string, fn: () => Promise<T>) => Promise<T>;
}

/** Routes the engine's progress events to the step running at the time. */
export function createEngineSteps(progress: Progress): EngineSteps {
  let current: ((detail: string) => void) | undefined;
  return {
    onProgress: (e) =>
      current?.(`${e.step} ${bar(e.done, e.total)}${e.detail ? ` ${e.detail}` : ''}`),
    step: (title, fn) =>
      progress.step(title, async (update) => {
        current = update;
        try {
          return await fn();
        } finally {
          current = undefined;
        }
      }),
  };
}

/**
 * Opens the configuration's bus, store and blobs. On the embedded bus it also runs the pipeline's
 * jobs until they caught up, so telemetry that arrived since the last run is in the store.
 */
export async function withSession<T>(
  options: StepOptions,
  io: Io,
  run: (s: Session) => Promise<T>,
): Promise<T> {
  const config = await loadConfig(options, io.env);
  const progress = createProgress(io, { json: options.json });
  const embedded = config.pipeline.bus.kind === 'embedded';
  const runtime = await progress.step(
    `open ${embedded ? config.dataDir : (config.file ?? 'the configuration')}`,
    () => openRuntime(config, embedded ? { roles: config.pipeline.roles } : {}),
  );
  try {
    const pipeline = runtime.pipeline;
    if (pipeline) {
      await progress.step('pipeline: catch up', (update) =>
        waitForNoLag(pipeline, {
          embedGroup: config.pipeline.embed.groupId,
          timeoutMs: 120_000,
          onLag: (lag) => {
            update(`${lag} messages to go`);
          },
        }),
      );
    }
    const steps = createEngineSteps(progress);
    const engine = await openEngine(runtime, { env: io.env, onProgress: steps.onProgress });
    return await run({ config, runtime, engine, progress, step: steps.step });
  } finally {
    await runtime.close();
  }
}

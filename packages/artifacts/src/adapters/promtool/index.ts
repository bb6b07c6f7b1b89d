import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, isAbsolute } from 'node:path';
import { ArtifactsError, err, ok, type Result } from '../../errors.ts';

/** What one promtool run printed. */
export interface PromtoolRun {
  readonly command: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Files by relative path, e.g. `{ 'rules.yml': '...', 'rules.test.yml': '...' }`. */
export type FileSet = Readonly<Record<string, string>>;

/** Runs the real promtool on generated files. */
export interface PromtoolValidator {
  /** `promtool check rules` on every file of `ruleFiles`; fails unless the exit code is 0. */
  checkRules(ruleFiles: FileSet): Promise<Result<PromtoolRun>>;
  /** `promtool test rules` on the test files; the rule files they load must be in `files`. */
  testRules(files: FileSet, testFiles: readonly string[]): Promise<Result<PromtoolRun>>;
}

/** Options of {@link createPromtoolValidator}. */
export interface PromtoolValidatorOptions {
  /** The promtool binary; default `promtool` on the PATH. */
  readonly binary?: string;
  /** Kill promtool after this long; default 60 s. */
  readonly timeoutMs?: number;
}

function safePath(dir: string, rel: string): string {
  const n = normalize(rel);
  if (isAbsolute(n) || n.startsWith('..')) {
    throw new ArtifactsError('INVALID_OPTIONS', `file name '${rel}' must stay inside the work dir`);
  }
  return join(dir, n);
}

/**
 * Creates a validator that writes files to a fresh temp dir, runs promtool there and removes the dir.
 * @example
 * const v = createPromtoolValidator({ binary: process.env.SLO_PROMTOOL ?? 'promtool' });
 * const r = await v.checkRules({ 'slo.rules.yml': yaml });
 */
export function createPromtoolValidator(options: PromtoolValidatorOptions = {}): PromtoolValidator {
  const binary = options.binary ?? 'promtool';
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (binary.length === 0) throw new ArtifactsError('INVALID_OPTIONS', 'binary must not be empty');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ArtifactsError('INVALID_OPTIONS', 'timeoutMs must be a positive number');
  }

  const run = (args: readonly string[], cwd: string): Promise<Result<PromtoolRun>> =>
    new Promise((resolve) => {
      execFile(
        binary,
        [...args],
        { cwd, timeout: timeoutMs, maxBuffer: 16 << 20 },
        (error, stdout, stderr) => {
          const command = [binary, ...args];
          if (error?.killed === true) {
            resolve(
              err(
                new ArtifactsError('TOOL_FAILED', `${binary} timed out after ${timeoutMs} ms`, {
                  cause: error,
                }),
              ),
            );
            return;
          }
          if (error && typeof error.code === 'string') {
            resolve(
              err(
                new ArtifactsError('TOOL_FAILED', `cannot run ${binary}: ${error.message}`, {
                  cause: error,
                }),
              ),
            );
            return;
          }
          const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          const result = { command, exitCode, stdout, stderr };
          if (exitCode === 0) resolve(ok(result));
          else {
            resolve(
              err(
                new ArtifactsError(
                  'VALIDATION_FAILED',
                  `${command.join(' ')} exited ${exitCode}:\n${stderr}${stdout}`,
                  {
                    cause: result,
                  },
                ),
              ),
            );
          }
        },
      );
    });

  async function inDir(files: FileSet, args: readonly string[]): Promise<Result<PromtoolRun>> {
    const dir = await mkdtemp(join(tmpdir(), 'slo-promtool-'));
    try {
      for (const [rel, text] of Object.entries(files)) {
        const path = safePath(dir, rel);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, text);
      }
      return await run(args, dir);
    } catch (e) {
      return err(
        e instanceof ArtifactsError
          ? e
          : new ArtifactsError('TOOL_FAILED', String(e), { cause: e }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    checkRules: (ruleFiles) => inDir(ruleFiles, ['check', 'rules', ...Object.keys(ruleFiles)]),
    testRules: (files, testFiles) => inDir(files, ['test', 'rules', ...testFiles]),
  };
}

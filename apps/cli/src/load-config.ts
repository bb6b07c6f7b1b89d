/** Reads `slo-scout.yaml` (or picks the embedded defaults) for a command. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { parseScoutConfig, type ScoutConfig } from './config.ts';
import { CliError } from './errors.ts';

/** The config file a command picks up by itself from the working directory. */
export const DEFAULT_CONFIG_FILE = 'slo-scout.yaml';

/** The options every command shares. */
export interface ConfigOptions {
  readonly config?: string;
  readonly dir?: string;
}

/**
 * `--config FILE` reads that file; otherwise `./slo-scout.yaml` when it exists and `--dir` is not
 * given; otherwise the embedded defaults under `--dir` (default `./.slo-scout/demo`).
 */
export async function loadConfig(
  options: ConfigOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ScoutConfig> {
  const cwd = process.cwd();
  const file =
    options.config ??
    (options.dir === undefined && existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))
      ? DEFAULT_CONFIG_FILE
      : undefined);
  const dirOpt = options.dir === undefined ? {} : { dir: options.dir };
  if (file === undefined) return parseScoutConfig({}, { env, baseDir: cwd, ...dirOpt });
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CliError('CONFIG', `cannot read the config file ${path}`, {
      hint: 'check the --config path; apps/cli/README.md shows an example slo-scout.yaml',
      cause,
    });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) as unknown;
  } catch (cause) {
    const where =
      cause instanceof YAMLParseError && cause.linePos
        ? ` at line ${cause.linePos[0].line}, column ${cause.linePos[0].col}`
        : '';
    throw new CliError('CONFIG', `${path} is not valid YAML${where}`, {
      hint: 'fix the YAML syntax (indentation, quotes) and run the command again',
      cause,
    });
  }
  return parseScoutConfig(raw, { env, baseDir: dirname(path), file: path, ...dirOpt });
}

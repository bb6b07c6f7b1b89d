/**
 * `slo-pipeline --config pipeline.yaml [--role fingerprint|aggregate|embed ...] [--worker-id w1]`:
 * runs the configured jobs until SIGINT/SIGTERM, then drains and commits before exiting.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { parsePipelineConfig, PipelineConfigError } from './config.ts';
import { startPipeline } from './pipeline.ts';

const USAGE =
  'usage: slo-pipeline --config <file.yaml|json> [--role fingerprint|aggregate|embed ...] [--worker-id ID]';

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string', short: 'c' },
      role: { type: 'string', multiple: true },
      'worker-id': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.config) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(values.config, 'utf8')) as unknown;
  } catch (e) {
    console.error(`cannot read ${values.config}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const overrides = {
    ...(values.role ? { roles: values.role } : {}),
    ...(values['worker-id'] ? { workerId: values['worker-id'] } : {}),
  };
  let config;
  try {
    config = parsePipelineConfig({ ...(raw as object), ...overrides });
  } catch (e) {
    if (e instanceof PipelineConfigError) {
      console.error(`${e.message}\n(in ${values.config})`);
      return 2;
    }
    throw e;
  }
  const pipeline = await startPipeline(config);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await pipeline.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

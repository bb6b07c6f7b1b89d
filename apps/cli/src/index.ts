export { runCli, createProgram } from './cli.ts';
export { parseScoutConfig, CONFIG_API_VERSION, DEFAULT_DIR } from './config.ts';
export type { ScoutConfig, ConfigContext } from './config.ts';
export { loadConfig, DEFAULT_CONFIG_FILE } from './load-config.ts';
export { CliError, toCliError } from './errors.ts';
export type { CliErrorCode } from './errors.ts';
export { parseTime } from './args.ts';
export type { DemoResult } from './commands/demo.ts';

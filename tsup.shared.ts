/** Shared tsup settings: dual ESM + CJS with declarations for every publishable package. */
import type { Options } from 'tsup';

/** Builds a package's tsup options; `entry` maps output names to source files. */
export function createTsupConfig(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...overrides,
  };
}

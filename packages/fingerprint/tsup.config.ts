import { defineConfig } from 'tsup';
import { createTsupConfig } from '../../tsup.shared.ts';

export default defineConfig([
  createTsupConfig({ index: 'src/index.ts', node: 'src/adapters/node/index.ts' }),
  // the command-line tools use top-level await: ESM only, no declarations
  createTsupConfig(
    { 'cli/redact': 'src/cli/redact.ts', 'cli/fingerprint': 'src/cli/fingerprint.ts' },
    { format: ['esm'], dts: false, clean: false },
  ),
]);

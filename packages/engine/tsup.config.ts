import { defineConfig } from 'tsup';
import { createTsupConfig } from '../../tsup.shared.ts';

export default defineConfig(
  createTsupConfig({
    index: 'src/index.ts',
    'local-git': 'src/adapters/local-git/index.ts',
  }),
);

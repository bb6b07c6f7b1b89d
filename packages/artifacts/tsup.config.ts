import { defineConfig } from 'tsup';
import { createTsupConfig } from '../../tsup.shared.ts';

export default defineConfig(
  createTsupConfig({
    index: 'src/index.ts',
    promtool: 'src/adapters/promtool/index.ts',
    'dashboard-schema': 'src/adapters/ajv/index.ts',
    'local-git': 'src/adapters/git/index.ts',
    github: 'src/adapters/github/index.ts',
    gitlab: 'src/adapters/gitlab/index.ts',
  }),
);

import { defineConfig } from 'tsup';
import { createTsupConfig } from '../../tsup.shared.ts';

export default defineConfig(
  createTsupConfig({
    index: 'src/index.ts',
    pglite: 'src/adapters/pglite/index.ts',
    postgres: 'src/adapters/postgres/index.ts',
    s3: 'src/adapters/s3/index.ts',
    local: 'src/adapters/local/index.ts',
  }),
);

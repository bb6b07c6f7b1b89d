import { defineConfig } from 'tsup';
import { createTsupConfig } from '../../tsup.shared.ts';

export default defineConfig(
  createTsupConfig({
    index: 'src/index.ts',
    pgvector: 'src/adapters/pgvector/index.ts',
    milvus: 'src/adapters/milvus/index.ts',
    openai: 'src/adapters/openai/index.ts',
    transformers: 'src/adapters/transformers/index.ts',
  }),
);

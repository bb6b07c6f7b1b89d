import { defineConfig } from 'tsup';
import { createTsupConfig } from '../../tsup.shared.ts';

export default defineConfig(
  createTsupConfig(
    {
      index: 'src/index.ts',
      kafka: 'src/adapters/kafka/index.ts',
      file: 'src/adapters/file/index.ts',
    },
    { external: ['kafkajs'] },
  ),
);

import { defineConfig } from 'tsup';
import { createTsupConfig } from '../../tsup.shared.ts';

export default defineConfig(
  createTsupConfig({
    index: 'src/index.ts',
    http: 'src/adapters/http/index.ts',
    grpc: 'src/adapters/grpc/index.ts',
    kafka: 'src/adapters/kafka/index.ts',
    pull: 'src/adapters/pull/index.ts',
    tail: 'src/adapters/tail/index.ts',
  }),
);

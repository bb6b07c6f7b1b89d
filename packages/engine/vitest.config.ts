import type { ViteUserConfig } from 'vitest/config';
import { createVitestConfig } from '../../vitest.shared.ts';

// The shared `module` external condition makes Node load @opentelemetry/api's ESM build (required
// by the Milvus SDK), whose extensionless imports Node cannot resolve: drop it for externals here.
const config: ViteUserConfig = createVitestConfig(import.meta.dirname);
const conditions = ['@slo-scout/source', 'node', 'development|production'];
config.resolve = { ...config.resolve, conditions };
config.ssr = {
  ...config.ssr,
  resolve: { ...config.ssr?.resolve, conditions, externalConditions: conditions },
};

export default config;

import type { ViteUserConfig } from 'vitest/config';
import { createVitestConfig } from '../../vitest.shared.ts';

// The AWS SDK's `module` builds are for bundlers (extensionless imports), which Node cannot load
// when vitest externalises them: resolve packages with the `node` condition instead.
const config = createVitestConfig(import.meta.dirname);
const conditions = ['@slo-scout/source', 'node', 'development|production'];
const merged: ViteUserConfig = {
  ...config,
  resolve: { ...config.resolve, conditions },
  ssr: { ...config.ssr, resolve: { conditions, externalConditions: conditions } },
};
export default merged;

import { createVitestConfig } from '../../vitest.shared.ts';

// The OpenTelemetry packages' `module` builds use extensionless imports meant for bundlers, which
// Node cannot load: resolve them through their `import`/`require` builds instead.
const config = createVitestConfig(import.meta.dirname);
const withoutModule = (list: string[] | undefined): string[] =>
  (list ?? []).filter((c) => c !== 'module');
if (config.resolve) config.resolve.conditions = withoutModule(config.resolve.conditions);
if (config.ssr?.resolve) {
  config.ssr.resolve.conditions = withoutModule(config.ssr.resolve.conditions);
  config.ssr.resolve.externalConditions = withoutModule(config.ssr.resolve.externalConditions);
}

export default config;

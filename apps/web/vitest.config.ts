import { createVitestConfig } from '../../vitest.shared.ts';

export default createVitestConfig(import.meta.dirname, { integrationTimeoutMs: 480_000 });

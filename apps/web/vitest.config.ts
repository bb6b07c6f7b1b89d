import { createVitestConfig } from '../../vitest.shared.ts';

export default createVitestConfig(import.meta.dirname, { integrationTimeoutMs: 240_000 });

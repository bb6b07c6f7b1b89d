import { createVitestConfig } from '../../vitest.shared.ts';

// The demo's end-to-end test runs the whole flow and three more commands, each a child process.
export default createVitestConfig(import.meta.dirname, { integrationTimeoutMs: 400_000 });

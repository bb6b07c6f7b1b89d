#!/usr/bin/env node
// Runs the built CLI when dist exists; in a dev checkout, loads the TypeScript source through tsx.
import { existsSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const built = new URL('../dist/cli/fingerprint.js', import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/fingerprint.ts', import.meta.url).href);
}

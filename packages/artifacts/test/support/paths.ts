/** Paths shared by the tests: the repo root and the shared compatibility data beside it. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = resolve(packageDir, '../..');
export const compatDir = (name: string): string => resolve(repoRoot, '../shared/compat', name);

/** True when the folder exists; otherwise prints why the tests that need it do not run. */
export function haveCompat(name: string): boolean {
  const dir = compatDir(name);
  if (existsSync(dir)) return true;
  console.warn(`[artifacts] ${dir} is missing: compatibility tests against it are skipped`);
  return false;
}

/** Golden-file comparison: `UPDATE_GOLDEN=1` rewrites the files, otherwise they must match exactly. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { parseSloSpec, type SloSpec } from '@slo-scout/schema';
import { packageDir } from './paths.ts';

export const goldenDir = join(packageDir, 'test/golden');

/** Asserts `actual` equals the golden file `name` byte for byte. */
export function expectGolden(name: string, actual: string): void {
  const file = join(goldenDir, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `golden file ${name} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** Reads a golden input file. */
export function readGolden(name: string): string {
  return readFileSync(join(goldenDir, name), 'utf8');
}

/** Where the golden alerts point their runbook links. */
export const RUNBOOKS = 'https://runbooks.example.com/slo';

/** The golden input, validated with the schema package. */
export function goldenSpec(): SloSpec {
  const r = parseSloSpec(parse(readGolden('checkout-availability.slo.yaml')));
  if (!r.ok) throw r.error;
  return r.value;
}

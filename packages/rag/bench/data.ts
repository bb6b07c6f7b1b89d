/** Seeded data for the benchmarks: clustered unit vectors with capsule metadata, and log texts. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedCapsule } from '../src/index.ts';
import { parseCsv } from '@slo-scout/testkit';

/** A small seeded PRNG (mulberry32). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Generates clustered unit vectors: `clusters` centroids, each point a centroid plus noise. */
export function createVectorSource(dimension: number, clusters: number, seed: number) {
  const random = createRandom(seed);
  const centroids = Array.from({ length: clusters }, () =>
    Float32Array.from({ length: dimension }, () => gaussian(random)),
  );
  return (noise: number): Float32Array => {
    const c = centroids[Math.floor(random() * clusters)] as Float32Array;
    const v = new Float32Array(dimension);
    let n = 0;
    for (let i = 0; i < dimension; i++) {
      const x = (c[i] as number) + noise * gaussian(random);
      v[i] = x;
      n += x * x;
    }
    n = Math.sqrt(n);
    for (let i = 0; i < dimension; i++) v[i] = (v[i] as number) / n;
    return v;
  };
}

export const SERVICES = Array.from({ length: 20 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
export const START_MS = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;
const WEEK_MINUTES = 7 * 24 * 60;

/** Builds the `i`-th synthetic capsule window (deterministic metadata). */
export function syntheticCapsule(i: number, vector: Float32Array, model: string): EmbeddedCapsule {
  const fingerprint = `fp${(i * 2654435761) % 5000}`;
  const service = SERVICES[i % SERVICES.length] as string;
  const timeBucketMs = START_MS + ((i * 7919) % WEEK_MINUTES) * MINUTE;
  return {
    model,
    vector,
    document: {
      id: `${fingerprint}:${service}:${timeBucketMs}:${i}`,
      fingerprint,
      service,
      template: `template ${fingerprint}`,
      severity: 1 + ((i * 31) % 24),
      timeBucketMs,
      count: 1 + (i % 97),
      lastSeenMs: timeBucketMs + 59_000,
      sampleRefs: [`ev-${i}`],
      text: `template ${fingerprint}`,
      redactionApplied: true,
    },
  };
}

/** Splits one CSV line with double-quote escaping. */
/** The `Content` column of every Loghub-2k dataset, or undefined when the data is absent. */
export function loadLoghubMessages(sharedDir: string): string[] | undefined {
  const root = join(sharedDir, 'benchmarks', 'loghub-2k');
  if (!existsSync(root)) return undefined;
  const out: string[] = [];
  for (const dataset of readdirSync(root)) {
    const file = join(root, dataset, `${dataset}_2k.corrected.csv`);
    if (!existsSync(file)) continue;
    for (const row of parseCsv(readFileSync(file, 'utf8'))) {
      const value = row['Content'];
      if (value !== undefined) out.push(value);
    }
  }
  return out;
}

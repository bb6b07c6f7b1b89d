/** Capsule fixtures shared by the store integration tests. */
import { expect } from 'vitest';
import {
  createMemoryVectorStore,
  hashEmbed,
  matchesFilter,
  type CapsuleInput,
  type EmbeddedCapsule,
  type Embedder,
  type VectorStore,
} from '../../src/index.ts';

export const NOW = 1_700_000_000_000;
export const HOUR = 3_600_000;

/** A redacted window of `template` in `service`, `hoursAgo` before NOW. */
export function window(
  fp: string,
  service: string,
  template: string,
  hoursAgo: number,
  severity: number,
): CapsuleInput {
  const t = NOW - hoursAgo * HOUR;
  return {
    fingerprint_hash: fp,
    service,
    template,
    time_bucket_ms: t,
    window_size_ms: 60_000,
    count: 10 + hoursAgo,
    severity_distribution: {
      unspecified: 0,
      trace: 0,
      debug: 0,
      info: 0,
      warn: 0,
      error: 0,
      fatal: 0,
    },
    reservoir_sample: [
      {
        event_id: `${fp}-${service}-${hoursAgo}`,
        event_time_ms: t + 1,
        severity_number: severity,
        redacted_sample: template,
      },
    ],
    distinct_sources: 1,
    first_seen_ms: t,
    last_seen_ms: t + 30_000,
    redaction_applied: true,
  };
}

/** A small corpus over 3 services, 4 templates and 3 ages. */
export function corpus(): CapsuleInput[] {
  const templates: [string, string, number][] = [
    ['pay', 'payment to <*> failed: card declined', 17],
    ['login', 'user <*> logged in', 9],
    ['disk', 'disk usage on <*> above <*> percent', 13],
    ['timeout', 'upstream <*> timed out after <*> ms', 17],
  ];
  return ['checkout', 'auth', 'cart'].flatMap((service) =>
    templates.flatMap(([fp, template, severity]) =>
      [1, 6, 48].map((h) => window(fp, service, template, h, severity)),
    ),
  );
}

/** Embeds fixtures or throws. */
export async function embedAll(
  embedder: Embedder,
  capsules: CapsuleInput[],
): Promise<EmbeddedCapsule[]> {
  const result = await embedder.embedCapsules(capsules);
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * Asserts that `store` (holding the corpus) filters on service, time, severity and fingerprint,
 * and ranks, like the exact in-memory reference store.
 */
export async function expectSearchLikeReference(
  store: VectorStore,
  embedder: Embedder,
): Promise<void> {
  const memory = createMemoryVectorStore(store.info);
  await memory.upsert(await embedAll(embedder, corpus()));
  const filters = [
    undefined,
    { services: ['auth'] },
    { services: ['checkout', 'cart'], minSeverity: 17 },
    { fromMs: NOW - 12 * HOUR, toMs: NOW },
    { fingerprints: ['disk'], fromMs: NOW - 100 * HOUR },
  ];
  for (const filter of filters) {
    const f = filter === undefined ? {} : { filter };
    // Every match (limit above the corpus size): the same ids and similarities.
    const all = { vector: hashEmbed('payment failed'), limit: 50, ...f };
    const [got, want] = await Promise.all([store.search(all), memory.search(all)]);
    if (!got.ok) throw got.error;
    if (!want.ok) throw want.error;
    expect(got.value.map((h) => h.capsule.id).sort()).toEqual(
      want.value.map((h) => h.capsule.id).sort(),
    );
    // Top 5: the same similarities (ids may differ among exact ties).
    const top = await store.search({ ...all, limit: 5 });
    if (!top.ok) throw top.error;
    expect(top.value.length).toBe(Math.min(5, want.value.length));
    top.value.forEach((h, i) => {
      expect(h.similarity).toBeCloseTo(want.value[i]!.similarity, 4);
      expect(matchesFilter(h.capsule, filter)).toBe(true);
    });
  }
}

/** Asserts that a search returns the login capsule of `auth` with every stored field. */
export async function expectStoredFieldsRoundTrip(store: VectorStore): Promise<void> {
  const r = await store.search({
    vector: hashEmbed('user <*> logged in'),
    limit: 1,
    filter: { services: ['auth'], fromMs: NOW - 2 * HOUR },
  });
  expect(r.ok && r.value[0]?.capsule).toEqual({
    id: `login:auth:${NOW - HOUR}`,
    fingerprint: 'login',
    service: 'auth',
    template: 'user <*> logged in',
    severity: 9,
    timeBucketMs: NOW - HOUR,
    count: 11,
    lastSeenMs: NOW - HOUR + 30_000,
    sampleRefs: ['login-auth-1'],
  });
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmbedder } from './embedder.ts';
import { createLocalEmbeddingProvider } from './local-embedder.ts';
import { createMemoryVectorStore, type StoredCapsule, type VectorHit } from './vector-store.ts';
import {
  createEvidenceRetriever,
  DEFAULT_RANK_WEIGHTS,
  rankEvidence,
  recencyScore,
} from './evidence.ts';
import type { CapsuleInput } from './capsule.ts';

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;

const hitArb: fc.Arbitrary<VectorHit> = fc
  .record({
    fp: fc.constantFrom('a', 'b', 'c', 'd'),
    service: fc.constantFrom('checkout', 'auth'),
    bucket: fc.integer({ min: 0, max: 200 }),
    count: fc.integer({ min: 1, max: 1000 }),
    severity: fc.integer({ min: 0, max: 24 }),
    similarity: fc.double({ min: -1, max: 1, noNaN: true }),
    refs: fc.array(fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6'), { maxLength: 3 }),
  })
  .map(({ fp, service, bucket, count, severity, similarity, refs }) => {
    const timeBucketMs = NOW - bucket * HOUR;
    const capsule: StoredCapsule = {
      id: `${fp}:${service}:${timeBucketMs}`,
      fingerprint: fp,
      service,
      template: `template ${fp}`,
      severity,
      timeBucketMs,
      count,
      lastSeenMs: timeBucketMs + 1000,
      sampleRefs: refs,
    };
    return { capsule, similarity };
  });

const uniqueHits = fc.uniqueArray(hitArb, { selector: (h) => h.capsule.id, maxLength: 40 });
const opts = {
  nowMs: NOW,
  halfLifeMs: 24 * HOUR,
  weights: DEFAULT_RANK_WEIGHTS,
  limit: 10,
  maxSampleRefs: 4,
};

describe('rankEvidence', () => {
  it('groups windows per fingerprint and service, conserving counts', () => {
    fc.assert(
      fc.property(uniqueHits, (hits) => {
        const evidence = rankEvidence(hits, { ...opts, limit: 100 });
        expect(evidence.reduce((s, e) => s + e.windowCount, 0)).toBe(hits.length);
        expect(evidence.reduce((s, e) => s + e.eventCount, 0)).toBe(
          hits.reduce((s, h) => s + h.capsule.count, 0),
        );
        for (const e of evidence) {
          const own = hits.filter(
            (h) => h.capsule.fingerprint === e.fingerprint && h.capsule.service === e.service,
          );
          expect(e.similarity).toBe(Math.max(...own.map((h) => h.similarity)));
          expect(e.maxSeverity).toBe(Math.max(...own.map((h) => h.capsule.severity)));
          expect(e.sampleRefs.length).toBeLessThanOrEqual(4);
          expect(new Set(e.sampleRefs).size).toBe(e.sampleRefs.length);
          for (const ref of e.sampleRefs)
            expect(own.some((h) => h.capsule.sampleRefs.includes(ref))).toBe(true);
        }
      }),
    );
  });

  it('returns at most limit capsules, best score first, deterministically', () => {
    fc.assert(
      fc.property(uniqueHits, fc.integer({ min: 1, max: 12 }), (hits, limit) => {
        const evidence = rankEvidence(hits, { ...opts, limit });
        expect(evidence.length).toBeLessThanOrEqual(limit);
        for (let i = 1; i < evidence.length; i++) {
          expect(evidence[i - 1]!.score).toBeGreaterThanOrEqual(evidence[i]!.score);
        }
        expect(
          rankEvidence([...hits].reverse(), { ...opts, limit }).map(
            (e) => e.fingerprint + e.service,
          ),
        ).toEqual(evidence.map((e) => e.fingerprint + e.service));
      }),
    );
  });

  it('ranks a more frequent capsule above an equally similar, equally recent rare one', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 1000 }),
        (sim, rare, extra) => {
          const base = {
            service: 's',
            template: 't',
            severity: 9,
            timeBucketMs: NOW,
            lastSeenMs: NOW,
            sampleRefs: [],
          };
          const hits: VectorHit[] = [
            { similarity: sim, capsule: { ...base, id: 'r', fingerprint: 'rare', count: rare } },
            {
              similarity: sim,
              capsule: { ...base, id: 'f', fingerprint: 'freq', count: rare + extra },
            },
          ];
          expect(rankEvidence(hits, opts)[0]?.fingerprint).toBe('freq');
        },
      ),
    );
  });

  it('ranks a recent capsule above an equally similar, equally frequent old one', () => {
    const base = { service: 's', template: 't', severity: 9, count: 5, sampleRefs: [] };
    const hits: VectorHit[] = [
      {
        similarity: 0.8,
        capsule: {
          ...base,
          id: 'o',
          fingerprint: 'old',
          timeBucketMs: NOW - 72 * HOUR,
          lastSeenMs: NOW - 72 * HOUR,
        },
      },
      {
        similarity: 0.8,
        capsule: {
          ...base,
          id: 'n',
          fingerprint: 'new',
          timeBucketMs: NOW - HOUR,
          lastSeenMs: NOW - HOUR,
        },
      },
    ];
    expect(rankEvidence(hits, opts).map((e) => e.fingerprint)).toEqual(['new', 'old']);
    expect(recencyScore(NOW - 24 * HOUR, NOW, 24 * HOUR)).toBeCloseTo(0.5);
    expect(recencyScore(NOW + HOUR, NOW, HOUR)).toBe(1);
  });
});

describe('createEvidenceRetriever', () => {
  const embedder = createEmbedder(createLocalEmbeddingProvider());
  const window = (
    fp: string,
    service: string,
    template: string,
    hoursAgo: number,
    count: number,
    severityError: boolean,
  ): CapsuleInput => {
    const t = NOW - hoursAgo * HOUR;
    return {
      fingerprint_hash: fp,
      service,
      template,
      time_bucket_ms: t,
      window_size_ms: 60_000,
      count,
      severity_distribution: {
        unspecified: 0,
        trace: 0,
        debug: 0,
        info: severityError ? 0 : count,
        warn: 0,
        error: severityError ? count : 0,
        fatal: 0,
      },
      reservoir_sample: [
        {
          event_id: `${fp}-${hoursAgo}`,
          event_time_ms: t + 5,
          severity_number: severityError ? 17 : 9,
          redacted_sample: template,
        },
      ],
      distinct_sources: 1,
      first_seen_ms: t,
      last_seen_ms: t + 50_000,
      redaction_applied: true,
    };
  };

  it('finds the matching capsule under service, time and severity filters, with counts and samples', async () => {
    const store = createMemoryVectorStore({
      name: 'capsules',
      model: embedder.model,
      dimension: embedder.dimension,
    });
    const windows = [
      window('pay', 'checkout', 'payment to <*> failed: card declined', 1, 40, true),
      window('pay', 'checkout', 'payment to <*> failed: card declined', 2, 60, true),
      window('pay', 'checkout', 'payment to <*> failed: card declined', 100, 500, true),
      window('pay', 'cart', 'payment to <*> failed: card declined', 1, 999, true),
      window('paylog', 'checkout', 'payment to <*> accepted', 1, 80, false),
      window('disk', 'checkout', 'disk usage <*> percent', 1, 70, true),
    ];
    const embedded = await embedder.embedCapsules(windows);
    if (!embedded.ok) throw embedded.error;
    await store.upsert(embedded.value);
    const retriever = createEvidenceRetriever({ embedder, store });
    const filter = { services: ['checkout'], fromMs: NOW - 24 * HOUR, minSeverity: 17 };
    const result = await retriever.retrieve({
      text: 'payment failed',
      filter,
      nowMs: NOW,
      limit: 3,
    });
    if (!result.ok) throw result.error;
    const [top] = result.value;
    expect(top).toMatchObject({
      fingerprint: 'pay',
      service: 'checkout',
      windowCount: 2,
      eventCount: 100,
      maxSeverity: 17,
    });
    expect(top?.sampleRefs).toEqual(['pay-1', 'pay-2']);
    expect(result.value.map((e) => e.fingerprint)).not.toContain('paylog');
    for (const e of result.value) expect(e.service).toBe('checkout');
  });

  it('refuses an embedder and store of different models, and bad queries', async () => {
    const store = createMemoryVectorStore({ name: 'c', model: 'other', dimension: 384 });
    expect(() => createEvidenceRetriever({ embedder, store })).toThrow(/does not match/);
    const ok = createEvidenceRetriever({
      embedder,
      store: createMemoryVectorStore({ name: 'c', model: embedder.model, dimension: 384 }),
    });
    const bad = await ok.retrieve({ text: 'x', nowMs: NOW, limit: 0 });
    expect(!bad.ok && bad.error.code).toBe('INVALID_OPTIONS');
  });

  it('never returns evidence outside the filter', async () => {
    const store = createMemoryVectorStore({ name: 'c', model: embedder.model, dimension: 384 });
    const windows = ['checkout', 'auth', 'cart'].flatMap((s, i) =>
      [1, 5, 30].map((h) =>
        window(`f${i}${h}`, s, `request ${s} failed after <*> ms`, h, h * 3, h % 2 === 1),
      ),
    );
    const embedded = await embedder.embedCapsules(windows);
    if (!embedded.ok) throw embedded.error;
    await store.upsert(embedded.value);
    const retriever = createEvidenceRetriever({ embedder, store });
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(['checkout', 'auth', 'cart'], { minLength: 1 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(0, 9, 17),
        async (services, hours, minSeverity) => {
          const filter = { services, fromMs: NOW - hours * HOUR, minSeverity };
          const result = await retriever.retrieve({ text: 'request failed', filter, nowMs: NOW });
          if (!result.ok) throw result.error;
          for (const e of result.value) {
            expect(services).toContain(e.service);
            expect(e.firstBucketMs).toBeGreaterThanOrEqual(filter.fromMs);
            expect(e.maxSeverity).toBeGreaterThanOrEqual(minSeverity);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

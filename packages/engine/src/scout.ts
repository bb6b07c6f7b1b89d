/** `createScout`: the engine over a store, a telemetry source, validators and a publisher. */
import type { Journey, Sli, SloSpec } from '@slo-scout/schema';
import { createRedactor } from '@slo-scout/fingerprint';
import { createPullRequestDraft, type ErrorTemplate } from '@slo-scout/artifacts';
import { createEvidenceRetriever, type Evidence } from '@slo-scout/rag';
import type { FingerprintSummary, Recommendation } from '@slo-scout/store';
import {
  pickJourneys,
  recommendFor,
  sliSeries,
  summariseBacktest,
  toHistories,
  toJourneysAndSlis,
  toRecommendationId,
  toRecommendationView,
  type RecommendationFacts,
} from './analysis.ts';
import {
  DEFAULT_POLICY,
  generateArtifactFiles,
  sloId,
  validateArtifactFiles,
} from './artifact-set.ts';
import { toArtifactDiff } from './diff.ts';
import { EngineError, fail, ok, toEngineError, type Result } from './errors.ts';
import { DEFAULT_FAMILIES } from './families.ts';
import type {
  ArtifactView,
  RecommendationView,
  Scout,
  ScoutOptions,
  TimeRange,
  ValidationReport,
} from './types.ts';

const ERROR_SEVERITY = 17;
/** Evidence looks at the last day of data unless a range is given. */
const EVIDENCE_SPAN_MS = 86_400_000;
/** A journey without recommendations shows the errors of the last hours. */
const LIVE_EVIDENCE_SPAN_MS = 6 * 3_600_000;

function checkRange(range: TimeRange): Result<TimeRange> {
  if (!Number.isFinite(range.fromMs))
    return fail('INVALID_INPUT', 'fromMs must be a number of epoch milliseconds', {
      path: 'fromMs',
    });
  if (!Number.isFinite(range.toMs) || range.toMs <= range.fromMs)
    return fail('INVALID_INPUT', 'toMs must be after fromMs', { path: 'toMs' });
  return ok(range);
}

/**
 * Builds the engine. Each operation returns a result; thrown errors are bugs or broken
 * dependencies and are wrapped as `UPSTREAM_FAILED`.
 * @example
 * const scout = createScout({ store, telemetry: createMemoryTelemetrySource(events) });
 * await scout.analyze({ range, actor: 'me' });
 * const recs = await scout.recommend({ range, actor: 'me' });
 */
export function createScout(options: ScoutOptions): Scout {
  const { store, telemetry } = options;
  const families = options.families ?? DEFAULT_FAMILIES;
  const maxJourneys = options.maxJourneys ?? 5;
  const stepMs = options.stepMs ?? 300_000;
  const now = options.now ?? Date.now;
  const policy = options.policy ?? DEFAULT_POLICY;
  const progress = options.onProgress ?? (() => undefined);
  if (!Number.isInteger(maxJourneys) || maxJourneys < 1)
    throw new EngineError('INVALID_OPTIONS', 'maxJourneys must be a whole number ≥ 1');
  if (!Number.isInteger(stepMs) || stepMs < 1000)
    throw new EngineError(
      'INVALID_OPTIONS',
      'stepMs must be a whole number of milliseconds ≥ 1000',
    );
  const redactor = createRedactor();
  const retriever =
    options.capsules === undefined
      ? undefined
      : createEvidenceRetriever({
          embedder: options.capsules.embedder,
          store: options.capsules.vectors,
        });
  let artifactSeq = 0;

  const guard = async <T>(run: () => Promise<Result<T>>): Promise<Result<T>> => {
    try {
      return await run();
    } catch (e) {
      return { ok: false, error: toEngineError(e) };
    }
  };

  const findJourney = async (id: string): Promise<Journey | undefined> =>
    (await store.listJourneys()).find((j) => j.id === id);

  const findSli = async (sliId: string): Promise<{ journey: Journey; sli: Sli } | undefined> => {
    for (const journey of await store.listJourneys()) {
      const sli = (await store.listSlis(journey.id)).find((s) => s.id === sliId);
      if (sli !== undefined) return { journey, sli };
    }
    return undefined;
  };

  const views = (recs: readonly Recommendation[]): RecommendationView[] =>
    recs.flatMap((r) => {
      const v = toRecommendationView(r);
      return v.ok ? [v.value] : [];
    });

  /** Error templates of the journey's services, most severe first, as evidence. */
  const evidenceFor = async (
    journey: Journey,
    range: TimeRange,
    limit = 5,
  ): Promise<Evidence[]> => {
    if (retriever !== undefined) {
      const r = await retriever.retrieve({
        text: `${journey.name} error failure`,
        filter: {
          services: journey.evidence.services,
          fromMs: range.fromMs,
          toMs: range.toMs,
          minSeverity: ERROR_SEVERITY,
        },
        limit,
        nowMs: range.toMs,
      });
      if (r.ok && r.value.length > 0) return r.value;
    }
    const out: Evidence[] = [];
    for (const service of journey.evidence.services) {
      const top = await store.topFingerprints({ service, ...range, orderBy: 'severity', limit });
      if (top.ok) out.push(...top.value.filter(isError).map((f) => toEvidence(service, f)));
    }
    return out.sort((a, b) => b.score - a.score).slice(0, limit);
  };

  /** The last day of stored windows: where evidence is looked for by default. */
  const latestRange = async (): Promise<TimeRange | undefined> => {
    const r = await store.windowRange();
    if (r === null) return undefined;
    return { fromMs: Math.max(r.fromMs, r.toMs - EVIDENCE_SPAN_MS), toMs: r.toMs };
  };

  const buildArtifact = async (
    recs: readonly RecommendationView[],
    actor: string,
  ): Promise<Result<ArtifactView>> => {
    const specs = recs.map((r) => r.spec);
    const topErrors: Record<string, ErrorTemplate[]> = {};
    for (const r of recs)
      topErrors[sloId(r.spec)] = r.capsules.map((e) => ({
        fingerprint: e.fingerprint,
        template: e.template,
        count: e.eventCount,
      }));
    progress({ step: 'generate', done: 0, total: 2, detail: `${specs.length} SLOs` });
    const { files, testsError } = generateArtifactFiles(specs, topErrors);
    progress({ step: 'validate', done: 1, total: 2 });
    const report = await validateArtifactFiles(specs, files, {
      rules: options.rules,
      dashboards: options.dashboards,
      policy,
      approvals: approvalsOf(recs),
    });
    const full: ValidationReport =
      testsError === undefined
        ? report
        : {
            ...report,
            ok: false,
            steps: [
              ...report.steps,
              { name: 'generate promtool tests', ok: false, detail: testsError },
            ],
          };
    progress({ step: 'validate', done: 2, total: 2 });
    const id = `art-${now().toString(36)}-${(artifactSeq++).toString(36)}`;
    const saved = await store.saveArtifact(
      {
        id,
        recommendationId: recs[0]?.id ?? null,
        kind: 'slo-bundle',
        files,
        validation: { recommendationIds: recs.map((r) => r.id), report: full },
        policyDecision: !full.policy.allowed
          ? 'deny'
          : full.policy.requiredApprovers.length > 0
            ? 'review'
            : 'allow',
      },
      actor,
    );
    if (!saved.ok) return fail('UPSTREAM_FAILED', saved.error.message, { cause: saved.error });
    return ok({ ...saved.value, recommendationIds: recs.map((r) => r.id), report: full });
  };

  const getArtifact = async (id: string): Promise<Result<ArtifactView>> => {
    const a = await store.getArtifact(id);
    if (a === undefined) return fail('NOT_FOUND', `no artifact ${id}`, { path: 'id' });
    const v = a.validation as { recommendationIds?: string[]; report?: ValidationReport };
    if (v.report === undefined)
      return fail('INVALID_INPUT', `artifact ${id} was not written by the engine`);
    return ok({ ...a, recommendationIds: v.recommendationIds ?? [], report: v.report });
  };

  const specsOf = async (artifact: ArtifactView): Promise<Result<SloSpec[]>> => {
    const specs: SloSpec[] = [];
    for (const id of artifact.recommendationIds) {
      const r = await store.getRecommendation(id);
      const v = r === undefined ? undefined : toRecommendationView(r);
      if (v === undefined || !v.ok)
        return fail('NOT_FOUND', `recommendation ${id} of ${artifact.id} is gone`);
      specs.push(v.value.spec);
    }
    return ok(specs);
  };

  return {
    async status() {
      const st = await store.stats();
      return {
        services: st.services,
        windows: st.windows,
        windowsEstimated: st.windowsEstimated,
        spans: st.spans,
        lastWindowMs: st.windowRange === null ? null : st.windowRange.toMs,
      };
    },

    analyze: ({ range, actor }) =>
      guard(async () => {
        const r = checkRange(range);
        if (!r.ok) return r;
        progress({ step: 'read spans', done: 0, total: 3 });
        const spans = await telemetry.traces(range);
        if (spans.length === 0)
          return fail(
            'NO_DATA',
            `no trace spans between ${iso(range.fromMs)} and ${iso(range.toMs)}`,
          );
        progress({ step: 'discover journeys', done: 1, total: 3, detail: `${spans.length} spans` });
        const { journeys, slis } = toJourneysAndSlis(spans, { families, redactor, maxJourneys });
        const savedJ = await store.saveJourneys(journeys);
        if (!savedJ.ok)
          return fail('UPSTREAM_FAILED', savedJ.error.message, { cause: savedJ.error });
        const savedS = await store.saveSlis(slis);
        if (!savedS.ok)
          return fail('UPSTREAM_FAILED', savedS.error.message, { cause: savedS.error });
        for (const service of new Set(spans.map((s) => s.service)))
          await store.upsertService({
            name: service,
            displayName: null,
            owner: null,
            tier: null,
            attributes: {},
          });
        await store.appendAudit({
          actor,
          action: 'analyzed',
          subjectType: 'analysis',
          subjectId: `${range.fromMs}-${range.toMs}`,
          details: { spans: spans.length, journeys: journeys.length, slis: slis.length },
        });
        progress({
          step: 'discover journeys',
          done: 3,
          total: 3,
          detail: `${journeys.length} journeys`,
        });
        return ok({ range, spans: spans.length, journeys, slis });
      }),

    listJourneys: (service) => store.listJourneys(service),

    getJourney: (id) =>
      guard(async () => {
        const journey = await findJourney(id);
        if (journey === undefined) return fail('NOT_FOUND', `no journey ${id}`, { path: 'id' });
        const slis = await store.listSlis(id);
        const ids = new Set(slis.map((s) => s.id));
        const recommendations = views(await store.listRecommendations()).filter((r) =>
          ids.has(r.sliId),
        );
        // Evidence was gathered when the targets were recommended; only a journey without
        // recommendations looks it up live, over the last hours of data.
        const cited = new Map<string, Evidence>();
        for (const r of recommendations)
          for (const e of r.capsules) cited.set(`${e.service}/${e.fingerprint}`, e);
        let evidence = [...cited.values()].sort((a, b) => b.score - a.score);
        if (recommendations.length === 0) {
          const last = await latestRange();
          if (last !== undefined)
            evidence = await evidenceFor(
              journey,
              { fromMs: Math.max(last.fromMs, last.toMs - LIVE_EVIDENCE_SPAN_MS), toMs: last.toMs },
              10,
            );
        }
        return ok({ journey, slis, recommendations, evidence });
      }),

    listSlis: (journeyId) => store.listSlis(journeyId),

    sliHistory: (sliId, range) =>
      guard(async () => {
        const r = checkRange(range);
        if (!r.ok) return r;
        const found = await findSli(sliId);
        if (found === undefined) return fail('NOT_FOUND', `no SLI ${sliId}`, { path: 'id' });
        const rec = views(await store.listRecommendations())
          .filter((v) => v.sliId === sliId && v.status !== 'rejected')
          .sort((a, b) => b.createdAtMs - a.createdAtMs)[0];
        const sli = rec === undefined ? found.sli : fitted(found.sli, rec.spec);
        const spans = await telemetry.traces(range);
        const history = toHistories(spans, [found.journey], { range, stepMs }).get(
          found.journey.id,
        );
        const points = history === undefined ? [] : sliSeries(sli, history);
        const alerts = rec === undefined ? [] : summariseBacktest(points, rec.spec).alerts;
        return ok({
          sliId,
          stepMs,
          points,
          ...(rec === undefined ? {} : { target: rec.target }),
          alerts,
        });
      }),

    recommend: ({ range, actor, journeyIds }) =>
      guard(async () => {
        const r = checkRange(range);
        if (!r.ok) return r;
        const all = await store.listJourneys();
        if (all.length === 0) return fail('NO_DATA', 'no journeys yet: run analyze first');
        const wanted =
          journeyIds === undefined
            ? pickJourneys(all, maxJourneys)
            : all.filter((j) => journeyIds.includes(j.id));
        const missing = (journeyIds ?? []).filter((id) => !all.some((j) => j.id === id));
        if (missing.length > 0)
          return fail('NOT_FOUND', `no journey ${missing.join(', ')}`, { path: 'journeyIds' });
        const spans = await telemetry.traces(range);
        const histories = toHistories(spans, all, { range, stepMs });
        const out: RecommendationView[] = [];
        let done = 0;
        for (const journey of wanted) {
          progress({ step: 'recommend', done: done++, total: wanted.length, detail: journey.name });
          const history = histories.get(journey.id);
          if (history === undefined) continue;
          const evidence = await evidenceFor(journey, range);
          for (const sli of await store.listSlis(journey.id)) {
            const id = toRecommendationId(sli.id, range);
            const existing = await store.getRecommendation(id);
            if (existing !== undefined) {
              const v = toRecommendationView(existing);
              if (v.ok) out.push(v.value);
              continue;
            }
            const rec = recommendFor(journey, sli, history);
            if (!rec.ok) continue;
            const spec = rec.value.spec;
            const facts: RecommendationFacts = {
              journeyId: journey.id,
              sliName: sli.name,
              spec,
              backtest: summariseBacktest(sliSeries(fitted(sli, spec), history), spec),
              range,
              observed: rec.value.fit.observed,
              total: rec.value.fit.total,
              lowTraffic: rec.value.fit.lowTraffic,
              capsules: evidence,
            };
            const saved = await store.saveRecommendation(
              {
                id,
                sliId: sli.id,
                service: spec.spec.service,
                target: rec.value.fit.target,
                window: spec.spec.timeWindow.duration,
                confidence: rec.value.fit.confidence,
                rationale: rec.value.rationale,
                evidence: {
                  fingerprints: evidence.map((e) => e.fingerprint),
                  sampleRefs: evidence.flatMap((e) => e.sampleRefs).slice(0, 20),
                  facts: { ...facts },
                },
              },
              actor,
            );
            if (!saved.ok)
              return fail('UPSTREAM_FAILED', saved.error.message, { cause: saved.error });
            const v = toRecommendationView(saved.value);
            if (v.ok) out.push(v.value);
          }
        }
        progress({ step: 'recommend', done: wanted.length, total: wanted.length });
        if (out.length === 0)
          return fail('NO_DATA', 'no SLI had enough history in the range for a target');
        return ok(out);
      }),

    listRecommendations: async (q) => views(await store.listRecommendations(q)),

    getRecommendation: (id) =>
      guard(async () => {
        const r = await store.getRecommendation(id);
        if (r === undefined) return fail('NOT_FOUND', `no recommendation ${id}`, { path: 'id' });
        return toRecommendationView(r);
      }),

    decide: (id, d) =>
      guard(async () => {
        if (d.status === 'rejected' && (d.reason === undefined || d.reason.trim() === ''))
          return fail('INVALID_INPUT', 'a rejection needs a reason', { path: 'reason' });
        const existing = await store.getRecommendation(id);
        if (existing === undefined)
          return fail('NOT_FOUND', `no recommendation ${id}`, { path: 'id' });
        if (existing.status !== 'proposed') {
          const by = existing.decidedBy === null ? '' : ` by ${existing.decidedBy}`;
          return fail('CONFLICT', `recommendation ${id} is already ${existing.status}${by}`, {
            path: 'id',
          });
        }
        const r = await store.decideRecommendation(id, {
          status: d.status,
          actor: d.actor,
          ...(d.reason === undefined ? {} : { comment: d.reason }),
        });
        if (!r.ok)
          return fail(
            r.error.code === 'CONFLICT' ? 'CONFLICT' : 'UPSTREAM_FAILED',
            r.error.message,
            {
              cause: r.error,
            },
          );
        return toRecommendationView(r.value);
      }),

    generate: ({ recommendationIds, actor }) =>
      guard(async () => {
        let recs: RecommendationView[];
        if (recommendationIds === undefined) {
          // One SLO per SLI: a newer approval (say, over a later range) replaces an older one.
          const latest = new Map<string, RecommendationView>();
          for (const v of views(await store.listRecommendations({ status: 'approved' }))) {
            const seen = latest.get(v.sliId);
            if (seen === undefined || (v.decidedAtMs ?? 0) > (seen.decidedAtMs ?? 0))
              latest.set(v.sliId, v);
          }
          recs = [...latest.values()];
          if (recs.length === 0)
            return fail('NO_DATA', 'no approved recommendations: approve one first', {
              path: 'recommendationIds',
            });
        } else {
          recs = [];
          for (const id of recommendationIds) {
            const r = await store.getRecommendation(id);
            if (r === undefined)
              return fail('NOT_FOUND', `no recommendation ${id}`, { path: 'recommendationIds' });
            const v = toRecommendationView(r);
            if (!v.ok) return v;
            if (v.value.status === 'rejected')
              return fail('CONFLICT', `recommendation ${id} was rejected`, {
                path: 'recommendationIds',
              });
            const twin = recs.find((r) => r.sliId === v.value.sliId);
            if (twin !== undefined)
              return fail(
                'CONFLICT',
                `recommendations ${twin.id} and ${id} are both for SLI ${v.value.sliId}; pick one`,
                { path: 'recommendationIds' },
              );
            recs.push(v.value);
          }
        }
        return buildArtifact(recs, actor);
      }),

    getArtifact: (id) => guard(() => getArtifact(id)),

    validate: (artifactId) =>
      guard(async () => {
        const a = await getArtifact(artifactId);
        if (!a.ok) return a;
        const specs = await specsOf(a.value);
        if (!specs.ok) return specs;
        const recs = views(
          (
            await Promise.all(a.value.recommendationIds.map((id) => store.getRecommendation(id)))
          ).filter((r) => r !== undefined),
        );
        return ok(
          await validateArtifactFiles(specs.value, a.value.files, {
            rules: options.rules,
            dashboards: options.dashboards,
            policy,
            approvals: approvalsOf(recs),
          }),
        );
      }),

    diff: (artifactId) =>
      guard(async () => {
        const a = await getArtifact(artifactId);
        if (!a.ok) return a;
        const base =
          options.publisher?.readBase === undefined
            ? {}
            : await options.publisher.readBase(a.value.files.map((f) => f.path));
        return ok(toArtifactDiff(a.value.files, base));
      }),

    openPullRequest: ({ artifactId, actor }) =>
      guard(async () => {
        if (options.publisher === undefined)
          return fail('NOT_CONFIGURED', 'no publisher configured (local git, GitHub or GitLab)');
        const a = await getArtifact(artifactId);
        if (!a.ok) return a;
        const { report } = a.value;
        if (!report.policy.allowed)
          return fail(
            'POLICY_DENIED',
            `policy denies ${artifactId}: ${report.policy.reasons.map((r) => r.message).join('; ')}`,
          );
        const failed = report.steps.filter((s) => !s.ok);
        if (failed.length > 0)
          return fail(
            'VALIDATION_FAILED',
            `validation failed: ${failed.map((s) => `${s.name}: ${s.detail ?? ''}`).join('; ')}`,
          );
        const specs = await specsOf(a.value);
        if (!specs.ok) return specs;
        const draft = createPullRequestDraft({
          specs: specs.value,
          files: a.value.files,
          validation: report.steps.map((s) => ({
            name: s.skipped === true ? `${s.name} (skipped)` : s.name,
            ok: s.ok,
            ...(s.detail === undefined ? {} : { detail: s.detail }),
          })),
          decision: report.policy,
        });
        const published = await options.publisher.publish(draft);
        if (!published.ok) return published;
        const recorded = await store.recordPullRequest({
          artifactId,
          url: published.value.url,
          actor,
        });
        if (!recorded.ok)
          return fail('UPSTREAM_FAILED', recorded.error.message, { cause: recorded.error });
        return published;
      }),

    searchCapsules: (q) =>
      guard(async () => {
        if (typeof q.text !== 'string' || q.text.trim() === '')
          return fail('INVALID_INPUT', 'text must not be empty', { path: 'text' });
        if (retriever === undefined)
          return fail('NOT_CONFIGURED', 'capsule search needs a vector store and an embedder');
        const r = await retriever.retrieve({
          text: q.text,
          filter: {
            ...(q.service === undefined ? {} : { services: [q.service] }),
            ...(q.fromMs === undefined ? {} : { fromMs: q.fromMs }),
            ...(q.toMs === undefined ? {} : { toMs: q.toMs }),
            ...(q.minSeverity === undefined ? {} : { minSeverity: q.minSeverity }),
          },
          limit: q.limit ?? 10,
          nowMs: now(),
        });
        return r.ok ? ok(r.value) : fail('UPSTREAM_FAILED', r.error.message, { cause: r.error });
      }),
  };
}

/** The SLI as its recommendation fitted it (a latency SLI gets the fitted threshold). */
function fitted(sli: Sli, spec: SloSpec): Sli {
  const t = spec.spec.indicator.thresholdSeconds;
  return t === undefined ? sli : { ...sli, thresholdSeconds: t };
}

function approvalsOf(recs: readonly RecommendationView[]): string[] {
  return [...new Set(recs.flatMap((r) => (r.decidedBy === null ? [] : [r.decidedBy])))];
}

const isError = (f: FingerprintSummary): boolean => f.severity.error + f.severity.fatal > 0;

function toEvidence(service: string, f: FingerprintSummary): Evidence {
  return {
    fingerprint: f.fingerprintHash,
    service,
    template: f.template,
    similarity: 0,
    score: f.severity.fatal * 2 + f.severity.error,
    windowCount: f.windows,
    eventCount: f.count,
    maxSeverity: f.severity.fatal > 0 ? 21 : ERROR_SEVERITY,
    firstBucketMs: f.firstSeenMs,
    lastSeenMs: f.lastSeenMs,
    sampleRefs: [],
    windowIds: [],
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

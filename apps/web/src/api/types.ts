/**
 * The JSON the REST API answers with, as the console reads it. These mirror the engine's views
 * (`@slo-scout/engine` types.ts) after JSON serialisation; the console keeps its own copy so the
 * browser bundle never pulls in server packages. test/contract.test.ts checks they stay in step.
 */

/** How a journey was identified. */
export type JourneyKey =
  | {
      readonly type: 'http';
      readonly service: string;
      readonly method: string;
      readonly route: string;
    }
  | {
      readonly type: 'rpc';
      readonly service: string;
      readonly rpcService: string;
      readonly rpcMethod: string;
    }
  | { readonly type: 'span'; readonly service: string; readonly spanName: string }
  | { readonly type: 'sequence'; readonly steps: readonly string[] }
  | { readonly type: 'other'; readonly service: string };

/** Counts and examples behind a journey. */
export interface JourneyEvidence {
  readonly traceCount: number;
  readonly errorCount: number;
  readonly exampleTraceIds: readonly string[];
  readonly services: readonly string[];
  readonly latencyMs?: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly sessionCount?: number;
  readonly exampleSessionIds?: readonly string[];
}

/** A discovered critical user journey. */
export interface Journey {
  readonly id: string;
  readonly name: string;
  readonly key: JourneyKey;
  readonly entryService: string;
  /** Share of all entry traffic, 0..1. */
  readonly trafficShare: number;
  readonly userFacing: boolean;
  readonly critical: boolean;
  readonly score: number;
  readonly evidence: JourneyEvidence;
}

/** What an SLI measures. */
export type SliKind = 'availability' | 'latency' | 'rum' | 'errors';

/** A ratio SLI as PromQL; exactly one of `good` and `bad` is set. */
export type SliRatio =
  | { readonly good: string; readonly total: string; readonly bad?: undefined }
  | { readonly bad: string; readonly total: string; readonly good?: undefined };

/** A service level indicator proposed for a journey. */
export interface Sli {
  readonly id: string;
  readonly journeyId: string;
  readonly kind: SliKind;
  readonly name: string;
  readonly description: string;
  readonly ratio: SliRatio;
  readonly thresholdSeconds?: number;
  readonly metric: string;
}

/** Review state of a recommendation. */
export type RecommendationStatus = 'proposed' | 'approved' | 'rejected' | 'superseded';

/** One alert the backtest says would have fired. */
export interface BacktestAlert {
  readonly severity: 'page' | 'ticket';
  readonly startMs: number;
  readonly endMs: number;
}

/** The backtest of a recommended target. */
export interface BacktestSummary {
  /** Bad events over the budget; 1 means exactly spent. */
  readonly budgetConsumed: number;
  readonly pages: number;
  readonly tickets: number;
  readonly alerts: readonly BacktestAlert[];
}

/** Evidence stored with a recommendation. */
export interface RecommendationEvidence {
  readonly fingerprints: readonly string[];
  readonly sampleRefs: readonly string[];
  readonly facts: Readonly<Record<string, unknown>>;
}

/** The parts of an SLO spec the console shows. */
export interface SloSpecView {
  readonly apiVersion: string;
  readonly kind: 'SLO';
  readonly metadata: { readonly name: string; readonly displayName?: string };
  readonly spec: {
    readonly service: string;
    readonly description?: string;
    readonly owner?: string;
    readonly timeWindow: { readonly duration: string };
    readonly objectives: readonly { readonly target: number; readonly displayName?: string }[];
  };
}

/** A recommendation with its SLO spec and backtest. */
export interface RecommendationView {
  readonly id: string;
  readonly sliId: string;
  readonly service: string;
  readonly target: number;
  readonly window: string;
  readonly confidence: number;
  readonly rationale: string;
  readonly evidence: RecommendationEvidence;
  readonly status: RecommendationStatus;
  readonly createdAtMs: number;
  readonly decidedAtMs: number | null;
  readonly decidedBy: string | null;
  readonly journeyId: string;
  readonly sliName: string;
  readonly spec: SloSpecView;
  readonly backtest: BacktestSummary;
}

/** Good and total events in one step. */
export interface GoodTotalPoint {
  readonly tMs: number;
  readonly good: number;
  readonly total: number;
}

/** An SLI's history for the chart. */
export interface SliHistory {
  readonly sliId: string;
  readonly stepMs: number;
  readonly points: readonly GoodTotalPoint[];
  readonly target?: number;
  readonly alerts: readonly BacktestAlert[];
}

/** A capsule (error template) cited as evidence; its template and samples are redacted. */
export interface Evidence {
  readonly fingerprint: string;
  readonly service: string;
  readonly template: string;
  readonly similarity: number;
  readonly score: number;
  readonly windowCount: number;
  readonly eventCount: number;
  readonly maxSeverity: number;
  readonly firstBucketMs: number;
  readonly lastSeenMs: number;
  readonly sampleRefs: readonly string[];
  readonly windowIds: readonly string[];
}

/** A journey with everything a reviewer looks at. */
export interface JourneyDetail {
  readonly journey: Journey;
  readonly slis: readonly Sli[];
  readonly recommendations: readonly RecommendationView[];
  readonly evidence: readonly Evidence[];
}

/** One validation step's outcome (promtool, schema, scan...). */
export interface ValidationStepResult {
  readonly name: string;
  readonly ok: boolean;
  /** The validator was not configured; `detail` says how to enable it. */
  readonly skipped?: boolean;
  readonly detail?: string;
}

/** One reason of a policy decision. */
export interface PolicyReason {
  readonly rule: string;
  readonly message: string;
}

/** The policy guard's verdict. */
export interface PolicyDecision {
  readonly allowed: boolean;
  readonly reasons: readonly PolicyReason[];
  readonly requiredApprovers: readonly string[];
}

/** Validation of an artifact set. */
export interface ValidationReport {
  readonly ok: boolean;
  readonly steps: readonly ValidationStepResult[];
  readonly policy: PolicyDecision;
}

/** A generated file. */
export interface ArtifactFile {
  readonly path: string;
  readonly content: string;
}

/** A generated artifact set with its validation. */
export interface ArtifactView {
  readonly id: string;
  readonly recommendationId: string | null;
  readonly kind: string;
  readonly files: readonly ArtifactFile[];
  readonly policyDecision: 'allow' | 'deny' | 'review';
  readonly createdAtMs: number;
  readonly recommendationIds: readonly string[];
  readonly report: ValidationReport;
}

/** A file's change against the base branch. */
export interface ArtifactDiffFile {
  readonly path: string;
  readonly status: 'added' | 'modified' | 'unchanged';
  readonly patch: string;
}

/** A unified diff per file of an artifact set. */
export interface ArtifactDiff {
  readonly files: readonly ArtifactDiffFile[];
}

/** What opening or updating a pull request reported. */
export interface PublishedPullRequest {
  readonly url: string;
  readonly branch: string;
  readonly commit?: string;
  readonly updated: boolean;
}

/** Where ingestion stands. */
export interface IngestStatus {
  readonly services: number;
  /** An estimate when `windowsEstimated`. */
  readonly windows: number;
  readonly windowsEstimated: boolean;
  readonly spans: number;
  readonly lastWindowMs: number | null;
}

/** A service from the catalog. */
export interface ServiceRecord {
  readonly name: string;
  readonly displayName: string | null;
  readonly owner: string | null;
  readonly tier: string | null;
}

/** The API's error body. */
export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

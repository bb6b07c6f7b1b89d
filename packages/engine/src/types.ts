/**
 * The engine's contract: what it needs (a store, a telemetry source, validators, a publisher) and
 * what it offers the API, the CLI and the web console (analyze → recommend → decide → generate →
 * validate → publish, plus the reads a reviewer needs).
 */
import type { Journey, Sli, SloSpec, TelemetryEvent } from '@slo-scout/schema';
import type { MetricFamily, BacktestAlert, GoodTotalPoint } from '@slo-scout/slo';
import type {
  ArtifactFile,
  ArtifactPolicy,
  PolicyDecision,
  PullRequestDraft,
} from '@slo-scout/artifacts';
import type {
  ArtifactRecord,
  BlobStore,
  Recommendation,
  RecommendationStatus,
  Store,
} from '@slo-scout/store';
import type { Embedder, Evidence, VectorStore } from '@slo-scout/rag';
import type { PromtoolValidator } from '@slo-scout/artifacts/promtool';
import type { DashboardValidator as SchemaDashboardValidator } from '@slo-scout/artifacts/dashboard-schema';
import type { Result } from './errors.ts';

/** A closed-open time range in epoch milliseconds. */
export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Where the engine reads trace spans for journey discovery and SLI history. */
export interface TelemetrySource {
  /** Trace events (`kind: 'trace'`) whose event time falls in the range. */
  traces(range: TimeRange): Promise<readonly TelemetryEvent[]>;
}

/** Runs the real `promtool` (`@slo-scout/artifacts/promtool`). */
export type RulesValidator = PromtoolValidator;

/** Validates Grafana dashboards against the JSON schema (`@slo-scout/artifacts/dashboard-schema`). */
export type DashboardValidator = SchemaDashboardValidator;

/** What a publisher reports after opening or updating a pull request. */
export interface PublishedPullRequest {
  /** Pull-request URL, or `file://…` of the description for a local repository. */
  readonly url: string;
  readonly branch: string;
  readonly commit?: string;
  /** `true` when an existing branch / pull request was updated. */
  readonly updated: boolean;
}

/** Opens or updates a pull request from a draft (local git, GitHub, GitLab). */
export interface Publisher {
  publish(draft: PullRequestDraft): Promise<Result<PublishedPullRequest>>;
  /** Current content of files on the base branch, for diffs; `undefined` when absent. */
  readBase?(paths: readonly string[]): Promise<Record<string, string | undefined>>;
}

/** Retrieval of redacted capsules for evidence and search. */
export interface CapsuleIndex {
  readonly vectors: VectorStore;
  readonly embedder: Embedder;
}

/** A step of long work, for progress bars and logs. */
export interface ProgressEvent {
  readonly step: string;
  readonly done: number;
  readonly total: number;
  readonly detail?: string;
}

/** Options of `createScout`. */
export interface ScoutOptions {
  readonly store: Store;
  readonly blobs?: BlobStore;
  readonly telemetry: TelemetrySource;
  /** Vector retrieval; without it evidence comes from the store's top fingerprints only. */
  readonly capsules?: CapsuleIndex;
  /** Metric families the SLIs are written against. Default: OpenTelemetry HTTP/RPC semconv histograms. */
  readonly families?: readonly MetricFamily[];
  readonly rules?: RulesValidator;
  readonly dashboards?: DashboardValidator;
  readonly policy?: ArtifactPolicy;
  readonly publisher?: Publisher;
  /** Journeys analysed per run, by rank (the `other` groups are skipped). Default 5. */
  readonly maxJourneys?: number;
  /** Step of the SLI history series. Default 5 minutes. */
  readonly stepMs?: number;
  readonly now?: () => number;
  readonly onProgress?: (e: ProgressEvent) => void;
}

/** What `analyze` found and saved. */
export interface AnalyzeReport {
  readonly range: TimeRange;
  readonly spans: number;
  readonly journeys: readonly Journey[];
  readonly slis: readonly Sli[];
}

/** A recommendation with the SLO spec and backtest it came with. */
export interface RecommendationView extends Recommendation {
  readonly journeyId: string;
  readonly sliName: string;
  readonly spec: SloSpec;
  readonly backtest: BacktestSummary;
  /** Error capsules cited as evidence (templates redacted), most relevant first. */
  readonly capsules: readonly Evidence[];
}

/** The backtest of a recommended target over the analysed history. */
export interface BacktestSummary {
  readonly budgetConsumed: number;
  readonly pages: number;
  readonly tickets: number;
  readonly alerts: readonly BacktestAlert[];
}

/** An SLI's history for a chart: good/total per step, with the target and alerts. */
export interface SliHistory {
  readonly sliId: string;
  readonly stepMs: number;
  readonly points: readonly GoodTotalPoint[];
  readonly target?: number;
  readonly alerts: readonly BacktestAlert[];
}

/** A journey with everything a reviewer looks at. */
export interface JourneyDetail {
  readonly journey: Journey;
  readonly slis: readonly Sli[];
  readonly recommendations: readonly RecommendationView[];
  readonly evidence: readonly Evidence[];
}

/** One validation step's outcome. */
export interface ValidationStepResult {
  readonly name: string;
  readonly ok: boolean;
  /** The validator was not available; `detail` says how to enable it. */
  readonly skipped?: boolean;
  readonly detail?: string;
}

/** Validation of an artifact set: promtool, schema, scan, then the policy decision. */
export interface ValidationReport {
  readonly ok: boolean;
  readonly steps: readonly ValidationStepResult[];
  readonly policy: PolicyDecision;
}

/** A generated artifact set as stored, with its validation. */
export interface ArtifactView extends ArtifactRecord {
  readonly recommendationIds: readonly string[];
  readonly report: ValidationReport;
}

/** A capsule search request: text (embedded) and/or filters. */
export interface CapsuleSearch {
  readonly text: string;
  readonly service?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly minSeverity?: number;
  readonly limit?: number;
}

/** Where ingestion stands. */
export interface IngestStatus {
  readonly services: number;
  /** Capsule windows stored; the planner's estimate when `windowsEstimated`. */
  readonly windows: number;
  readonly windowsEstimated: boolean;
  /** Journey spans stored. */
  readonly spans: number;
  /** End of the last stored window, or `null` before the first one. */
  readonly lastWindowMs: number | null;
}

/** A unified diff per file of an artifact set against the publisher's base branch. */
export interface ArtifactDiff {
  readonly files: readonly {
    readonly path: string;
    readonly status: 'added' | 'modified' | 'unchanged';
    readonly patch: string;
  }[];
}

/** The engine. Every write names its actor and is audited by the store. */
export interface Scout {
  status(): Promise<IngestStatus>;
  /** Discovers journeys from the spans in the range and writes their SLIs; saves both. */
  analyze(input: { range: TimeRange; actor: string }): Promise<Result<AnalyzeReport>>;
  listJourneys(service?: string): Promise<Journey[]>;
  getJourney(id: string): Promise<Result<JourneyDetail>>;
  listSlis(journeyId: string): Promise<Sli[]>;
  sliHistory(sliId: string, range: TimeRange): Promise<Result<SliHistory>>;
  /** Fits targets over the range for the journeys' SLIs, backtests them and saves proposals. */
  recommend(input: {
    range: TimeRange;
    actor: string;
    journeyIds?: readonly string[];
  }): Promise<Result<RecommendationView[]>>;
  listRecommendations(q?: {
    service?: string;
    status?: RecommendationStatus;
  }): Promise<RecommendationView[]>;
  getRecommendation(id: string): Promise<Result<RecommendationView>>;
  decide(
    id: string,
    d: { status: 'approved' | 'rejected'; actor: string; reason?: string },
  ): Promise<Result<RecommendationView>>;
  /** Generates rules, promtool tests, dashboards and runbooks; validates and saves them. */
  generate(input: {
    recommendationIds?: readonly string[];
    actor: string;
  }): Promise<Result<ArtifactView>>;
  getArtifact(id: string): Promise<Result<ArtifactView>>;
  /** Re-runs validation of a stored artifact set. */
  validate(artifactId: string): Promise<Result<ValidationReport>>;
  diff(artifactId: string): Promise<Result<ArtifactDiff>>;
  /** Opens or updates the pull request; refused when validation failed or policy denies. */
  openPullRequest(input: {
    artifactId: string;
    actor: string;
  }): Promise<Result<PublishedPullRequest>>;
  searchCapsules(q: CapsuleSearch): Promise<Result<Evidence[]>>;
}

export type { ArtifactFile };

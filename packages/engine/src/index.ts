export { EngineError, toEngineError, ok, fail } from './errors.ts';
export type { EngineErrorCode, Result } from './errors.ts';

export { createScout } from './scout.ts';
export { createMemoryTelemetrySource, createStoreTelemetrySource } from './sources.ts';
export { DEFAULT_FAMILIES, LATENCY_BOUNDS } from './families.ts';
export {
  ARTIFACT_PATHS,
  DEFAULT_POLICY,
  generateArtifactFiles,
  validateArtifactFiles,
  sloId,
  ruleFilePath,
  ruleTestFilePath,
} from './artifact-set.ts';
export type { ValidationDeps } from './artifact-set.ts';
export { toArtifactDiff } from './diff.ts';
export type { RecommendationFacts } from './analysis.ts';

export type {
  TimeRange,
  TelemetrySource,
  RulesValidator,
  DashboardValidator,
  PublishedPullRequest,
  Publisher,
  CapsuleIndex,
  ProgressEvent,
  ScoutOptions,
  AnalyzeReport,
  RecommendationView,
  BacktestSummary,
  SliHistory,
  JourneyDetail,
  ValidationStepResult,
  ValidationReport,
  ArtifactView,
  CapsuleSearch,
  IngestStatus,
  ArtifactDiff,
  Scout,
} from './types.ts';

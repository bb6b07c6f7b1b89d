export { SloError, toSloError } from './errors.ts';
export type { SloErrorCode, Result } from './errors.ts';

export { createSeededRandom } from './core/random.ts';
export type { Random } from './core/random.ts';

export { createSyntheticShop } from './core/synthetic/shop.ts';
export type {
  SyntheticShop,
  SyntheticShopOptions,
  ShopIncident,
  ShopGroundTruth,
  GroundTruthJourney,
} from './core/synthetic/shop.ts';
export { toOtlpJson } from './core/synthetic/otlp.ts';
export type {
  OtlpJson,
  OtlpTraceRequest,
  OtlpLogsRequest,
  OtlpSpan,
  OtlpLogRecord,
  OtlpKeyValue,
  OtlpAnyValue,
  OtlpResource,
} from './core/synthetic/otlp.ts';

export { discoverJourneys, toJourneyHistory } from './core/journeys/discover.ts';
export type {
  DiscoverJourneysOptions,
  JourneyHistory,
  JourneyHistoryOptions,
} from './core/journeys/discover.ts';
export { discoverFlows } from './core/journeys/flows.ts';
export type { DiscoverFlowsOptions } from './core/journeys/flows.ts';
export {
  toJourneyKey,
  toJourneyName,
  toJourneyId,
  isCriticalKey,
  isServerError,
  toJourneySpan,
  JOURNEY_ATTRIBUTES,
} from './core/journeys/keys.ts';

export {
  generateSlis,
  generateRumSlis,
  generateErrorSli,
  toCapsuleErrorSeries,
  toSliName,
  pickBucketAtLeast,
  WEB_VITAL_THRESHOLDS,
} from './core/sli/generate.ts';
export type { GenerateSlisOptions } from './core/sli/generate.ts';
export type { MetricFamily } from './core/sli/families.ts';
export { toSloSpec } from './core/sli/spec.ts';
export type { ToSloSpecOptions } from './core/sli/spec.ts';

export {
  fitTarget,
  recommendSlo,
  recommendLatencySlo,
  TARGET_LADDER,
} from './core/recommend/recommend.ts';
export type {
  FitTargetOptions,
  TargetFit,
  CandidateVerdict,
  Recommendation,
  RecommendInput,
  RecommendLatencyInput,
} from './core/recommend/recommend.ts';
export { toLatencySeries } from './core/recommend/series.ts';
export type { GoodTotalPoint, HistogramPoint } from './core/recommend/series.ts';
export { clopperPearsonLower, quantileUpperRank } from './core/stats.ts';

export { backtest, BURN_RATE_RULES } from './core/backtest/backtest.ts';
export type {
  BurnRateRule,
  BacktestOptions,
  BacktestResult,
  BacktestAlert,
  LabelledIncident,
  IncidentOutcome,
} from './core/backtest/backtest.ts';

export {
  parsePetshopMetrics,
  parsePetshopTarget,
  toPetshopAvailability,
  toPetshopLatency,
} from './core/petshop/petshop.ts';
export type { PetshopMetrics, PetshopTarget } from './core/petshop/petshop.ts';

export {
  parseEnrichment,
  applyEnrichment,
  toEnrichmentPrompt,
  ENRICHMENT_JSON_SCHEMA,
} from './core/enrich/enrichment.ts';
export type { Enrichment } from './core/enrich/enrichment.ts';

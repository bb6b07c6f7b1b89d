export { AggregatorError, toAggregatorError, ok, err } from './errors.ts';
export type { AggregatorErrorCode, Result } from './errors.ts';

export type {
  CapsuleSource,
  CapsuleEvent,
  AggregatorEvent,
  SeverityDistribution,
  SampleEntry,
  CapsuleWindow,
} from './types.ts';

export { createRandom, randomIndex } from './random.ts';
export type { Random, RandomState, SeededRandom } from './random.ts';

export { SEVERITY_RANGES, toSeverityIndex } from './severity.ts';
export type { SeverityRange } from './severity.ts';

export { hashSource } from './sources.ts';
export { hashEventId } from './id-set.ts';

export {
  WINDOW_STATE_FORMAT,
  toCapsuleWindow,
  distinctSources,
  parseWindowState,
} from './window-state.ts';
export type { WindowState } from './window-state.ts';

export { mergeWindows } from './merge.ts';

export { DEFAULT_AGGREGATOR_OPTIONS } from './options.ts';
export type { AggregatorOptions } from './options.ts';

export { AGGREGATOR_SNAPSHOT_FORMAT } from './outputs.ts';
export type { Aggregator } from './aggregator.ts';
export type {
  AddOutcome,
  AggregatorOutput,
  WindowOutput,
  WindowOutputKind,
  LateOutput,
  InvalidOutput,
  AggregatorStats,
  AggregatorSnapshot,
} from './outputs.ts';

export { createAggregator, restoreAggregator, isWindowOutput } from './create.ts';

export { FingerprintError, toFingerprintError } from './core/errors.ts';
export type { FingerprintErrorCode, Result } from './core/errors.ts';
export { sha256Hex, hmacSha256Hex, portableHash } from './core/hash/sha256.ts';
export type { HashFunctions } from './core/hash/sha256.ts';
export { createRedactor, summarizeFindings, builtinDetectors } from './core/redact/redactor.ts';
export type {
  RedactionMode,
  RedactorOptions,
  RedactResult,
  RedactValueResult,
  ValueFinding,
  FindingSummary,
  Redactor,
} from './core/redact/redactor.ts';
export type { Finding, CustomDetector, Strength, RegexDetector } from './core/redact/types.ts';
export {
  isLuhnValid,
  isPaymentCard,
  isIban,
  isUsSsn,
  isGithubTokenChecksumValid,
  shannonEntropy,
} from './core/redact/validators.ts';
export { createTemplateMiner, parseMinerState } from './core/mine/miner.ts';
export type {
  TemplateMiner,
  TemplateMinerOptions,
  TemplateMatch,
  TemplateMinerState,
} from './core/mine/miner.ts';
export { toFingerprint, normalizeTemplate, FINGERPRINT_VERSION } from './core/mine/fingerprint.ts';
export { classify as classifyVariable } from './core/mine/mask.ts';
export type { VariableType } from './core/mine/mask.ts';
export { scoreParsing, normalizeForComparison } from './core/eval/parsing-metrics.ts';
export type { ParsingScores } from './core/eval/parsing-metrics.ts';

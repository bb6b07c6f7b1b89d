/** The template miner's saved state and its validation. */
import { FingerprintError, type Result } from '../errors.ts';

/** Serialisable miner state. */
export interface TemplateMinerState {
  readonly apiVersion: 'slo-scout/template-miner/v1';
  readonly maxTemplates: number;
  /** Templates from least to most recently used. */
  readonly templates: readonly {
    readonly service: string;
    readonly words: readonly string[];
    readonly count: number;
    /** Creation order; ties between equally similar templates go to the lowest. */
    readonly seq: number;
    /** Prose words seen varying at a position, as `[position, words]` pairs (optional). */
    readonly pending?: readonly (readonly [number, readonly string[]])[];
  }[];
  /** Next creation sequence number. */
  readonly nextSeq: number;
}

/** Parses unknown JSON into miner state, as a result. */
export function parseMinerState(value: unknown): Result<TemplateMinerState> {
  const v = value as {
    apiVersion?: unknown;
    maxTemplates?: unknown;
    nextSeq?: unknown;
    templates?: unknown;
  } | null;
  if (v === null || typeof v !== 'object' || v.apiVersion !== 'slo-scout/template-miner/v1') {
    return {
      ok: false,
      error: new FingerprintError('INVALID_STATE', 'not a slo-scout/template-miner/v1 state'),
    };
  }
  if (
    !Number.isInteger(v.maxTemplates) ||
    !Number.isInteger(v.nextSeq) ||
    !Array.isArray(v.templates)
  ) {
    return {
      ok: false,
      error: new FingerprintError('INVALID_STATE', 'maxTemplates or templates missing'),
    };
  }
  for (const t of v.templates as {
    service?: unknown;
    words?: unknown;
    count?: unknown;
    seq?: unknown;
  }[]) {
    if (
      typeof t.service !== 'string' ||
      !Array.isArray(t.words) ||
      typeof t.count !== 'number' ||
      typeof t.seq !== 'number'
    ) {
      return {
        ok: false,
        error: new FingerprintError('INVALID_STATE', 'malformed template entry'),
      };
    }
  }
  return { ok: true, value: v as unknown as TemplateMinerState };
}

import type { Journey } from '@slo-scout/schema';
import { fail, ok, type Result } from '../../errors.ts';
import type { Recommendation } from '../recommend/recommend.ts';

/** What an LLM may contribute: names and prose, never numbers that drive an SLO. */
export interface Enrichment {
  readonly journeys: readonly {
    readonly id: string;
    readonly displayName: string;
    readonly summary: string;
  }[];
  readonly slos: readonly {
    readonly name: string;
    readonly rationale: string;
    readonly runbook: string;
  }[];
}

/** JSON Schema of {@link Enrichment}, for structured output (`response_format: json_schema`). */
export const ENRICHMENT_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['journeys', 'slos'],
  properties: {
    journeys: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'displayName', 'summary'],
        properties: {
          id: { type: 'string' },
          displayName: { type: 'string' },
          summary: { type: 'string' },
        },
      },
    },
    slos: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'rationale', 'runbook'],
        properties: {
          name: { type: 'string' },
          rationale: { type: 'string' },
          runbook: { type: 'string' },
        },
      },
    },
  },
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkItems(
  list: unknown,
  o: { keys: readonly string[]; idKey: string; known: ReadonlySet<string>; path: string },
): string | undefined {
  if (!Array.isArray(list)) return `${o.path} must be an array`;
  for (const [i, item] of list.entries()) {
    if (!isObj(item)) return `${o.path}[${i}] must be an object`;
    const extra = Object.keys(item).filter((k) => !o.keys.includes(k));
    if (extra.length > 0) return `${o.path}[${i}] has unexpected fields ${extra.join(', ')}`;
    for (const k of o.keys)
      if (typeof item[k] !== 'string' || item[k].length === 0 || item[k].length > 4000)
        return `${o.path}[${i}].${k} must be a non-empty string`;
    if (!o.known.has(item[o.idKey] as string))
      return `${o.path}[${i}].${o.idKey} '${String(item[o.idKey])}' is unknown`;
  }
  return undefined;
}

/** Validates an LLM answer (parsed JSON) against the schema and the ids and names it was given. */
export function parseEnrichment(
  input: unknown,
  known: { readonly journeyIds: readonly string[]; readonly sloNames: readonly string[] },
): Result<Enrichment> {
  if (!isObj(input)) return fail('LLM_INVALID_ANSWER', 'answer must be a JSON object');
  const extra = Object.keys(input).filter((k) => k !== 'journeys' && k !== 'slos');
  if (extra.length > 0) return fail('LLM_INVALID_ANSWER', `unexpected fields ${extra.join(', ')}`);
  const problem =
    checkItems(input['journeys'], {
      keys: ['id', 'displayName', 'summary'],
      idKey: 'id',
      known: new Set(known.journeyIds),
      path: 'journeys',
    }) ??
    checkItems(input['slos'], {
      keys: ['name', 'rationale', 'runbook'],
      idKey: 'name',
      known: new Set(known.sloNames),
      path: 'slos',
    });
  if (problem !== undefined) return fail('LLM_INVALID_ANSWER', problem);
  return ok(input as unknown as Enrichment);
}

/**
 * Applies LLM prose to recommendations: display names, an `slo-scout/llm-rationale` and a
 * `slo-scout/runbook` annotation. Objectives, indicators and thresholds are copied untouched.
 */
export function applyEnrichment(
  recommendations: readonly Recommendation[],
  journeys: readonly Journey[],
  enrichment: Enrichment,
): Recommendation[] {
  return recommendations.map((rec) => {
    const slo = enrichment.slos.find((s) => s.name === rec.spec.metadata.name);
    const journey = journeys.find((j) => j.id === rec.spec.spec.journeyId);
    const named = enrichment.journeys.find((j) => j.id === journey?.id);
    if (slo === undefined && named === undefined) return rec;
    const { spec } = rec;
    return {
      ...rec,
      spec: {
        ...spec,
        metadata: {
          ...spec.metadata,
          ...(named === undefined
            ? {}
            : { displayName: `${named.displayName} ${spec.spec.indicator.kind}` }),
          annotations: {
            ...spec.metadata.annotations,
            ...(slo === undefined
              ? {}
              : { 'slo-scout/llm-rationale': slo.rationale, 'slo-scout/runbook': slo.runbook }),
            ...(named === undefined ? {} : { 'slo-scout/journey-summary': named.summary }),
          },
        },
      },
    };
  });
}

/** The prompt content: the evidence and numbers the model may cite but not change. */
export function toEnrichmentPrompt(
  recommendations: readonly Recommendation[],
  journeys: readonly Journey[],
  evidence: readonly string[] = [],
): string {
  return JSON.stringify({
    instructions:
      'Name each journey for humans and write a short rationale and runbook for each SLO from the evidence. Do not propose or change any number; cite the given numbers only.',
    journeys: journeys.map((j) => ({
      id: j.id,
      name: j.name,
      services: j.evidence.services,
      trafficShare: j.trafficShare,
      critical: j.critical,
    })),
    slos: recommendations.map((r) => ({
      name: r.spec.metadata.name,
      target: r.fit.target,
      rationale: r.rationale,
    })),
    evidence,
  });
}

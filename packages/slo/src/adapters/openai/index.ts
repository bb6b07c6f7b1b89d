import OpenAI from 'openai';
import type { Journey } from '@slo-scout/schema';
import {
  ENRICHMENT_JSON_SCHEMA,
  applyEnrichment,
  parseEnrichment,
  toEnrichmentPrompt,
} from '../../core/enrich/enrichment.ts';
import type { Recommendation } from '../../core/recommend/recommend.ts';
import { SloError, fail, ok, toSloError, type Result } from '../../errors.ts';

/** Options of {@link createOpenAiEnricher}. */
export interface OpenAiEnricherOptions {
  readonly apiKey: string;
  /** An OpenAI-compatible endpoint, e.g. `http://127.0.0.1:8080/v1`. */
  readonly baseURL?: string;
  /** Default `gpt-4o-mini`. */
  readonly model?: string;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
}

/** Input of {@link OpenAiEnricher.enrich}. */
export interface EnrichInput {
  readonly recommendations: readonly Recommendation[];
  readonly journeys: readonly Journey[];
  /** Retrieved evidence snippets (log templates, incidents) the model may cite. */
  readonly evidence?: readonly string[];
}

/** Enriches recommendations with LLM-written names and prose; numbers are never taken from it. */
export interface OpenAiEnricher {
  enrich(input: EnrichInput): Promise<Result<Recommendation[]>>;
}

/**
 * An enricher over the OpenAI chat completions API with structured JSON output; the answer is
 * validated against a schema and the known ids, and a malformed answer is a `LLM_INVALID_ANSWER`.
 */
export function createOpenAiEnricher(options: OpenAiEnricherOptions): OpenAiEnricher {
  if (typeof options.apiKey !== 'string' || options.apiKey.length === 0)
    throw new SloError('INVALID_OPTIONS', 'createOpenAiEnricher: apiKey is required');
  const client = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    timeout: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 2,
  });
  const model = options.model ?? 'gpt-4o-mini';
  return {
    async enrich(input: EnrichInput): Promise<Result<Recommendation[]>> {
      let content: string | null | undefined;
      try {
        const res = await client.chat.completions.create({
          model,
          temperature: 0,
          messages: [
            { role: 'system', content: 'You write SLO documentation. Answer with JSON only.' },
            {
              role: 'user',
              content: toEnrichmentPrompt(input.recommendations, input.journeys, input.evidence),
            },
          ],
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: 'slo_enrichment',
              strict: true,
              schema: ENRICHMENT_JSON_SCHEMA,
            },
          },
        });
        content = res.choices[0]?.message.content;
      } catch (e) {
        return { ok: false, error: toSloError(e, 'LLM_FAILED') };
      }
      if (typeof content !== 'string')
        return fail('LLM_INVALID_ANSWER', 'the answer has no content');
      let parsed: unknown;
      try {
        parsed = JSON.parse(content);
      } catch {
        return fail('LLM_INVALID_ANSWER', 'the answer is not JSON');
      }
      const checked = parseEnrichment(parsed, {
        journeyIds: input.journeys.map((j) => j.id),
        sloNames: input.recommendations.map((r) => r.spec.metadata.name),
      });
      if (!checked.ok) return checked;
      return ok(applyEnrichment(input.recommendations, input.journeys, checked.value));
    },
  };
}

export {
  ENRICHMENT_JSON_SCHEMA,
  parseEnrichment,
  applyEnrichment,
} from '../../core/enrich/enrichment.ts';
export type { Enrichment } from '../../core/enrich/enrichment.ts';

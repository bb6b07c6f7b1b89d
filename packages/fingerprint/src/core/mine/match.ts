/** The object `add` and `match` return. */
import type { TemplateMatch } from './miner.ts';

/** The template fields a match copies. */
export interface MatchedTemplate {
  readonly template: string;
  readonly wildcard: string;
  readonly fingerprint: string;
}

/** A match; `parameters` is sliced from the message when first read. */
export class Match implements TemplateMatch {
  readonly template: string;
  readonly wildcardTemplate: string;
  readonly fingerprint: string;
  isNew = false;
  readonly #message: string;
  readonly #spans: readonly number[];

  constructor(t: MatchedTemplate, message: string, spans: readonly number[]) {
    this.template = t.template;
    this.wildcardTemplate = t.wildcard;
    this.fingerprint = t.fingerprint;
    this.#message = message;
    this.#spans = spans;
  }

  get parameters(): readonly string[] {
    const out: string[] = [];
    const spans = this.#spans;
    for (let k = 0; k < spans.length; k += 2) {
      out.push(this.#message.slice(spans[k], spans[k + 1]));
    }
    return out;
  }

  /** Plain object for `JSON.stringify`, parameters included. */
  toJSON(): TemplateMatch {
    return {
      template: this.template,
      wildcardTemplate: this.wildcardTemplate,
      parameters: this.parameters,
      fingerprint: this.fingerprint,
      isNew: this.isNew,
    };
  }
}

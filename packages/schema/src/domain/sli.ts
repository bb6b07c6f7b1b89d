/** What an SLI measures. */
export type SliKind = 'availability' | 'latency' | 'rum' | 'errors';

/**
 * A ratio SLI as PromQL. Each query is an expression over a range written as `{{.window}}` (the
 * Sloth convention), e.g. `sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))`.
 * Exactly one of `good` and `bad` is set.
 */
export type SliRatio =
  | { readonly good: string; readonly total: string; readonly bad?: undefined }
  | { readonly bad: string; readonly total: string; readonly good?: undefined };

/** A service level indicator proposed for a journey. */
export interface Sli {
  readonly id: string;
  readonly journeyId: string;
  readonly kind: SliKind;
  /** DNS-1123-style name, e.g. `checkout-availability`. */
  readonly name: string;
  readonly description: string;
  readonly ratio: SliRatio;
  /** For latency SLIs: the threshold, equal to an existing histogram bucket bound. */
  readonly thresholdSeconds?: number;
  /** The metric family the queries read, as discovered in Prometheus. */
  readonly metric: string;
}

/** How a journey was identified: never by a raw URL path. */
export type JourneyKey =
  | {
      readonly type: 'http';
      readonly service: string;
      readonly method: string;
      /** The templated route (`/api/cart/{id}`), never the raw path. */
      readonly route: string;
    }
  | {
      readonly type: 'rpc';
      readonly service: string;
      readonly rpcService: string;
      readonly rpcMethod: string;
    }
  | { readonly type: 'span'; readonly service: string; readonly spanName: string }
  | { readonly type: 'sequence'; readonly steps: readonly string[] }
  | { readonly type: 'other'; readonly service: string };

/** What backs a journey: counts and examples a reviewer can open. */
export interface JourneyEvidence {
  readonly traceCount: number;
  readonly errorCount: number;
  readonly exampleTraceIds: readonly string[];
  readonly services: readonly string[];
  /** Latency percentiles of the entry span, milliseconds. */
  readonly latencyMs?: { readonly p50: number; readonly p95: number; readonly p99: number };
  /** For multi-step journeys mined from RUM sessions: the sessions that followed it. */
  readonly sessionCount?: number;
  /** For multi-step journeys: example RUM session ids. */
  readonly exampleSessionIds?: readonly string[];
}

/** A critical user journey discovered from traces or RUM sessions. */
export interface Journey {
  /** Stable id derived from the key (same traffic, same id). */
  readonly id: string;
  /** A readable name, e.g. `POST /api/checkout`. */
  readonly name: string;
  readonly key: JourneyKey;
  /** The service whose entry spans define the journey. */
  readonly entryService: string;
  /** Share of all entry traffic, 0..1. */
  readonly trafficShare: number;
  /** Reached from RUM sessions or through the edge. */
  readonly userFacing: boolean;
  /** Writes or moves money (POST/PUT/PATCH/DELETE, payment, checkout...). */
  readonly critical: boolean;
  /** Ranking score; higher is more important. */
  readonly score: number;
  readonly evidence: JourneyEvidence;
}

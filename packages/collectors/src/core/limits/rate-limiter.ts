import { CollectorError } from '../errors.ts';

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Sustained events per second per token. */
  readonly ratePerSecond: number;
  /** Bucket size: the largest burst per token. Defaults to one second of `ratePerSecond`. */
  readonly burst?: number;
  /** Most tokens tracked; the least recently seen is forgotten beyond it. Default 10,000. */
  readonly maxTokens?: number;
}

/** Per-token token-bucket limiter; the clock comes in as `nowMs`. */
export interface RateLimiter {
  /** Takes `cost` units for `token`; returns 0 when allowed, else milliseconds until it would be. */
  take(token: string, cost: number, nowMs: number): number;
}

/** Creates a {@link RateLimiter}. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const rate = options.ratePerSecond;
  const burst = options.burst ?? rate;
  const maxTokens = options.maxTokens ?? 10_000;
  if (!(rate > 0) || !(burst > 0) || !Number.isFinite(rate) || !Number.isFinite(burst)) {
    throw new CollectorError('INVALID_OPTIONS', 'ratePerSecond and burst must be positive numbers');
  }
  const buckets = new Map<string, { level: number; at: number }>();
  return {
    take(token, cost, nowMs) {
      let b = buckets.get(token);
      if (b) buckets.delete(token);
      else b = { level: burst, at: nowMs };
      b.level = Math.min(burst, b.level + (Math.max(0, nowMs - b.at) * rate) / 1000);
      b.at = nowMs;
      buckets.set(token, b);
      if (buckets.size > maxTokens) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      // A request larger than the whole bucket is admitted when the bucket is full, so a single
      // oversized batch is slowed down rather than refused forever.
      const needed = Math.min(cost, burst);
      if (b.level >= needed) {
        b.level -= cost;
        return 0;
      }
      return Math.ceil(((needed - b.level) * 1000) / rate);
    },
  };
}

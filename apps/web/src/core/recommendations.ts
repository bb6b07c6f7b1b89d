/** Which recommendations an artifact set is generated from. */
import type { RecommendationView } from '../api/types.ts';

/**
 * The approved recommendations, one per SLI: the newest decision wins (an SLO re-proposed over a
 * later range and approved again replaces the older approval), as the API expects.
 */
export function latestApprovedPerSli(recs: readonly RecommendationView[]): RecommendationView[] {
  const bySli = new Map<string, RecommendationView>();
  for (const r of recs) {
    if (r.status !== 'approved') continue;
    const seen = bySli.get(r.sliId);
    if (seen === undefined || (r.decidedAtMs ?? 0) > (seen.decidedAtMs ?? 0)) bySli.set(r.sliId, r);
  }
  return [...bySli.values()];
}

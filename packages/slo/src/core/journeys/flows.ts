import type { Journey, TelemetryEvent } from '@slo-scout/schema';
import { SloError } from '../../errors.ts';
import { groupBy } from './discover.ts';
import { toJourneyId, toJourneyName } from './keys.ts';

/** Options of {@link discoverFlows}. */
export interface DiscoverFlowsOptions {
  /** Minimum share of sessions that must contain a flow; default 0.1. */
  readonly minSupport?: number;
  /** Shortest flow reported; default 3 steps. */
  readonly minLength?: number;
  /** Longest flow considered; default 8 steps. */
  readonly maxLength?: number;
  /** Example sessions and traces kept per flow; default 3. */
  readonly maxExamples?: number;
}

/**
 * Mines multi-step journeys (browse → cart → checkout) from RUM sessions: each session's page
 * routes in time order, consecutive repeats collapsed; contiguous step sequences contained in at
 * least `minSupport` of sessions are frequent, and only maximal ones are reported. Sessions are
 * keyed by RUM session id, or by `enduser.id` on spans when there is no RUM.
 */
export function discoverFlows(
  events: readonly TelemetryEvent[],
  options: DiscoverFlowsOptions = {},
): Journey[] {
  const minSupport = options.minSupport ?? 0.1;
  const minLength = options.minLength ?? 3;
  const maxLength = options.maxLength ?? 8;
  const maxExamples = options.maxExamples ?? 3;
  if (!(minSupport > 0 && minSupport <= 1) || minLength < 2 || maxLength < minLength)
    throw new SloError(
      'INVALID_OPTIONS',
      'discoverFlows: need 0 < minSupport ≤ 1, 2 ≤ minLength ≤ maxLength',
    );
  const sessions = toSessions(events);
  const traces = tracesBySession(events);
  const servicesByTrace = new Map<string, string[]>();
  for (const e of events)
    if (e.kind === 'trace' && e.trace_id !== null)
      servicesByTrace.set(e.trace_id, [...(servicesByTrace.get(e.trace_id) ?? []), e.service]);
  const support = new Map<string, { steps: string[]; sessions: string[] }>();
  for (const [id, steps] of sessions) {
    const seen = new Set<string>();
    for (let n = minLength; n <= Math.min(maxLength, steps.length); n++)
      for (let i = 0; i + n <= steps.length; i++) {
        const seq = steps.slice(i, i + n);
        const k = JSON.stringify(seq);
        if (seen.has(k)) continue;
        seen.add(k);
        const entry = support.get(k) ?? { steps: seq, sessions: [] };
        entry.sessions.push(id);
        support.set(k, entry);
      }
  }
  const frequent = [...support.values()].filter(
    (f) => f.sessions.length / sessions.size >= minSupport,
  );
  const maximal = frequent.filter(
    (f) => !frequent.some((g) => g.steps.length > f.steps.length && contains(g.steps, f.steps)),
  );
  return maximal
    .map((f) => {
      const key = { type: 'sequence' as const, steps: f.steps };
      const exampleSessions = [...f.sessions].sort().slice(0, maxExamples);
      const linked = f.sessions.flatMap((s) => traces.get(s) ?? []);
      const services = new Set(linked.flatMap((t) => servicesByTrace.get(t.trace_id!) ?? []));
      const share = f.sessions.length / sessions.size;
      return {
        id: toJourneyId(key),
        name: toJourneyName(key),
        key,
        entryService: 'rum',
        trafficShare: share,
        userFacing: true,
        critical: f.steps.some((s) => /checkout|pay|order|cart/i.test(s)),
        score: Math.round((share + 0.25 + f.steps.length * 0.01) * 1e6) / 1e6,
        evidence: {
          traceCount: linked.length,
          errorCount: linked.filter((t) => t.status_code === 'ERROR').length,
          exampleTraceIds: exampleSessions.flatMap((s) =>
            (traces.get(s) ?? []).slice(0, 1).map((t) => t.trace_id!),
          ),
          services: [...services].sort(),
          sessionCount: f.sessions.length,
          exampleSessionIds: exampleSessions,
        },
      };
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

function toSessions(events: readonly TelemetryEvent[]): Map<string, string[]> {
  const views = events.filter(
    (e) =>
      e.kind === 'rum' &&
      e.rum !== null &&
      e.rum.route !== null &&
      (e.rum.event_type === 'page_view' || e.rum.event_type === 'route_change'),
  );
  const bySession = groupBy(views, (e) => e.rum!.session_id);
  const out = new Map<string, string[]>();
  for (const [id, list] of bySession) {
    const steps = [...list]
      .sort((a, b) => a.event_time_ms - b.event_time_ms)
      .map((e) => e.rum!.route!)
      .filter((r, i, all) => i === 0 || all[i - 1] !== r);
    out.set(id, steps);
  }
  return out;
}

function tracesBySession(events: readonly TelemetryEvent[]): Map<string, TelemetryEvent[]> {
  const roots = events.filter(
    (e) =>
      e.kind === 'trace' &&
      e.parent_span_id === null &&
      typeof e.attributes['session.id'] === 'string',
  );
  return groupBy(roots, (e) => e.attributes['session.id'] as string);
}

function contains(haystack: readonly string[], needle: readonly string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

import { createTelemetryEvent, type Attributes, type TelemetryEvent } from '@slo-scout/schema';
import { CollectorError, err, ok, type Result } from '../errors.ts';
import { toEventId } from '../hash.ts';
import { toSeverity } from '../loki/push.ts';
import type { NormaliseContext } from '../otlp/common.ts';
import { arrayField, isObj, toSafeKey, type Obj } from '../values.ts';

/** One page of an Elasticsearch/OpenSearch `_search` response, normalised. */
export interface SearchPage {
  readonly events: TelemetryEvent[];
  /** The `sort` values of the last hit: the next page's `search_after`; null when empty. */
  readonly lastSort: readonly unknown[] | null;
  /** Hits on this page (events may be fewer only if none were skipped: they are equal). */
  readonly hits: number;
}

/** Reads a dotted path from a document, accepting nested (`a: {b}`) and flattened (`'a.b'`) keys. */
export function readPath(doc: Obj, path: string): unknown {
  if (path in doc) return doc[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const head = doc[path.slice(0, dot)];
  return isObj(head) ? readPath(head, path.slice(dot + 1)) : undefined;
}

function toMs(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.floor(v);
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return Number(v);
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function scalar(v: unknown): string | number | boolean | null {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return v === null || v === undefined ? null : JSON.stringify(v);
}

/** Normalises one `_search` response page (ECS field names, with common fallbacks). */
export function parseSearchPage(
  body: unknown,
  ctx: NormaliseContext & { readonly timestampField: string },
): Result<SearchPage> {
  const hitsObj = isObj(body) && isObj(body['hits']) ? body['hits'] : undefined;
  const hits = hitsObj ? arrayField(hitsObj, 'hits') : undefined;
  if (!hits) return err(new CollectorError('BAD_SHAPE', '_search: expected hits.hits array'));
  const events: TelemetryEvent[] = [];
  let lastSort: readonly unknown[] | null = null;
  for (const hit of hits) {
    if (!isObj(hit) || typeof hit['_id'] !== 'string' || !isObj(hit['_source'])) {
      return err(new CollectorError('BAD_SHAPE', '_search: every hit needs _id and _source'));
    }
    const source = hit['_source'];
    const time = toMs(readPath(source, ctx.timestampField));
    if (time === undefined) {
      return err(
        new CollectorError('BAD_SHAPE', `_search: hit ${hit['_id']} has no ${ctx.timestampField}`),
      );
    }
    const sort = hit['sort'];
    if (!Array.isArray(sort))
      return err(new CollectorError('BAD_SHAPE', '_search: hits need sort values'));
    lastSort = sort;
    const message = readPath(source, 'message') ?? readPath(source, 'log.original');
    const service = readPath(source, 'service.name') ?? readPath(source, 'service');
    const level = readPath(source, 'log.level') ?? readPath(source, 'level');
    const traceId = readPath(source, 'trace.id');
    const spanId = readPath(source, 'span.id');
    const severity = toSeverity(typeof level === 'string' ? level : undefined);
    const attributes: Attributes = {};
    for (const [k, v] of Object.entries(source)) {
      if (k !== 'message' && k !== ctx.timestampField) attributes[toSafeKey(k)] = scalar(v);
    }
    const index = typeof hit['_index'] === 'string' ? hit['_index'] : '';
    events.push(
      createTelemetryEvent({
        event_id: toEventId('es', [index, hit['_id']]),
        kind: 'log',
        service:
          typeof service === 'string' && service !== ''
            ? service
            : (ctx.defaultService ?? 'unknown_service'),
        event_time_ms: time,
        observed_time_ms: ctx.observedTimeMs,
        severity_number: severity ? severity[0] : null,
        severity_text: severity ? severity[1] : typeof level === 'string' ? level : null,
        body: typeof message === 'string' ? message : JSON.stringify(source),
        attributes,
        trace_id: typeof traceId === 'string' && /^[0-9a-f]{32}$/.test(traceId) ? traceId : null,
        span_id: typeof spanId === 'string' && /^[0-9a-f]{16}$/.test(spanId) ? spanId : null,
      }),
    );
  }
  return ok({ events, lastSort, hits: hits.length });
}

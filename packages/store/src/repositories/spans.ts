/**
 * Spans: the redacted facts of trace spans that journey discovery and SLI history read (ids,
 * parent, service, name, kind, timing, status and the journey attributes). Upserts are idempotent
 * on `(trace_id, span_id)`, so a replayed batch changes nothing.
 */
import { createTelemetryEvent, type Attributes, type TelemetryEvent } from '@slo-scout/schema';
import { sql, type Kysely } from 'kysely';
import { err, invalid, ok, StoreError, type Result } from '../errors.ts';
import type { StoreDatabase } from '../db/types.ts';

/** A span ready for the store: its writer vouches it went through the redactor. */
export interface SpanInput {
  readonly span: TelemetryEvent;
  readonly redactionApplied: boolean;
}

/** Validates spans; an unredacted one is refused with `REDACTION_REQUIRED` and its index. */
export function validateSpans(spans: readonly SpanInput[]): Result<true> {
  for (const [i, s] of spans.entries()) {
    const at = `spans[${i}]`;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare
    if (s.redactionApplied !== true)
      return err(
        new StoreError(
          'REDACTION_REQUIRED',
          `${at}.redactionApplied: the store keeps redacted spans only`,
          {
            path: `${at}.redactionApplied`,
          },
        ),
      );
    const e = s.span;
    if (e.kind !== 'trace') return invalid(`${at}.span.kind`, `is ${e.kind}, not trace`);
    if (typeof e.trace_id !== 'string' || e.trace_id.length === 0)
      return invalid(`${at}.span.trace_id`, 'is empty');
    if (typeof e.span_id !== 'string' || e.span_id.length === 0)
      return invalid(`${at}.span.span_id`, 'is empty');
    if (typeof e.service !== 'string' || e.service.length === 0)
      return invalid(`${at}.span.service`, 'is empty');
    if (!Number.isSafeInteger(e.event_time_ms) || e.event_time_ms < 0)
      return invalid(`${at}.span.event_time_ms`, 'is not a time');
    if (e.duration_ms !== null && !(e.duration_ms >= 0))
      return invalid(`${at}.span.duration_ms`, 'must be >= 0');
  }
  return ok(true);
}

/** Inserts spans not stored yet (by trace and span id); answers how many were new. */
export async function upsertSpans(
  db: Kysely<StoreDatabase>,
  spans: readonly SpanInput[],
): Promise<Result<{ inserted: number }>> {
  const v = validateSpans(spans);
  if (!v.ok) return v;
  let inserted = 0;
  for (let i = 0; i < spans.length; i += 500) {
    const rows = spans.slice(i, i + 500).map(({ span: e }) => ({
      trace_id: e.trace_id!,
      span_id: e.span_id!,
      parent_span_id: e.parent_span_id,
      service: e.service,
      name: e.span_name,
      kind: e.span_kind,
      start_time: new Date(e.event_time_ms),
      duration_ms: e.duration_ms ?? 0,
      status_code: e.status_code,
      attributes: JSON.stringify(e.attributes),
      redaction_applied: true,
    }));
    const r = await db
      .insertInto('spans')
      .values(rows)
      .onConflict((oc) => oc.columns(['trace_id', 'span_id']).doNothing())
      .executeTakeFirst();
    inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return ok({ inserted });
}

/** Spans that started in `[fromMs, toMs)`, as trace `TelemetryEvent`s, oldest first. */
export async function listSpans(
  db: Kysely<StoreDatabase>,
  q: { fromMs: number; toMs: number },
): Promise<TelemetryEvent[]> {
  const rows = await db
    .selectFrom('spans')
    .selectAll()
    .where('start_time', '>=', new Date(q.fromMs))
    .where('start_time', '<', new Date(q.toMs))
    .orderBy('start_time')
    .orderBy('trace_id')
    .orderBy('span_id')
    .execute();
  return rows.map((r) => {
    const t = new Date(r.start_time).getTime();
    return createTelemetryEvent({
      event_id: `span:${r.trace_id}:${r.span_id}`,
      kind: 'trace',
      service: r.service,
      event_time_ms: t,
      trace_id: r.trace_id,
      span_id: r.span_id,
      parent_span_id: r.parent_span_id,
      span_name: r.name,
      span_kind: r.kind as TelemetryEvent['span_kind'],
      status_code: r.status_code as TelemetryEvent['status_code'],
      duration_ms: r.duration_ms,
      attributes: (typeof r.attributes === 'string'
        ? JSON.parse(r.attributes)
        : r.attributes) as Attributes,
    });
  });
}

/** Deletes spans that started before the cutoff; answers how many. */
export async function deleteSpansBefore(
  db: Kysely<StoreDatabase>,
  beforeMs: number,
): Promise<number> {
  const r = await sql`delete from spans where start_time < ${new Date(beforeMs)}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Capsules: one row per fingerprint and service; redaction is required, by code and by CHECK. */
import type { CapsuleEvent } from '@slo-scout/schema';
import { sql, type Kysely } from 'kysely';
import { err, invalid, ok, StoreError, type Result } from '../errors.ts';
import type { StoreDatabase } from '../db/types.ts';

/** A stored capsule, as RAG and the API read it. */
export interface StoredCapsule {
  readonly fingerprintHash: string;
  readonly service: string;
  readonly template: string;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  readonly maxSeverityNumber: number;
  readonly severityText: string | null;
  readonly redactedSample: string;
  readonly eventCount: number;
}

interface CapsuleRow {
  fingerprint_hash: string;
  service: string;
  template: string;
  first_seen_ms: number;
  last_seen_ms: number;
  max_severity_number: number;
  severity_text: string | null;
  redacted_sample: string;
  event_count: number;
}

/** Validates capsule events; a capsule without redaction is refused with `REDACTION_REQUIRED`. */
export function validateCapsuleEvents(events: readonly CapsuleEvent[]): Result<CapsuleRow[]> {
  if (!Array.isArray(events)) return invalid('capsules', 'must be an array');
  const list: readonly CapsuleEvent[] = events;
  const byKey = new Map<string, CapsuleRow>();
  for (const [i, e] of list.entries()) {
    const at = `capsules[${i}]`;
    if (typeof e !== 'object' || (e as unknown) === null) return invalid(at, 'is not an object');
    // Input comes from the bus at runtime: check what the types promise.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare
    if (e.redaction_applied !== true) {
      return err(
        new StoreError(
          'REDACTION_REQUIRED',
          `${at}.redaction_applied: capsule ${e.fingerprint_hash} of service ${e.service} was not redacted; the store refuses unredacted capsules`,
          { path: `${at}.redaction_applied` },
        ),
      );
    }
    if (typeof e.fingerprint_hash !== 'string' || e.fingerprint_hash.length === 0)
      return invalid(`${at}.fingerprint_hash`, 'is empty');
    if (typeof e.service !== 'string' || e.service.length === 0)
      return invalid(`${at}.service`, 'is empty');
    if (typeof e.template !== 'string') return invalid(`${at}.template`, 'is not a string');
    if (typeof e.redacted_sample !== 'string')
      return invalid(`${at}.redacted_sample`, 'is not a string');
    if (!Number.isSafeInteger(e.event_time_ms) || e.event_time_ms < 0)
      return invalid(`${at}.event_time_ms`, 'is not a time');
    if (
      !Number.isSafeInteger(e.severity_number) ||
      e.severity_number < 0 ||
      e.severity_number > 24
    ) {
      return invalid(`${at}.severity_number`, `must be 0..24, got ${String(e.severity_number)}`);
    }
    const key = `${e.fingerprint_hash}\u0000${e.service}`;
    const row = byKey.get(key);
    if (row === undefined) {
      byKey.set(key, {
        fingerprint_hash: e.fingerprint_hash,
        service: e.service,
        template: e.template,
        first_seen_ms: e.event_time_ms,
        last_seen_ms: e.event_time_ms,
        max_severity_number: e.severity_number,
        severity_text: e.severity_text,
        redacted_sample: e.redacted_sample,
        event_count: 1,
      });
      continue;
    }
    row.event_count++;
    if (e.template < row.template) row.template = e.template;
    row.first_seen_ms = Math.min(row.first_seen_ms, e.event_time_ms);
    row.last_seen_ms = Math.max(row.last_seen_ms, e.event_time_ms);
    if (e.severity_number > row.max_severity_number) {
      row.max_severity_number = e.severity_number;
      row.severity_text = e.severity_text;
    }
  }
  return ok(
    [...byKey.values()].sort((a, b) =>
      a.fingerprint_hash + a.service < b.fingerprint_hash + b.service ? -1 : 1,
    ),
  );
}

/** Upserts capsule events (counts add, first/last seen widen, template is the smallest). */
export async function upsertCapsules(
  db: Kysely<StoreDatabase>,
  events: readonly CapsuleEvent[],
): Promise<Result<{ capsules: number }>> {
  const valid = validateCapsuleEvents(events);
  if (!valid.ok) return valid;
  if (valid.value.length === 0) return ok({ capsules: 0 });
  await sql`insert into capsules as c (fingerprint_hash, service, template, first_seen, last_seen,
      max_severity_number, severity_text, redacted_sample, redaction_applied, event_count)
    select r.fingerprint_hash, r.service, r.template,
      timestamptz 'epoch' + r.first_seen_ms * interval '1 millisecond',
      timestamptz 'epoch' + r.last_seen_ms * interval '1 millisecond',
      r.max_severity_number, r.severity_text, r.redacted_sample, true, r.event_count
    from jsonb_to_recordset(${JSON.stringify(valid.value)}::jsonb) as r(fingerprint_hash text, service text,
      template text, first_seen_ms bigint, last_seen_ms bigint, max_severity_number int, severity_text text,
      redacted_sample text, event_count bigint)
    on conflict (fingerprint_hash, service) do update set
      template = least(c.template, excluded.template),
      first_seen = least(c.first_seen, excluded.first_seen),
      last_seen = greatest(c.last_seen, excluded.last_seen),
      severity_text = case when excluded.max_severity_number > c.max_severity_number
        then excluded.severity_text else c.severity_text end,
      max_severity_number = greatest(c.max_severity_number, excluded.max_severity_number),
      event_count = c.event_count + excluded.event_count`.execute(db);
  return ok({ capsules: valid.value.length });
}

/** Capsules by fingerprint (every service, or one), for evidence retrieval. */
export async function getCapsules(
  db: Kysely<StoreDatabase>,
  fingerprints: readonly string[],
  service?: string,
): Promise<StoredCapsule[]> {
  if (fingerprints.length === 0) return [];
  let q = db
    .selectFrom('capsules')
    .selectAll()
    .where('fingerprint_hash', 'in', [...fingerprints]);
  if (service !== undefined) q = q.where('service', '=', service);
  const rows = await q.orderBy('fingerprint_hash').orderBy('service').execute();
  return rows.map((r) => ({
    fingerprintHash: r.fingerprint_hash,
    service: r.service,
    template: r.template,
    firstSeenMs: r.first_seen.getTime(),
    lastSeenMs: r.last_seen.getTime(),
    maxSeverityNumber: r.max_severity_number,
    severityText: r.severity_text,
    redactedSample: r.redacted_sample,
    eventCount: r.event_count,
  }));
}

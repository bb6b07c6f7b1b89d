/**
 * Recommendations with their evidence, artifacts, and the append-only audit log. Every state
 * change writes its audit entry in the same transaction, so the log cannot miss one.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { err, invalid, ok, StoreError, type Result } from '../errors.ts';
import type { StoreDatabase } from '../db/types.ts';

/** What an audit entry is about. */
export type AuditSubject =
  | 'recommendation'
  | 'approval'
  | 'artifact'
  | 'pull_request'
  | 'retention'
  | 'api_key'
  | 'analysis';

/** One audit entry: who did what to which subject, when. */
export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly subjectType: AuditSubject;
  readonly subjectId: string;
  readonly atMs: number;
  readonly details: Record<string, unknown>;
}

/** A stored audit entry with its sequence id. */
export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
}

/** Evidence behind a recommendation: capsules, windows, raw-sample refs and free-form facts. */
export interface RecommendationEvidence {
  readonly fingerprints: readonly string[];
  readonly sampleRefs: readonly string[];
  readonly facts: Record<string, unknown>;
}

/** Review state of a recommendation. */
export type RecommendationStatus = 'proposed' | 'approved' | 'rejected' | 'superseded';

/** An SLO recommendation for an SLI. */
export interface Recommendation {
  readonly id: string;
  readonly sliId: string;
  readonly service: string;
  /** Objective as a ratio, 0 < target < 1, e.g. 0.999. */
  readonly target: number;
  /** Compliance window, e.g. `28d`. */
  readonly window: string;
  readonly confidence: number;
  readonly rationale: string;
  readonly evidence: RecommendationEvidence;
  readonly status: RecommendationStatus;
  readonly createdAtMs: number;
  readonly decidedAtMs: number | null;
  readonly decidedBy: string | null;
}

/** A generated artifact set and what validation and policy said about it. */
export interface ArtifactRecord {
  readonly id: string;
  readonly recommendationId: string | null;
  readonly kind: string;
  readonly files: readonly { readonly path: string; readonly content: string }[];
  readonly validation: Record<string, unknown>;
  readonly policyDecision: 'allow' | 'deny' | 'review';
  readonly createdAtMs: number;
}

const SUBJECTS: readonly string[] = [
  'recommendation',
  'approval',
  'artifact',
  'pull_request',
  'retention',
  'api_key',
  'analysis',
];

function checkAudit(e: AuditEntry, at = 'entry'): Result<true> {
  if (typeof e.actor !== 'string' || e.actor.length === 0)
    return invalid(`${at}.actor`, 'is required: every audit entry names who acted');
  if (typeof e.action !== 'string' || e.action.length === 0)
    return invalid(`${at}.action`, 'is empty');
  if (!SUBJECTS.includes(e.subjectType))
    return invalid(`${at}.subjectType`, `unknown subject "${e.subjectType}"`);
  if (!Number.isSafeInteger(e.atMs)) return invalid(`${at}.atMs`, 'is not a time');
  return ok(true);
}

/** Checks an audit entry before it is written; the error names the field under `at`. */
export function validateAuditEntry(e: AuditEntry, at = 'entry'): Result<true> {
  return checkAudit(e, at);
}

/** Inserts an already-checked audit entry (inside the caller's transaction). */
export async function insertAudit(
  db: Kysely<StoreDatabase> | Transaction<StoreDatabase>,
  e: AuditEntry,
): Promise<number> {
  const row = await db
    .insertInto('audit_log')
    .values({
      actor: e.actor,
      action: e.action,
      subject_type: e.subjectType,
      subject_id: e.subjectId,
      at: new Date(e.atMs),
      details: JSON.stringify(e.details),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Appends one audit entry. */
export async function appendAudit(
  db: Kysely<StoreDatabase>,
  e: AuditEntry,
): Promise<Result<number>> {
  const c = checkAudit(e);
  if (!c.ok) return c;
  return ok(await insertAudit(db, e));
}

/** A filter over the audit log; results come oldest first, paged by `afterId`. */
export interface AuditQuery {
  readonly subjectType?: AuditSubject;
  readonly subjectId?: string;
  readonly actor?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly afterId?: number;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

/** Queries the audit log. */
export async function queryAudit(
  db: Kysely<StoreDatabase>,
  q: AuditQuery = {},
): Promise<Result<StoredAuditEntry[]>> {
  const limit = q.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000)
    return invalid('limit', 'must be 1..1000');
  let query = db.selectFrom('audit_log').selectAll();
  if (q.subjectType !== undefined) query = query.where('subject_type', '=', q.subjectType);
  if (q.subjectId !== undefined) query = query.where('subject_id', '=', q.subjectId);
  if (q.actor !== undefined) query = query.where('actor', '=', q.actor);
  if (q.fromMs !== undefined) query = query.where('at', '>=', new Date(q.fromMs));
  if (q.toMs !== undefined) query = query.where('at', '<', new Date(q.toMs));
  if (q.afterId !== undefined) query = query.where('id', '>', q.afterId);
  const rows = await query.orderBy('id').limit(limit).execute();
  return ok(
    rows.map((r) => ({
      id: r.id,
      actor: r.actor,
      action: r.action,
      subjectType: r.subject_type as AuditSubject,
      subjectId: r.subject_id,
      atMs: r.at.getTime(),
      details: r.details,
    })),
  );
}

function checkRecommendation(r: Recommendation): Result<true> {
  if (typeof r.id !== 'string' || r.id.length === 0)
    return invalid('recommendation.id', 'is empty');
  if (!(r.target > 0 && r.target < 1))
    return invalid('recommendation.target', `must be in (0, 1), got ${String(r.target)}`);
  if (!(r.confidence >= 0 && r.confidence <= 1))
    return invalid('recommendation.confidence', 'must be in [0, 1]');
  if (typeof r.rationale !== 'string' || r.rationale.length === 0)
    return invalid('recommendation.rationale', 'is empty');
  const ev = r.evidence as Partial<RecommendationEvidence> | undefined;
  if (
    ev === undefined ||
    !Array.isArray(ev.fingerprints) ||
    !Array.isArray(ev.sampleRefs) ||
    typeof ev.facts !== 'object'
  ) {
    return invalid('recommendation.evidence', 'needs fingerprints, sampleRefs and facts');
  }
  return ok(true);
}

/** Saves a new recommendation and its audit entry atomically. */
export async function saveRecommendation(
  db: Kysely<StoreDatabase>,
  r: Omit<Recommendation, 'status' | 'decidedAtMs' | 'decidedBy'>,
  actor: string,
): Promise<Result<Recommendation>> {
  const rec: Recommendation = { ...r, status: 'proposed', decidedAtMs: null, decidedBy: null };
  const c = checkRecommendation(rec);
  if (!c.ok) return c;
  const audit: AuditEntry = {
    actor,
    action: 'proposed',
    subjectType: 'recommendation',
    subjectId: r.id,
    atMs: r.createdAtMs,
    details: { sliId: r.sliId, target: r.target, window: r.window, confidence: r.confidence },
  };
  const a = checkAudit(audit, 'audit');
  if (!a.ok) return a;
  const sli = await db.selectFrom('slis').select('id').where('id', '=', r.sliId).executeTakeFirst();
  if (sli === undefined)
    return err(
      new StoreError('NOT_FOUND', `recommendation ${r.id} references unknown SLI ${r.sliId}`),
    );
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('slo_recommendations')
      .values({
        id: r.id,
        sli_id: r.sliId,
        service: r.service,
        target: r.target,
        slo_window: r.window,
        confidence: r.confidence,
        rationale: r.rationale,
        evidence: JSON.stringify(r.evidence),
        status: 'proposed',
        created_at: new Date(r.createdAtMs),
        decided_at: null,
        decided_by: null,
      })
      .execute();
    await insertAudit(tx, audit);
  });
  return ok(rec);
}

/** Approves or rejects a proposed recommendation, with its audit entry, atomically. */
export async function decideRecommendation(
  db: Kysely<StoreDatabase>,
  id: string,
  decision: { status: 'approved' | 'rejected'; actor: string; atMs: number; comment?: string },
): Promise<Result<Recommendation>> {
  const a = checkAudit(
    {
      actor: decision.actor,
      action: decision.status,
      subjectType: 'approval',
      subjectId: id,
      atMs: decision.atMs,
      details: {},
    },
    'decision',
  );
  if (!a.ok) return a;
  const updated = await db.transaction().execute(async (tx) => {
    const res = await tx
      .updateTable('slo_recommendations')
      .set({
        status: decision.status,
        decided_at: new Date(decision.atMs),
        decided_by: decision.actor,
      })
      .where('id', '=', id)
      .where('status', '=', 'proposed')
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) return false;
    await insertAudit(tx, {
      actor: decision.actor,
      action: decision.status,
      subjectType: 'approval',
      subjectId: id,
      atMs: decision.atMs,
      details: decision.comment === undefined ? {} : { comment: decision.comment },
    });
    return true;
  });
  if (!updated)
    return err(
      new StoreError('NOT_FOUND', `no proposed recommendation ${id} (unknown, or already decided)`),
    );
  const rec = await getRecommendation(db, id);
  return rec === undefined
    ? err(new StoreError('NOT_FOUND', `recommendation ${id} vanished`))
    : ok(rec);
}

/** One recommendation with its evidence. */
export async function getRecommendation(
  db: Kysely<StoreDatabase>,
  id: string,
): Promise<Recommendation | undefined> {
  const rows = await listRecommendationRows(db, { id });
  return rows[0];
}

/** Recommendations of a service (optionally by status), newest first. */
export async function listRecommendations(
  db: Kysely<StoreDatabase>,
  q: { service?: string; status?: RecommendationStatus } = {},
): Promise<Recommendation[]> {
  return listRecommendationRows(db, q);
}

async function listRecommendationRows(
  db: Kysely<StoreDatabase>,
  q: { id?: string; service?: string; status?: RecommendationStatus },
): Promise<Recommendation[]> {
  let query = db.selectFrom('slo_recommendations').selectAll();
  if (q.id !== undefined) query = query.where('id', '=', q.id);
  if (q.service !== undefined) query = query.where('service', '=', q.service);
  if (q.status !== undefined) query = query.where('status', '=', q.status);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    sliId: r.sli_id,
    service: r.service,
    target: r.target,
    window: r.slo_window,
    confidence: r.confidence,
    rationale: r.rationale,
    evidence: r.evidence as RecommendationEvidence,
    status: r.status as RecommendationStatus,
    createdAtMs: r.created_at.getTime(),
    decidedAtMs: r.decided_at === null ? null : r.decided_at.getTime(),
    decidedBy: r.decided_by,
  }));
}

/** Saves an artifact set with its validation and policy decision, and its audit entry. */
export async function saveArtifact(
  db: Kysely<StoreDatabase>,
  a: ArtifactRecord,
  actor: string,
): Promise<Result<ArtifactRecord>> {
  if (typeof a.id !== 'string' || a.id.length === 0) return invalid('artifact.id', 'is empty');
  if (!['allow', 'deny', 'review'].includes(a.policyDecision))
    return invalid('artifact.policyDecision', `unknown "${a.policyDecision}"`);
  for (const [i, f] of a.files.entries()) {
    if (typeof f.path !== 'string' || f.path.length === 0 || typeof f.content !== 'string')
      return invalid(`artifact.files[${i}]`, 'needs a path and string content');
  }
  const audit: AuditEntry = {
    actor,
    action: 'generated',
    subjectType: 'artifact',
    subjectId: a.id,
    atMs: a.createdAtMs,
    details: { kind: a.kind, policyDecision: a.policyDecision, files: a.files.map((f) => f.path) },
  };
  const c = checkAudit(audit, 'audit');
  if (!c.ok) return c;
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('artifacts')
      .values({
        id: a.id,
        recommendation_id: a.recommendationId,
        kind: a.kind,
        files: JSON.stringify(a.files),
        validation: JSON.stringify(a.validation),
        policy_decision: a.policyDecision,
        created_at: new Date(a.createdAtMs),
      })
      .execute();
    await insertAudit(tx, audit);
  });
  return ok(a);
}

/** One artifact set. */
export async function getArtifact(
  db: Kysely<StoreDatabase>,
  id: string,
): Promise<ArtifactRecord | undefined> {
  const r = await db.selectFrom('artifacts').selectAll().where('id', '=', id).executeTakeFirst();
  if (r === undefined) return undefined;
  return {
    id: r.id,
    recommendationId: r.recommendation_id,
    kind: r.kind,
    files: r.files as ArtifactRecord['files'],
    validation: r.validation as Record<string, unknown>,
    policyDecision: r.policy_decision as ArtifactRecord['policyDecision'],
    createdAtMs: r.created_at.getTime(),
  };
}

/** Records that a pull request was opened for an artifact set (an audit entry). */
export async function recordPullRequest(
  db: Kysely<StoreDatabase>,
  pr: { artifactId: string; url: string; actor: string; atMs: number },
): Promise<Result<number>> {
  const found = await getArtifact(db, pr.artifactId);
  if (found === undefined) return err(new StoreError('NOT_FOUND', `no artifact ${pr.artifactId}`));
  return appendAudit(db, {
    actor: pr.actor,
    action: 'opened',
    subjectType: 'pull_request',
    subjectId: pr.artifactId,
    atMs: pr.atMs,
    details: { url: pr.url },
  });
}

/** Exposed for the retention job: rows in the audit log (never deleted by retention). */
export async function countAudit(db: Kysely<StoreDatabase>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::bigint as n from audit_log`.execute(
    db,
  );
  return rows[0]?.n ?? 0;
}

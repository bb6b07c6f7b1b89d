/** Services, journeys and SLIs. */
import type { Journey, Sli } from '@slo-scout/schema';
import { sql, type Kysely } from 'kysely';
import { err, invalid, ok, StoreError, type Result } from '../errors.ts';
import type { StoreDatabase } from '../db/types.ts';

/** A service as listed by the API. */
export interface ServiceRecord {
  readonly name: string;
  readonly displayName: string | null;
  readonly owner: string | null;
  readonly tier: string | null;
  readonly attributes: Record<string, unknown>;
}

/** Creates or updates a service's descriptive fields. */
export async function upsertService(
  db: Kysely<StoreDatabase>,
  s: ServiceRecord,
  nowMs: number,
): Promise<Result<ServiceRecord>> {
  if (typeof s.name !== 'string' || s.name.length === 0) return invalid('service.name', 'is empty');
  const now = new Date(nowMs);
  await db
    .insertInto('services')
    .values({
      name: s.name,
      display_name: s.displayName,
      owner: s.owner,
      tier: s.tier,
      attributes: JSON.stringify(s.attributes),
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        display_name: eb.ref('excluded.display_name'),
        owner: eb.ref('excluded.owner'),
        tier: eb.ref('excluded.tier'),
        attributes: eb.ref('excluded.attributes'),
        updated_at: now,
      })),
    )
    .execute();
  return ok(s);
}

/** Every known service, by name. */
export async function listServices(db: Kysely<StoreDatabase>): Promise<ServiceRecord[]> {
  const rows = await db.selectFrom('services').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    name: r.name,
    displayName: r.display_name,
    owner: r.owner,
    tier: r.tier,
    attributes: r.attributes,
  }));
}

function checkJourney(j: Journey, i: number): Result<true> {
  const at = `journeys[${i}]`;
  if (typeof j.id !== 'string' || j.id.length === 0) return invalid(`${at}.id`, 'is empty');
  if (typeof j.entryService !== 'string' || j.entryService.length === 0)
    return invalid(`${at}.entryService`, 'is empty');
  if (!(j.trafficShare >= 0 && j.trafficShare <= 1))
    return invalid(`${at}.trafficShare`, 'must be in 0..1');
  if (!Number.isFinite(j.score)) return invalid(`${at}.score`, 'must be finite');
  return ok(true);
}

/** Upserts journeys by id. */
export async function saveJourneys(
  db: Kysely<StoreDatabase>,
  journeys: readonly Journey[],
  nowMs: number,
): Promise<Result<number>> {
  for (const [i, j] of journeys.entries()) {
    const c = checkJourney(j, i);
    if (!c.ok) return c;
  }
  if (journeys.length === 0) return ok(0);
  const now = new Date(nowMs);
  await db
    .insertInto('journeys')
    .values(
      journeys.map((j) => ({
        id: j.id,
        entry_service: j.entryService,
        name: j.name,
        key: JSON.stringify(j.key),
        traffic_share: j.trafficShare,
        user_facing: j.userFacing,
        critical: j.critical,
        score: j.score,
        evidence: JSON.stringify(j.evidence),
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        entry_service: eb.ref('excluded.entry_service'),
        name: eb.ref('excluded.name'),
        key: eb.ref('excluded.key'),
        traffic_share: eb.ref('excluded.traffic_share'),
        user_facing: eb.ref('excluded.user_facing'),
        critical: eb.ref('excluded.critical'),
        score: eb.ref('excluded.score'),
        evidence: eb.ref('excluded.evidence'),
        updated_at: now,
      })),
    )
    .execute();
  return ok(journeys.length);
}

/** Journeys, best score first; optionally of one entry service. */
export async function listJourneys(
  db: Kysely<StoreDatabase>,
  service?: string,
): Promise<Journey[]> {
  let q = db.selectFrom('journeys').selectAll();
  if (service !== undefined) q = q.where('entry_service', '=', service);
  const rows = await q.orderBy('score', 'desc').orderBy('id').execute();
  return rows.map(
    (r) =>
      ({
        id: r.id,
        name: r.name,
        key: r.key,
        entryService: r.entry_service,
        trafficShare: r.traffic_share,
        userFacing: r.user_facing,
        critical: r.critical,
        score: r.score,
        evidence: r.evidence,
      }) as Journey,
  );
}

/** Upserts SLIs by id; every SLI's journey must exist (`NOT_FOUND` names it otherwise). */
export async function saveSlis(
  db: Kysely<StoreDatabase>,
  slis: readonly Sli[],
  nowMs: number,
): Promise<Result<number>> {
  for (const [i, s] of slis.entries()) {
    if (typeof s.id !== 'string' || s.id.length === 0) return invalid(`slis[${i}].id`, 'is empty');
    if (!['availability', 'latency', 'rum', 'errors'].includes(s.kind))
      return invalid(`slis[${i}].kind`, `unknown kind "${s.kind}"`);
    if ((s.ratio.good === undefined) === (s.ratio.bad === undefined))
      return invalid(`slis[${i}].ratio`, 'needs exactly one of good and bad');
  }
  if (slis.length === 0) return ok(0);
  const ids = [...new Set(slis.map((s) => s.journeyId))];
  const found = await db.selectFrom('journeys').select('id').where('id', 'in', ids).execute();
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0)
    return err(new StoreError('NOT_FOUND', `slis reference unknown journey ${missing.join(', ')}`));
  const now = new Date(nowMs);
  await db
    .insertInto('slis')
    .values(
      slis.map((s) => ({
        id: s.id,
        journey_id: s.journeyId,
        kind: s.kind,
        name: s.name,
        description: s.description,
        ratio: JSON.stringify(s.ratio),
        threshold_seconds: s.thresholdSeconds ?? null,
        metric: s.metric,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        journey_id: eb.ref('excluded.journey_id'),
        kind: eb.ref('excluded.kind'),
        name: eb.ref('excluded.name'),
        description: eb.ref('excluded.description'),
        ratio: eb.ref('excluded.ratio'),
        threshold_seconds: eb.ref('excluded.threshold_seconds'),
        metric: eb.ref('excluded.metric'),
        updated_at: now,
      })),
    )
    .execute();
  return ok(slis.length);
}

/** SLIs of a journey, by id. */
export async function listSlis(db: Kysely<StoreDatabase>, journeyId: string): Promise<Sli[]> {
  const rows = await db
    .selectFrom('slis')
    .selectAll()
    .where('journey_id', '=', journeyId)
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    const sli = {
      id: r.id,
      journeyId: r.journey_id,
      kind: r.kind,
      name: r.name,
      description: r.description,
      ratio: r.ratio,
      metric: r.metric,
    } as Sli;
    return r.threshold_seconds === null ? sli : { ...sli, thresholdSeconds: r.threshold_seconds };
  });
}

/** Deletes capsules last seen before `beforeMs`; returns how many went. */
export async function deleteCapsulesBefore(
  db: Kysely<StoreDatabase>,
  beforeMs: number,
): Promise<number> {
  const res = await sql`delete from capsules where last_seen < ${new Date(beforeMs)}`.execute(db);
  return Number(res.numAffectedRows ?? 0n);
}

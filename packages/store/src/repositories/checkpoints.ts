/** Consumer checkpoints: the next offset to read per group, topic and partition. */
import { sql, type Kysely, type Transaction } from 'kysely';
import { invalid, ok, type Result } from '../errors.ts';
import type { StoreDatabase } from '../db/types.ts';

/** The next offset a consumer group reads from one topic partition. */
export interface Checkpoint {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly nextOffset: number;
  /**
   * Compare-and-set: apply only if the stored offset is exactly this (the offset the writer's
   * batch started from). A writer that lost its partition to another then fails instead of
   * applying events twice.
   */
  readonly expectedOffset?: number;
}

/** Checks checkpoint input; the error names the index and field. */
export function validateCheckpoints(cps: readonly Checkpoint[]): Result<true> {
  for (const [i, c] of cps.entries()) {
    if (typeof c.group !== 'string' || c.group.length === 0)
      return invalid(`checkpoints[${i}].group`, 'is empty');
    if (typeof c.topic !== 'string' || c.topic.length === 0)
      return invalid(`checkpoints[${i}].topic`, 'is empty');
    if (!Number.isSafeInteger(c.partition) || c.partition < 0)
      return invalid(`checkpoints[${i}].partition`, 'must be >= 0');
    if (!Number.isSafeInteger(c.nextOffset) || c.nextOffset < 0)
      return invalid(`checkpoints[${i}].nextOffset`, 'must be >= 0');
  }
  return ok(true);
}

const order = (cps: readonly Checkpoint[]) =>
  [...cps].sort((a, b) =>
    a.group !== b.group
      ? a.group < b.group
        ? -1
        : 1
      : a.topic !== b.topic
        ? a.topic < b.topic
          ? -1
          : 1
        : a.partition - b.partition,
  );

/**
 * Locks the checkpoint rows; false when any stored offset already reached the new one, which
 * means this batch was applied before (a redelivery) and must be skipped.
 */
export async function lockCheckpoints(
  tx: Transaction<StoreDatabase>,
  cps: readonly Checkpoint[],
): Promise<boolean> {
  for (const c of order(cps)) {
    await sql`insert into consumer_checkpoints (consumer_group, topic, partition, next_offset, updated_at)
      values (${c.group}, ${c.topic}, ${c.partition}, 0, now()) on conflict do nothing`.execute(tx);
    const { rows } = await sql<{ next_offset: number }>`select next_offset from consumer_checkpoints
      where consumer_group = ${c.group} and topic = ${c.topic} and partition = ${c.partition} for update`.execute(
      tx,
    );
    const stored = rows[0]?.next_offset ?? 0;
    if (stored >= c.nextOffset && c.nextOffset > 0) return false;
    if (c.expectedOffset !== undefined && stored !== c.expectedOffset) return false;
  }
  return true;
}

/** Writes checkpoints inside a transaction (after {@link lockCheckpoints}). */
export async function writeCheckpoints(
  tx: Transaction<StoreDatabase>,
  cps: readonly Checkpoint[],
): Promise<void> {
  for (const c of order(cps)) {
    await sql`insert into consumer_checkpoints (consumer_group, topic, partition, next_offset, updated_at)
      values (${c.group}, ${c.topic}, ${c.partition}, ${c.nextOffset}, now())
      on conflict (consumer_group, topic, partition) do update set next_offset = excluded.next_offset, updated_at = now()`.execute(
      tx,
    );
  }
}

/** The stored next offsets of a group on a topic, by partition. */
export async function readCheckpoints(
  db: Kysely<StoreDatabase>,
  group: string,
  topic: string,
): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('consumer_checkpoints')
    .select(['partition', 'next_offset'])
    .where('consumer_group', '=', group)
    .where('topic', '=', topic)
    .execute();
  return new Map(rows.map((r) => [r.partition, r.next_offset]));
}

/** Commits checkpoints on their own (no windows); same redelivery rule as the window upsert. */
export async function commitCheckpoints(
  db: Kysely<StoreDatabase>,
  cps: readonly Checkpoint[],
): Promise<Result<{ applied: boolean }>> {
  const valid = validateCheckpoints(cps);
  if (!valid.ok) return valid;
  return ok(
    await db.transaction().execute(async (tx) => {
      if (!(await lockCheckpoints(tx, cps))) return { applied: false };
      await writeCheckpoints(tx, cps);
      return { applied: true };
    }),
  );
}

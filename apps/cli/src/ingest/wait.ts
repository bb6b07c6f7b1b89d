/** Waits until the pipeline consumed everything: every job's consumer group has no lag. */
import type { Pipeline } from '@slo-scout/pipeline';
import { CliError } from '../errors.ts';

/** The consumer groups of the jobs a pipeline runs, with the topic each reads. */
function groupsOf(pipeline: Pipeline, embedGroup: string): { group: string; topic: string }[] {
  const names = new Set(pipeline.jobs.map((j) => j.name));
  const out: { group: string; topic: string }[] = [];
  if (names.has('fingerprint'))
    out.push({ group: 'slo-fingerprint', topic: pipeline.topics.rawTelemetry });
  if (names.has('aggregate'))
    out.push({ group: 'slo-aggregate', topic: pipeline.topics.capsuleEvents });
  if (names.has('embed')) out.push({ group: embedGroup, topic: pipeline.topics.capsuleEvents });
  if (names.has('spans')) out.push({ group: 'slo-spans', topic: pipeline.topics.rawTelemetry });
  return out;
}

/** One look at the groups: the lag that counts, and a fingerprint of every committed offset. */
interface Look {
  readonly lag: number;
  readonly offsets: string;
}

/**
 * Lag of every job's group; throws when a job crashed. On Kafka a topic written in transactions
 * (capsule-events) ends with a commit marker that no consumer ever reads, so one message of lag
 * per partition of such a topic is what "caught up" looks like; raw telemetry is written without
 * transactions and must reach 0.
 */
async function look(pipeline: Pipeline, embedGroup: string): Promise<Look> {
  const failed = pipeline.jobs.find((j) => j.failure() !== undefined);
  if (failed) {
    throw new CliError(
      'INGEST_FAILED',
      `the ${failed.name} job failed: ${String(failed.failure())}`,
      {
        cause: failed.failure(),
      },
    );
  }
  let lag = 0;
  const offsets: string[] = [];
  for (const { group, topic } of groupsOf(pipeline, embedGroup)) {
    const transactional = topic === pipeline.topics.capsuleEvents;
    for (const p of await pipeline.bus.lag(group, topic)) {
      // A negative lag (committed past the end) means caught up: the embedded bus forgets the end
      // offset of a partition whose messages were all consumed and trimmed when it reopens.
      lag += Math.max(0, p.lag - (transactional ? 1 : 0));
      offsets.push(`${group}/${topic}/${p.partition}@${p.committedOffset}/${p.endOffset}`);
    }
  }
  return { lag, offsets: offsets.join(',') };
}

/** Total lag of every job's group (see {@link look}); throws when a job crashed. */
export async function totalLag(pipeline: Pipeline, embedGroup: string): Promise<number> {
  return (await look(pipeline, embedGroup)).lag;
}

/**
 * Resolves once every job is caught up and nothing moved between three looks 200 ms apart
 * (the later looks catch capsules the fingerprint job produced while the aggregate job was being
 * checked, and a transactional topic's trailing marker).
 */
export async function waitForNoLag(
  pipeline: Pipeline,
  options: {
    readonly embedGroup: string;
    readonly timeoutMs: number;
    readonly onLag?: (lag: number) => void;
  },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let quiet = 0;
  let previous = '';
  for (;;) {
    const now = await look(pipeline, options.embedGroup);
    options.onLag?.(now.lag);
    quiet = now.lag === 0 && now.offsets === previous ? quiet + 1 : 0;
    previous = now.offsets;
    if (quiet >= 2) return;
    if (Date.now() > deadline) {
      throw new CliError('TIMEOUT', `the pipeline still has ${now.lag} messages to process`, {
        hint: 'the machine may be busy; run the command again, or with a smaller --sessions',
      });
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

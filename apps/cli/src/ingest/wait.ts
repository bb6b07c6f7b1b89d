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

/** Total lag of every job's group; throws when a job crashed. */
export async function totalLag(pipeline: Pipeline, embedGroup: string): Promise<number> {
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
  for (const { group, topic } of groupsOf(pipeline, embedGroup)) {
    // A negative lag (committed past the end) means caught up: the embedded bus forgets the end
    // offset of a partition whose messages were all consumed and trimmed when it reopens.
    for (const p of await pipeline.bus.lag(group, topic)) lag += Math.max(0, p.lag);
  }
  return lag;
}

/**
 * Resolves once every job's lag is 0 twice in a row (the second look catches capsules the
 * fingerprint job produced while the aggregate job was being checked).
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
  let zeros = 0;
  while (zeros < 2) {
    const lag = await totalLag(pipeline, options.embedGroup);
    options.onLag?.(lag);
    zeros = lag === 0 ? zeros + 1 : 0;
    if (zeros >= 2) break;
    if (Date.now() > deadline) {
      throw new CliError('TIMEOUT', `the pipeline still has ${lag} messages to process`, {
        hint: 'the machine may be busy; run the command again, or with a smaller --sessions',
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

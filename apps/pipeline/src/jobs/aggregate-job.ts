/**
 * The aggregate job: `capsule-events` → windows → the store (merge on conflict), reservoir samples
 * → the blob store as JSONL.gz, closed windows → `capsule-windows`.
 *
 * Exactly once: each input partition has its own aggregator. Its partial windows are flushed into
 * the store together with the partition's offsets in ONE database transaction — when the
 * partition is caught up (backing off by `flushBackoff` times the last flush's duration), every
 * `flushEvents` events, or after `flushIntervalMs`; a timer flushes the partitions that wait. The
 * flush names the offset its partial started from and the store applies it only if that is still
 * the stored offset (compare-and-set): a redelivered batch
 * is skipped, and a worker whose partition moved to another cannot apply events twice — it drops
 * its partial, and if it still owns the partition it restarts the partition from the store's
 * offset. Partials of one window add up exactly through the aggregator's merge (duplicate
 * event_ids included), so flushing often costs rows, not accuracy.
 *
 * A batch and a timer flush of the same partition never overlap (one lock per partition): the
 * offset a flush stores must be the one through which it drained the aggregator.
 */
import type { Bus, BusBatch, BusConsumer, ProduceRecord } from '@slo-scout/bus';
import {
  createAggregator,
  createRandom,
  isWindowOutput,
  type Aggregator,
  type WindowState,
} from '@slo-scout/aggregator';
import {
  capsuleEventType,
  capsuleWindowType,
  createAvroSerde,
  toValueSubject,
  TOPICS,
  type SchemaRegistry,
} from '@slo-scout/schema';
import { writeRawSamples, type BlobStore, type Store } from '@slo-scout/store';
import type { Logger } from 'pino';
import type { PipelineMetrics } from '../metrics.ts';
import { toDeadLetter, type Job, type PipelineTopics } from './job.ts';

const JOB = 'aggregate';

/** Options of {@link startAggregateJob}. */
export interface AggregateJobOptions {
  readonly bus: Bus;
  readonly registry: SchemaRegistry;
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly metrics: PipelineMetrics;
  readonly log: Logger;
  readonly now: () => number;
  readonly topics: PipelineTopics;
  readonly groupId?: string;
  readonly windowMs?: number;
  readonly reservoirSize?: number;
  /** Events older than the watermark by more than this are dead-lettered as late. Default 30 d. */
  readonly allowedLatenessMs?: number;
  readonly seed?: number;
  readonly flushEvents?: number;
  readonly flushIntervalMs?: number;
  /**
   * A caught-up or quiet partition waits this many times its last flush's duration since that
   * flush (at most `flushIntervalMs`) before it flushes again. Default 4: flushing takes at most
   * about a fifth of a partition's time. A flush rewrites the merged state of every window it
   * touches, so flushing at every caught-up batch cost a fast consumer most of its CPU; while
   * flushes are cheap (small windows, a quiet stream), a caught-up partition still flushes at once.
   */
  readonly flushBackoff?: number;
  readonly maxBatchSize?: number;
}

interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  aggregator: Aggregator;
  /** Offset the next batch must start at to continue this state. */
  nextOffset: number;
  /** Messages below this offset were applied to the store already. */
  appliedBelow: number;
  pendingEvents: number;
  lastFlushMs: number;
  /** How long the last flush took (clock ms). */
  lastFlushTookMs: number;
  /** The last batch reached the partition's end offset. */
  caughtUp: boolean;
  /** Windows written since they opened, by key, with their bucket end (for close notices). */
  touched: Map<string, { service: string; fingerprint: string; bucketMs: number; endMs: number }>;
}

/** Starts the aggregate job; resolves once it consumes. */
export async function startAggregateJob(options: AggregateJobOptions): Promise<Job> {
  const { bus, store, blobs, metrics, log } = options;
  const groupId = options.groupId ?? 'slo-aggregate';
  const windowMs = options.windowMs ?? 3_600_000;
  const flushEvents = options.flushEvents ?? 50_000;
  const flushIntervalMs = options.flushIntervalMs ?? 1_000;
  const flushBackoff = options.flushBackoff ?? 4;
  /** How long a caught-up or quiet partition waits after its last flush. */
  const minWait = (state: PartitionState): number =>
    Math.min(flushIntervalMs, state.lastFlushTookMs * flushBackoff);
  const maxBatch = options.maxBatchSize ?? 2_000;
  const input = createAvroSerde(
    options.registry,
    toValueSubject(TOPICS.capsuleEvents),
    capsuleEventType,
  );
  const windowsOut = createAvroSerde(
    options.registry,
    toValueSubject(TOPICS.capsuleWindows),
    capsuleWindowType,
  );
  const partitions = new Map<number, PartitionState>();
  /** Partitions this worker sought back to the stored offset, and to which offset. */
  const sought = new Map<number, number>();
  const producer = await bus.producer();
  let seedCounter = options.seed ?? 0x5eed;

  const fresh = async (
    topic: string,
    partition: number,
    firstOffset: number,
  ): Promise<PartitionState> => {
    const stored = (await store.readCheckpoints(groupId, topic)).get(partition) ?? 0;
    log.info({ partition, storedOffset: stored, firstOffset }, 'aggregate partition (re)started');
    return {
      topic,
      partition,
      aggregator: createAggregator({
        random: createRandom(seedCounter++),
        windowMs,
        // Partials are flushed every second and merged in the store, so an old event is merged
        // like any other; only events older than this go to the dead-letter topic as late.
        allowedLatenessMs: options.allowedLatenessMs ?? 30 * 86_400_000,
        ...(options.reservoirSize === undefined ? {} : { reservoirSize: options.reservoirSize }),
      }),
      nextOffset: firstOffset,
      appliedBelow: stored,
      pendingEvents: 0,
      lastFlushMs: options.now(),
      lastFlushTookMs: 0,
      caughtUp: false,
      touched: new Map(),
    };
  };

  /** Writes each window's reservoir sample as a JSONL.gz blob named by its content hash. */
  const writeSamples = async (
    states: readonly WindowState[],
  ): Promise<Map<WindowState, string>> => {
    const refs = new Map<WindowState, string>();
    for (const state of states) {
      if (state.reservoir_sample.length === 0) continue;
      const written = await writeRawSamples(blobs, {
        service: state.service,
        hourMs: state.time_bucket_ms,
        samples: state.reservoir_sample,
      });
      if (!written.ok) {
        log.warn({ service: state.service, err: written.error }, 'reservoir sample not written');
        continue;
      }
      refs.set(state, written.value.key);
    }
    return refs;
  };

  /** Thrown when another worker moved this partition's stored offset. */
  class MovedError extends Error {}

  const flush = async (state: PartitionState): Promise<void> => {
    const { topic, partition } = state;
    const began = options.now();
    // What is drained and the offset stored with it are taken together; the per-partition lock
    // keeps any batch of this partition out until the flush is done.
    const from = state.appliedBelow;
    const through = state.nextOffset;
    state.aggregator.flush();
    const outputs = state.aggregator.drain();
    const windows: WindowState[] = [];
    const dead: ProduceRecord[] = [];
    for (const o of outputs) {
      if (isWindowOutput(o)) windows.push(o.state);
      else {
        const reason =
          o.kind === 'late'
            ? `event time older than the watermark ${o.watermark_ms} allows`
            : o.reason;
        dead.push(
          toDeadLetter(
            { job: JOB, topic: options.topics.deadLetter },
            {
              topic,
              partition,
              offset: -1,
              key: o.event.fingerprint_hash,
              value: new TextEncoder().encode(JSON.stringify(o.event)),
              headers: {},
              timestamp: options.now(),
            },
            {
              code: o.kind === 'late' ? 'LATE_EVENT' : 'INVALID_EVENT',
              message: reason,
            },
          ),
        );
        metrics.deadLetters.inc({
          job: JOB,
          code: o.kind === 'late' ? 'LATE_EVENT' : 'INVALID_EVENT',
        });
      }
    }
    if (dead.length > 0) await producer.send(dead);
    const refs = await writeSamples(windows);
    const report = await store.upsertWindows(windows, {
      checkpoints: [
        {
          group: groupId,
          topic,
          partition,
          nextOffset: through,
          expectedOffset: from,
        },
      ],
    });
    if (!report.ok) throw report.error;
    log.debug(
      {
        partition,
        expected: from,
        next: through,
        applied: report.value.applied,
        windows: windows.length,
      },
      'flush',
    );
    if (!report.value.applied) {
      const stored = (await store.readCheckpoints(groupId, topic)).get(partition) ?? 0;
      if (stored < through) {
        partitions.delete(partition);
        throw new MovedError(
          `partition ${partition}: another worker moved the stored offset to ${stored} (this partial began at ${from})`,
        );
      }
    }
    if (report.value.applied) {
      for (const [w, ref] of refs) {
        const added = await store.addSampleRefs(
          {
            fingerprintHash: w.fingerprint_hash,
            service: w.service,
            timeBucketMs: w.time_bucket_ms,
          },
          [ref],
        );
        if (!added.ok) throw added.error;
      }
      metrics.eventsOut.inc({ job: JOB }, windows.length);
      for (const w of windows) {
        state.touched.set(`${w.fingerprint_hash}|${w.service}|${w.time_bucket_ms}`, {
          service: w.service,
          fingerprint: w.fingerprint_hash,
          bucketMs: w.time_bucket_ms,
          endMs: w.time_bucket_ms + windowMs,
        });
      }
    } else {
      log.warn({ partition, offset: through }, 'flush already applied (redelivery): skipped');
    }
    state.appliedBelow = through;
    state.pendingEvents = 0;
    state.lastFlushMs = options.now();
    state.lastFlushTookMs = state.lastFlushMs - began;
    await consumer.commit([{ topic, partition, offset: through }]);
    await publishClosed(state);
  };

  /** Publishes the stored (merged) state of windows the watermark has passed. */
  const publishClosed = async (state: PartitionState): Promise<void> => {
    const watermark = state.aggregator.watermark();
    if (watermark === null) return;
    const records: ProduceRecord[] = [];
    for (const [key, t] of state.touched) {
      if (t.endMs > watermark) continue;
      state.touched.delete(key);
      const rows = await store.listWindows({
        service: t.service,
        fromMs: t.bucketMs,
        toMs: t.bucketMs + 1,
        fingerprintHash: t.fingerprint,
      });
      if (!rows.ok) throw rows.error;
      for (const r of rows.value) {
        records.push({
          topic: options.topics.capsuleWindows,
          key: r.fingerprintHash,
          value: await windowsOut.encode({
            fingerprint_hash: r.fingerprintHash,
            service: r.service,
            template: r.template,
            time_bucket_ms: r.timeBucketMs,
            window_size_ms: r.windowSizeMs,
            count: r.count,
            severity_distribution: { ...r.severity },
            reservoir_sample: r.reservoirSample.map((s) => ({ ...s })),
            distinct_sources: r.distinctSources,
            first_seen_ms: r.firstSeenMs,
            last_seen_ms: r.lastSeenMs,
          }),
        });
      }
    }
    if (records.length > 0) await producer.send(records);
  };

  /** The chain of quiet-partition flushes run by the timer. */
  let quiet: Promise<void> = Promise.resolve();
  /**
   * One lock per partition: a batch and a quiet-partition flush of the same partition never
   * overlap. Overlapping, both drain the same aggregator and the first flush can store the batch's
   * offset with only its own windows; the second flush's compare-and-set then drops the batch's
   * events as a redelivery (counts stall below the input, every offset committed).
   */
  const locks = new Map<number, Promise<void>>();
  const exclusive = async (partition: number, work: () => Promise<void>): Promise<void> => {
    const before = locks.get(partition);
    let release = (): void => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = before ? before.then(() => mine) : mine;
    locks.set(partition, tail);
    try {
      if (before) await before;
      await work();
    } finally {
      release();
      if (locks.get(partition) === tail) locks.delete(partition);
    }
  };

  const handle = (batch: BusBatch): Promise<void> =>
    exclusive(batch.partition, () => handleLocked(batch));

  const handleLocked = async (batch: BusBatch): Promise<void> => {
    const stopTimer = metrics.batchSeconds.startTimer({ job: JOB });
    const first = batch.messages[0]!.offset;
    let state = partitions.get(batch.partition);
    // A forward gap is normal (transaction markers take offsets); going back means a redelivery.
    // A gap left by another worker is caught by the compare-and-set at the next flush.
    if (state === undefined || first < state.nextOffset) {
      state = await fresh(batch.topic, batch.partition, first);
      // Once back at the stored offset, a gap before `first` is transaction markers: go on.
      if (first > state.appliedBelow && sought.get(batch.partition) !== state.appliedBelow) {
        // The bus position is past the store's offset (e.g. the bus kept a position the store
        // never saw): the store is the truth, so read again from its offset.
        log.warn(
          { partition: batch.partition, storedOffset: state.appliedBelow, busOffset: first },
          'seeking back to the stored offset',
        );
        partitions.delete(batch.partition);
        sought.set(batch.partition, state.appliedBelow);
        consumer.seek({
          topic: batch.topic,
          partition: batch.partition,
          offset: state.appliedBelow,
        });
        return;
      }
      sought.delete(batch.partition);
      partitions.set(batch.partition, state);
    }
    await handleIn(state, batch);
    stopTimer();
  };

  const handleIn = async (state: PartitionState, batch: BusBatch): Promise<void> => {
    const dead: ProduceRecord[] = [];
    for (const m of batch.messages) {
      if (m.offset < state.appliedBelow) continue;
      const decoded = await input.decode(m.value);
      if (!decoded.ok) {
        dead.push(toDeadLetter({ job: JOB, topic: options.topics.deadLetter }, m, decoded.error));
        metrics.deadLetters.inc({ job: JOB, code: decoded.error.code });
        continue;
      }
      if (!decoded.value.redaction_applied) {
        dead.push(
          toDeadLetter({ job: JOB, topic: options.topics.deadLetter }, m, {
            code: 'UNREDACTED',
            message: 'capsule without redaction_applied = true refused',
          }),
        );
        metrics.deadLetters.inc({ job: JOB, code: 'UNREDACTED' });
        continue;
      }
      state.aggregator.add(decoded.value);
      state.pendingEvents++;
    }
    if (dead.length > 0) await producer.send(dead);
    state.nextOffset = batch.nextOffset;
    metrics.eventsIn.inc({ job: JOB }, batch.messages.length);
    const caughtUp = batch.nextOffset >= batch.endOffset;
    state.caughtUp = caughtUp;
    const since = options.now() - state.lastFlushMs;
    if (
      (caughtUp && since >= minWait(state)) ||
      state.pendingEvents >= flushEvents ||
      since >= flushIntervalMs
    ) {
      await flush(state);
    }
  };

  /**
   * Flushes partitions gone quiet (e.g. a Kafka partition whose end is a transaction marker) and
   * caught-up partitions whose flush waited out their back-off.
   */
  const flushQuiet = async (): Promise<void> => {
    const owned = new Set(consumer.assignment().map((a) => a.partition));
    for (const state of [...partitions.values()]) {
      // A partition whose batch is running flushes at the end of that batch if it must.
      if (locks.has(state.partition) || state.pendingEvents === 0) continue;
      const wait = state.caughtUp ? minWait(state) : flushIntervalMs;
      if (options.now() - state.lastFlushMs < wait) continue;
      if (!owned.has(state.partition)) {
        partitions.delete(state.partition); // moved away: its new owner reads these events again
        continue;
      }
      await exclusive(state.partition, async () => {
        // The state may have been replaced (redelivery, seek) while this flush waited.
        if (partitions.get(state.partition) !== state || state.pendingEvents === 0) return;
        try {
          await flush(state);
        } catch (e) {
          if (!(e instanceof MovedError)) throw e;
          log.warn({ err: e }, 'partial dropped');
        }
      });
    }
  };

  let crashed: unknown;
  let running = false;
  let restarts = 0;
  const maxRestarts = 5;
  let consumer: BusConsumer;
  /** (Re)joins the group with fresh partition state: positions restart at the committed offsets. */
  const join = async (): Promise<void> => {
    partitions.clear();
    consumer = await bus.consumer({
      groupId,
      maxBatchSize: maxBatch,
      onCrash: (e, { restarting }) => {
        if (!running) return;
        if (restarting) {
          // The member rejoins by itself and restarts from the committed offsets, which never run
          // ahead of the store's: partitions resume through the compare-and-set as after a move.
          log.warn({ err: e }, 'aggregate consumer failed; the bus restarts it');
          return;
        }
        if (e instanceof MovedError && restarts < maxRestarts) {
          restarts++;
          log.warn(
            { err: e, restarts },
            'partition moved under this worker: rejoining from the stored offsets',
          );
          void consumer
            .close()
            .then(join)
            .catch((cause: unknown) => {
              crashed = cause;
            });
          return;
        }
        crashed = e;
        log.error({ err: e }, 'aggregate job stopped');
      },
    });
    await consumer.subscribe([options.topics.capsuleEvents]);
    await consumer.run(handle);
  };
  await join();
  running = true;
  const timer = setInterval(
    () => {
      quiet = quiet.then(flushQuiet).catch((e: unknown) => {
        crashed = e;
        log.error({ err: e }, 'aggregate job stopped');
      });
    },
    Math.min(flushIntervalMs, 100),
  );
  timer.unref();
  metrics.watchLag(JOB, groupId, options.topics.capsuleEvents);
  return {
    name: JOB,
    ready: () => running && crashed === undefined,
    failure: () => crashed,
    async stop() {
      running = false;
      clearInterval(timer);
      await quiet;
      await consumer.close();
      await producer.close();
    },
  };
}

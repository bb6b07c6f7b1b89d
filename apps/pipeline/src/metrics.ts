/** Prometheus metrics of the pipeline itself. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Bus } from '@slo-scout/bus';

/** The pipeline's metric handles. */
export interface PipelineMetrics {
  readonly registry: Registry;
  readonly eventsIn: Counter<'job'>;
  readonly eventsOut: Counter<'job'>;
  readonly deadLetters: Counter<'job' | 'code'>;
  readonly skipped: Counter<'job' | 'reason'>;
  readonly batchSeconds: Histogram<'job'>;
  /** Capsule documents the embed job wrote to the vector store, by model. */
  readonly embedded: Counter<'model'>;
  /** Capsules the embed job refused (and dead-lettered), by reason. */
  readonly embedRefused: Counter<'reason'>;
  /** Time to embed one batch of new capsules and upsert it into the vector store. */
  readonly embedSeconds: Histogram;
  /** Unread messages the embedded bus's retention dropped, by topic (a bus the pipeline opened). */
  readonly retentionDropped: Counter<'topic'>;
  /** Registers a consumer group whose lag is reported on every scrape. */
  watchLag(job: string, groupId: string, topic: string): void;
}

/** Creates the metrics on a fresh registry (so several pipelines can live in one process). */
export function createPipelineMetrics(
  bus: Bus,
  options: { defaultMetrics?: boolean } = {},
): PipelineMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false)
    collectDefaultMetrics({ register: registry, prefix: 'slo_pipeline_' });
  const watched: { job: string; groupId: string; topic: string }[] = [];
  const eventsIn = new Counter({
    name: 'slo_pipeline_events_in_total',
    help: 'Messages consumed, by job.',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  const eventsOut = new Counter({
    name: 'slo_pipeline_events_out_total',
    help: 'Records produced or stored, by job.',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'slo_pipeline_dead_letters_total',
    help: 'Messages sent to the dead-letter topic, by job and error code.',
    labelNames: ['job', 'code'] as const,
    registers: [registry],
  });
  const skipped = new Counter({
    name: 'slo_pipeline_skipped_total',
    help: 'Messages a job has nothing to do with (e.g. metric samples for the fingerprint job), by reason.',
    labelNames: ['job', 'reason'] as const,
    registers: [registry],
  });
  const batchSeconds = new Histogram({
    name: 'slo_pipeline_batch_duration_seconds',
    help: 'Time to process one consumed batch, commit included.',
    labelNames: ['job'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const embedded = new Counter({
    name: 'slo_pipeline_embedded_total',
    help: 'Capsule documents the embed job wrote to the vector store, by model.',
    labelNames: ['model'] as const,
    registers: [registry],
  });
  const embedRefused = new Counter({
    name: 'slo_pipeline_embed_refused_total',
    help: 'Capsules the embed job refused and sent to the dead-letter topic, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const embedSeconds = new Histogram({
    name: 'slo_pipeline_embed_batch_duration_seconds',
    help: 'Time to embed one batch of new capsules and upsert it into the vector store.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const retentionDropped = new Counter({
    name: 'slo_pipeline_bus_retention_dropped_total',
    help: 'Unread messages the embedded bus dropped because no consumer group reads their topic, by topic.',
    labelNames: ['topic'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'slo_pipeline_consumer_lag',
    help: 'End offset minus committed offset, per job, topic and partition.',
    labelNames: ['job', 'topic', 'partition'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const w of watched) {
        const lags = await bus.lag(w.groupId, w.topic).catch(() => []);
        for (const l of lags)
          this.set({ job: w.job, topic: l.topic, partition: String(l.partition) }, l.lag);
      }
    },
  });
  return {
    registry,
    eventsIn,
    eventsOut,
    deadLetters,
    skipped,
    batchSeconds,
    embedded,
    embedRefused,
    embedSeconds,
    retentionDropped,
    watchLag(job, groupId, topic) {
      watched.push({ job, groupId, topic });
    },
  };
}

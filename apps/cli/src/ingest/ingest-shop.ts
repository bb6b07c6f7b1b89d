/**
 * The demo's ingest half: the synthetic shop's telemetry → the real collectors (OTLP/HTTP JSON,
 * RUM beacons) → the bus → the pipeline's jobs → windows in the store. Checks the windows add up.
 */
import { toCapsuleInput, type Pipeline } from '@slo-scout/pipeline';
import type { TelemetryEvent } from '@slo-scout/schema';
import { createSyntheticShop, type ShopIncident, type SyntheticShop } from '@slo-scout/slo';
import { CliError } from '../errors.ts';
import { bar, type Progress } from '../output.ts';
import { startCollectors } from './collectors.ts';
import { sendTelemetry, type SendReport } from './send.ts';
import { waitForNoLag } from './wait.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the shop looks like. */
export interface ShopPlan {
  readonly seed: number;
  readonly sessions: number;
  readonly startMs: number;
  readonly durationMs: number;
  readonly incident: ShopIncident;
}

/** The default plan: yesterday (UTC), `sessions` sessions, an error spike on payment for an hour. */
export function planShop(options: {
  readonly seed: number;
  readonly sessions: number;
  readonly nowMs: number;
}): ShopPlan {
  const startMs = Math.floor(options.nowMs / DAY) * DAY - DAY;
  return {
    seed: options.seed,
    sessions: options.sessions,
    startMs,
    durationMs: DAY,
    incident: {
      startMs: startMs + 14 * HOUR,
      endMs: startMs + 15 * HOUR,
      service: 'payment',
      errorRate: 0.4,
      label: 'payment error spike',
    },
  };
}

/** What ingestion did. */
export interface IngestReport {
  readonly events: number;
  readonly sent: SendReport;
  readonly collectorUrl: string;
  /** Distinct events the collector accepted that make a capsule. */
  readonly capsuleEvents: number;
  /** Sum of the window counts in the store: equals `capsuleEvents` when nothing was lost. */
  readonly windowCount: number;
  readonly windows: number;
  readonly services: number;
}

/** Generates the shop. */
export function generateShop(plan: ShopPlan): SyntheticShop {
  return createSyntheticShop({
    seed: plan.seed,
    startMs: plan.startMs,
    durationMs: plan.durationMs,
    sessions: plan.sessions,
    incidents: [plan.incident],
  });
}

/** Sums the window counts of every service in the store over the range. */
export async function countWindows(
  pipeline: Pipeline,
  range: { fromMs: number; toMs: number },
): Promise<{ windows: number; count: number; services: number }> {
  const services = await pipeline.store.listServices();
  let windows = 0;
  let count = 0;
  for (const s of services) {
    const rows = await pipeline.store.listWindows({ service: s.name, ...range });
    if (!rows.ok) throw new CliError('INGEST_FAILED', rows.error.message, { cause: rows.error });
    windows += rows.value.length;
    count += rows.value.reduce((n, r) => n + r.count, 0);
  }
  return { windows, count, services: services.length };
}

/** Sends the shop through the collectors into the running pipeline and waits until it is stored. */
export async function ingestShop(
  shop: SyntheticShop,
  plan: ShopPlan,
  deps: { readonly pipeline: Pipeline; readonly progress: Progress; readonly embedGroup: string },
): Promise<IngestReport> {
  const { pipeline, progress } = deps;
  const accepted = new Set<string>();
  const count = (events: readonly TelemetryEvent[]): void => {
    for (const e of events) if (toCapsuleInput(e).ok) accepted.add(e.event_id);
  };
  const collectors = await startCollectors({
    bus: pipeline.bus,
    registry: pipeline.registry,
    topic: pipeline.topics.rawTelemetry,
    host: '127.0.0.1',
    port: 0,
    onAccepted: count,
  });
  let sent: SendReport;
  try {
    sent = await progress.step(`send telemetry to the collector at ${collectors.url}`, (update) =>
      sendTelemetry(shop.events, {
        url: collectors.url,
        onProgress: (n, total) => {
          update(bar(n, total));
        },
      }),
    );
    progress.note(`${sent.spans} spans, ${sent.logs} logs, ${sent.rum} RUM events`);
  } finally {
    await collectors.stop();
  }
  await progress.step('pipeline: fingerprint and aggregate into windows', (update) =>
    waitForNoLag(pipeline, {
      embedGroup: deps.embedGroup,
      timeoutMs: 120_000,
      onLag: (lag) => {
        update(`${lag} messages to go`);
      },
    }),
  );
  const range = { fromMs: plan.startMs - HOUR, toMs: plan.startMs + plan.durationMs + HOUR };
  let stored = await countWindows(pipeline, range);
  // A last flush may still be committing; give it a moment before calling the counts wrong.
  for (let i = 0; i < 50 && stored.count < accepted.size; i++) {
    await new Promise((r) => setTimeout(r, 300));
    stored = await countWindows(pipeline, range);
  }
  if (stored.count !== accepted.size) {
    throw new CliError(
      'INGEST_FAILED',
      `the store's windows count ${stored.count} events, but the collector accepted ${accepted.size}`,
      { hint: 'this is a bug: run the demo again with --json and report the output' },
    );
  }
  return {
    events: shop.events.length,
    sent,
    collectorUrl: collectors.url,
    capsuleEvents: accepted.size,
    windowCount: stored.count,
    windows: stored.windows,
    services: stored.services,
  };
}

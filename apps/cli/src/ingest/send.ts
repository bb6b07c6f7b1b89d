/**
 * Sends TelemetryEvents through a running collector over its real wire protocols: OTLP/HTTP JSON
 * for spans and logs, RUM beacons for browser events. Retries on 429/503 as the server asks.
 */
import type { RumBeacon, RumBeaconEvent } from '@slo-scout/collectors';
import type { TelemetryEvent } from '@slo-scout/schema';
import { toOtlpJson } from '@slo-scout/slo';
import { CliError } from '../errors.ts';

/** Options of {@link sendTelemetry}. */
export interface SendOptions {
  /** The collector's base URL, `http://127.0.0.1:4318`. */
  readonly url: string;
  /** Events per OTLP request. Default 2000. */
  readonly chunkSize?: number;
  /** Requests in flight. Default 2. */
  readonly concurrency?: number;
  /** Called after each request with the events sent so far. */
  readonly onProgress?: (sent: number, total: number) => void;
}

/** What was sent. */
export interface SendReport {
  readonly spans: number;
  readonly logs: number;
  readonly rum: number;
  readonly requests: number;
}

const RUM_BEACON_MAX = 500;

async function post(url: string, body: string, attempt = 0): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
  } catch (cause) {
    throw new CliError('INGEST_FAILED', `cannot reach the collector at ${url}`, { cause });
  }
  if ((res.status === 429 || res.status === 503) && attempt < 20) {
    await res.body?.cancel();
    const wait = Number(res.headers.get('retry-after') ?? '1');
    await new Promise((r) => setTimeout(r, Math.min(5, Math.max(0.05, wait)) * 1000));
    return post(url, body, attempt + 1);
  }
  const text = await res.text();
  if (!res.ok) {
    throw new CliError('INGEST_FAILED', `the collector refused ${url}: HTTP ${res.status} ${text}`);
  }
  if (text.includes('partialSuccess') && /"rejected\w+":"?[1-9]/.test(text)) {
    throw new CliError('INGEST_FAILED', `the collector rejected records at ${url}: ${text}`);
  }
}

/** The shop's RUM events as beacons, one session per beacon (split at the beacon size limit). */
export function toRumBeacons(events: readonly TelemetryEvent[]): RumBeacon[] {
  const bySession = new Map<string, { svc: string; events: RumBeaconEvent[] }>();
  for (const e of events) {
    if (e.kind !== 'rum' || e.rum === null) continue;
    const sid = e.rum.session_id;
    const session = bySession.get(sid) ?? { svc: e.service, events: [] };
    bySession.set(sid, session);
    const r = e.rum;
    session.events.push({
      t: r.event_type,
      ts: e.event_time_ms,
      seq: session.events.length,
      ...(r.route === null ? {} : { route: r.route }),
      ...(r.journey === null ? {} : { journey: r.journey }),
      ...(r.step === null ? {} : { step: r.step }),
      ...(r.vital_name === null ? {} : { name: r.vital_name }),
      ...(r.vital_value === null ? {} : { value: r.vital_value }),
      ...(r.vital_rating === null ? {} : { rating: r.vital_rating }),
    });
  }
  const beacons: RumBeacon[] = [];
  for (const [sid, s] of bySession) {
    for (let i = 0; i < s.events.length; i += RUM_BEACON_MAX) {
      beacons.push({ v: 1, sid, svc: s.svc, events: s.events.slice(i, i + RUM_BEACON_MAX) });
    }
  }
  return beacons;
}

/** Runs `tasks` with at most `limit` in flight. */
async function pool(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** Sends every trace, log and RUM event of `events` to the collector at `options.url`. */
export async function sendTelemetry(
  events: readonly TelemetryEvent[],
  options: SendOptions,
): Promise<SendReport> {
  const chunkSize = options.chunkSize ?? 2000;
  const otlp = events.filter((e) => e.kind === 'trace' || e.kind === 'log');
  const beacons = toRumBeacons(events);
  const total = otlp.length + beacons.reduce((n, b) => n + b.events.length, 0);
  let sent = 0;
  const done = (n: number): void => {
    sent += n;
    options.onProgress?.(sent, total);
  };
  const tasks: (() => Promise<void>)[] = [];
  for (let i = 0; i < otlp.length; i += chunkSize) {
    const chunk = otlp.slice(i, i + chunkSize);
    tasks.push(async () => {
      const { traces, logs } = toOtlpJson(chunk);
      if (traces.resourceSpans.length > 0)
        await post(`${options.url}/v1/traces`, JSON.stringify(traces));
      if (logs.resourceLogs.length > 0) await post(`${options.url}/v1/logs`, JSON.stringify(logs));
      done(chunk.length);
    });
  }
  for (let i = 0; i < beacons.length; i += 50) {
    const group = beacons.slice(i, i + 50);
    tasks.push(async () => {
      for (const b of group) await post(`${options.url}/rum/v1/beacon`, JSON.stringify(b));
      done(group.reduce((n, b) => n + b.events.length, 0));
    });
  }
  await pool(tasks, options.concurrency ?? 2);
  return {
    spans: otlp.filter((e) => e.kind === 'trace').length,
    logs: otlp.filter((e) => e.kind === 'log').length,
    rum: total - otlp.length,
    requests: tasks.length,
  };
}

/** Generates telemetry of known content for the pipeline tests and benchmark. */
import { createTelemetryEvent, type AvroSerde, type TelemetryEvent } from '@slo-scout/schema';
import type { Store } from '@slo-scout/store';

/** The services {@link makeTelemetry} spreads events over. */
export const SERVICES = ['checkout', 'cart', 'catalog', 'payments', 'frontend'];
const services = SERVICES;
const templates = [
  (i: number) => `user alice${i % 97}@example.com paid order ${1000 + i} in ${i % 500} ms`,
  (i: number) =>
    `connection from 10.0.${i % 256}.${(i * 7) % 256} port ${1024 + (i % 5000)} closed`,
  (i: number) => `cache miss for key product-${i % 1000}`,
  (i: number) => `payment declined for card 4111 1111 1111 1111 attempt ${i % 3}`,
  (i: number) => `request ${i.toString(16)} took ${i % 900} ms`,
];

/** `n` log and span events over `hours` hours from `startMs`; every 10th is a span. */
export function makeTelemetry(n: number, startMs: number, hours = 2): TelemetryEvent[] {
  const span = (hours * 3_600_000) / n;
  return Array.from({ length: n }, (_, i) => {
    const service = services[i % services.length]!;
    const time = Math.floor(startMs + i * span);
    if (i % 10 === 9) {
      return createTelemetryEvent({
        event_id: `trace:${i}`,
        kind: 'trace',
        service,
        event_time_ms: time,
        span_name: `GET /api/${service}/{id}`,
        span_kind: 'SERVER',
        status_code: i % 20 === 19 ? 'ERROR' : 'OK',
        duration_ms: i % 300,
        trace_id: i.toString(16).padStart(32, '0'),
        span_id: i.toString(16).padStart(16, '0'),
      });
    }
    return createTelemetryEvent({
      event_id: `log:${i}`,
      kind: 'log',
      service,
      event_time_ms: time,
      severity_number: i % 7 === 0 ? 17 : 9,
      body: templates[i % templates.length]!(i),
      resource_attributes: { 'service.instance.id': `${service}-${i % 3}` },
    });
  });
}

/** Sum of window counts of every service in the store, up to `toMs`. */
export async function sumWindowCounts(store: Store, toMs: number): Promise<number> {
  let sum = 0;
  for (const service of SERVICES) {
    const rows = await store.listWindows({ service, fromMs: 0, toMs });
    if (!rows.ok) throw rows.error;
    sum += rows.value.reduce((s, r) => s + r.count, 0);
  }
  return sum;
}

/** Input events per `service|hour start`: what the store must hold after a run. */
export function countsByServiceHour(events: readonly TelemetryEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) {
    const key = `${e.service}|${Math.floor(e.event_time_ms / 3_600_000) * 3_600_000}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** Window counts in the store per `service|hour start`, up to `toMs`. */
export async function storedByServiceHour(
  store: Store,
  toMs: number,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const service of SERVICES) {
    const rows = await store.listWindows({ service, fromMs: 0, toMs });
    if (!rows.ok) throw rows.error;
    for (const r of rows.value) {
      const key = `${r.service}|${r.timeBucketMs}`;
      out.set(key, (out.get(key) ?? 0) + r.count);
    }
  }
  return out;
}

/** `events` as records for `topic`, keyed by service (as the collectors publish them). */
export function toRawRecords(
  serde: AvroSerde<TelemetryEvent>,
  topic: string,
  events: readonly TelemetryEvent[],
): Promise<{ topic: string; key: string; value: Uint8Array }[]> {
  return Promise.all(
    events.map(async (e) => ({ topic, key: e.service, value: await serde.encode(e) })),
  );
}

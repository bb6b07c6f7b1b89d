/**
 * The RUM beacon wire format, version 1, as validated by the `/rum/v1/beacon` receiver of
 * `@slo-scout/collectors`: `{"v":1,"sid":"<session>","svc":"<service>?","events":[...]}`.
 */

/** Kinds of RUM events. */
export type RumEventType =
  'page_view' | 'route_change' | 'web_vital' | 'js_error' | 'resource_error';

/** One event of a {@link RumBeacon}; `seq` is unique within its session. */
export interface RumBeaconEvent {
  readonly t: RumEventType;
  readonly ts: number;
  readonly seq: number;
  readonly route?: string;
  readonly journey?: string;
  readonly step?: string;
  readonly name?: string;
  readonly value?: number;
  readonly rating?: string;
  readonly message?: string;
  readonly url?: string;
  readonly method?: string;
  readonly status?: number;
  readonly duration?: number;
  readonly attrs?: Readonly<Record<string, string | number | boolean>>;
}

/** A batch of events of one session, as sent to the receiver. */
export interface RumBeacon {
  readonly v: 1;
  readonly sid: string;
  readonly svc?: string;
  readonly events: readonly RumBeaconEvent[];
}

/** The receiver's cap on events per beacon. */
export const MAX_EVENTS_PER_BEACON = 500;
/** The receiver's cap on string field length. */
export const MAX_STRING_LENGTH = 4096;

/** Limits of {@link toBeacons}. */
export interface BeaconLimits {
  /** Most events per beacon (at most {@link MAX_EVENTS_PER_BEACON}). */
  readonly maxEvents: number;
  /** Target UTF-8 size of one beacon body; a single larger event still goes alone. */
  readonly maxBytes: number;
}

/** A queued event with the session it belongs to. */
export interface QueuedEvent {
  readonly sid: string;
  readonly event: RumBeaconEvent;
}

/** UTF-8 byte length of a string (lone surrogates count as 3, like the replacement character). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** One encoded beacon body and the queue entries it carries. */
export interface EncodedBeacon {
  readonly body: string;
  readonly items: readonly QueuedEvent[];
}

/**
 * Groups queued events by session (keeping their order) and packs them into beacon bodies of at
 * most `limits.maxEvents` events and, where possible, `limits.maxBytes` bytes.
 */
export function toBeacons(
  queue: readonly QueuedEvent[],
  service: string | undefined,
  limits: BeaconLimits,
): EncodedBeacon[] {
  const bySession = new Map<string, QueuedEvent[]>();
  for (const q of queue) {
    const list = bySession.get(q.sid);
    if (list) list.push(q);
    else bySession.set(q.sid, [q]);
  }
  const out: EncodedBeacon[] = [];
  for (const [sid, items] of bySession) {
    const head = `{"v":1,"sid":${JSON.stringify(sid)}${service === undefined ? '' : `,"svc":${JSON.stringify(service)}`},"events":[`;
    const base = utf8Length(head) + 2;
    let parts: string[] = [];
    let batch: QueuedEvent[] = [];
    let size = base;
    const close = () => {
      if (batch.length > 0) out.push({ body: `${head}${parts.join(',')}]}`, items: batch });
      parts = [];
      batch = [];
      size = base;
    };
    for (const q of items) {
      const json = JSON.stringify(q.event);
      const bytes = utf8Length(json) + 1;
      if (
        batch.length >= limits.maxEvents ||
        (batch.length > 0 && size + bytes > limits.maxBytes)
      ) {
        close();
      }
      parts.push(json);
      batch.push(q);
      size += bytes;
    }
    close();
  }
  return out;
}

/** Cuts a string to the receiver's field limit (or a smaller `max`). */
export function clip(s: string, max = MAX_STRING_LENGTH): string {
  return s.length > max ? s.slice(0, max) : s;
}

import {
  createTelemetryEvent,
  type Attributes,
  type RumEventType,
  type TelemetryEvent,
} from '@slo-scout/schema';
import { CollectorError, err, ok, type Result } from '../errors.ts';
import { toEventId } from '../hash.ts';
import type { NormaliseContext, NormalisedBatch } from '../otlp/common.ts';
import { isObj } from '../values.ts';

/**
 * The RUM beacon wire format, version 1 (what `@slo-scout/rum` sends):
 * `{"v":1,"sid":"<session>","svc":"<service>?","events":[{"t":"page_view","ts":<ms>,"seq":<n>,...}]}`.
 * Each event carries `seq`, unique within its session, so a re-sent beacon yields the same ids.
 */
export interface RumBeacon {
  readonly v: 1;
  readonly sid: string;
  readonly svc?: string;
  readonly events: readonly RumBeaconEvent[];
}

/** One event of a {@link RumBeacon}. */
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

/** Largest number of events one beacon may carry. */
export const RUM_MAX_EVENTS = 500;

const TYPES = new Set<RumEventType>([
  'page_view',
  'route_change',
  'web_vital',
  'js_error',
  'resource_error',
]);
const STRING_FIELDS = [
  'route',
  'journey',
  'step',
  'name',
  'rating',
  'message',
  'url',
  'method',
] as const;
const NUMBER_FIELDS = ['value', 'status', 'duration'] as const;
const MAX_STRING = 4096;
const ID = /^[A-Za-z0-9_-]{8,128}$/;

/** Context of {@link decodeRumBeacon}. */
export interface RumContext extends NormaliseContext {
  /** The sender's User-Agent header. */
  readonly userAgent: string | null;
}

/** Validates a parsed beacon; the error names the first offending field. */
export function validateRumBeacon(x: unknown): Result<RumBeacon> {
  const bad = (path: string, why: string) =>
    err(new CollectorError('BAD_SHAPE', `beacon.${path}: ${why}`));
  if (!isObj(x)) return bad('', 'must be an object');
  if (x['v'] !== 1) return bad('v', 'must be 1');
  if (typeof x['sid'] !== 'string' || !ID.test(x['sid'])) {
    return bad('sid', 'must be 8-128 characters of [A-Za-z0-9_-]');
  }
  if (
    x['svc'] !== undefined &&
    (typeof x['svc'] !== 'string' || !/^[\w.-]{1,128}$/.test(x['svc']))
  ) {
    return bad('svc', 'must be 1-128 characters of [A-Za-z0-9_.-]');
  }
  const events = x['events'];
  if (!Array.isArray(events) || events.length === 0 || events.length > RUM_MAX_EVENTS) {
    return bad('events', `must be an array of 1-${RUM_MAX_EVENTS} events`);
  }
  for (let i = 0; i < events.length; i++) {
    const problem = checkEvent(events[i]);
    if (problem) return bad(`events[${i}]${problem[0]}`, problem[1]);
  }
  return ok(x as unknown as RumBeacon);
}

function checkEvent(e: unknown): [string, string] | undefined {
  if (!isObj(e)) return ['', 'must be an object'];
  if (typeof e['t'] !== 'string' || !TYPES.has(e['t'] as RumEventType)) {
    return ['.t', `must be one of ${[...TYPES].join(', ')}`];
  }
  const ts = e['ts'];
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0) return ['.ts', 'must be epoch ms'];
  const seq = e['seq'];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return ['.seq', 'must be a non-negative integer'];
  }
  for (const k of STRING_FIELDS) {
    const v = e[k];
    if (v !== undefined && (typeof v !== 'string' || v.length > MAX_STRING)) {
      return [`.${k}`, `must be a string of at most ${MAX_STRING} characters`];
    }
  }
  for (const k of NUMBER_FIELDS) {
    const v = e[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
      return [`.${k}`, 'must be a finite number'];
    }
  }
  if (e['t'] === 'web_vital' && (typeof e['name'] !== 'string' || typeof e['value'] !== 'number')) {
    return ['', 'a web_vital needs name and value'];
  }
  const attrs = e['attrs'];
  if (attrs !== undefined) {
    if (!isObj(attrs) || Object.keys(attrs).length > 64)
      return ['.attrs', 'must be an object of at most 64 keys'];
    for (const [k, v] of Object.entries(attrs)) {
      const okType =
        (typeof v === 'string' && v.length <= MAX_STRING) ||
        typeof v === 'boolean' ||
        (typeof v === 'number' && Number.isFinite(v));
      if (!okType) return [`.attrs.${k}`, 'must be a string, finite number or boolean'];
    }
  }
  return undefined;
}

/** Converts a validated beacon into `rum` TelemetryEvents (event_id from session id and seq). */
export function normaliseRumBeacon(beacon: RumBeacon, ctx: RumContext): TelemetryEvent[] {
  const service = beacon.svc ?? ctx.defaultService ?? 'web';
  return beacon.events.map((e) => {
    const attributes: Attributes = { ...e.attrs };
    if (e.url !== undefined) attributes['http.url'] = e.url;
    if (e.method !== undefined) attributes['http.method'] = e.method;
    if (e.status !== undefined) attributes['http.status_code'] = e.status;
    const failed = e.t === 'js_error' || (e.t === 'resource_error' && (e.status ?? 0) >= 500);
    const warn = e.t === 'resource_error' && !failed;
    return createTelemetryEvent({
      event_id: toEventId('rum', [beacon.sid, e.seq]),
      kind: 'rum',
      service,
      event_time_ms: Math.floor(e.ts),
      observed_time_ms: ctx.observedTimeMs,
      severity_number: failed ? 17 : warn ? 13 : null,
      severity_text: failed ? 'ERROR' : warn ? 'WARN' : null,
      body: bodyOf(e),
      attributes,
      duration_ms: e.duration ?? null,
      rum: {
        session_id: beacon.sid,
        event_type: e.t,
        route: e.route ?? null,
        journey: e.journey ?? null,
        step: e.step ?? null,
        vital_name: e.t === 'web_vital' ? (e.name ?? null) : null,
        vital_value: e.t === 'web_vital' ? (e.value ?? null) : null,
        vital_rating: e.t === 'web_vital' ? (e.rating ?? null) : null,
        user_agent: ctx.userAgent,
      },
    });
  });
}

function bodyOf(e: RumBeaconEvent): string | null {
  if (e.t === 'js_error') return e.message ?? 'error';
  if (e.t === 'resource_error') {
    return `${e.method ?? 'GET'} ${e.url ?? ''} -> ${e.status ?? 0}${e.message ? ` (${e.message})` : ''}`;
  }
  return null;
}

/** Parses, validates and normalises a beacon body (JSON; sendBeacon sends it as text/plain). */
export function decodeRumBeacon(body: Uint8Array, ctx: RumContext): Result<NormalisedBatch> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (cause) {
    return err(new CollectorError('BAD_JSON', 'beacon is not valid JSON', { cause }));
  }
  const beacon = validateRumBeacon(parsed);
  if (!beacon.ok) return beacon;
  return ok({ events: normaliseRumBeacon(beacon.value, ctx), rejected: 0, errorMessage: '' });
}

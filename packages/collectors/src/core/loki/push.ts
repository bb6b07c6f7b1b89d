import { createTelemetryEvent, type Attributes, type TelemetryEvent } from '@slo-scout/schema';
import { CollectorError, err, ok, type Result } from '../errors.ts';
import { toEventId } from '../hash.ts';
import type { NormaliseContext, NormalisedBatch } from '../otlp/common.ts';
import { Rejections } from '../otlp/common.ts';
import { decodeMessage } from '../proto/decode.ts';
import { messages } from '../proto/messages.ts';
import { snappyDecompress } from '../snappy.ts';
import { arrayField, isObj, toNumber, toSafeKey, type Obj } from '../values.ts';
import { formatLabelSet, parseLabelSet } from './labels.ts';

/** One Loki log line: nanosecond timestamp (decimal string), text and structured metadata. */
export interface LokiEntry {
  readonly timestampNs: string;
  readonly line: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** One Loki stream: its labels and entries. */
export interface LokiStream {
  readonly labels: Readonly<Record<string, string>>;
  readonly entries: readonly LokiEntry[];
}

const LEVELS: Record<string, [number, string]> = {
  trace: [1, 'TRACE'],
  debug: [5, 'DEBUG'],
  info: [9, 'INFO'],
  information: [9, 'INFO'],
  notice: [10, 'INFO2'],
  warn: [13, 'WARN'],
  warning: [13, 'WARN'],
  error: [17, 'ERROR'],
  err: [17, 'ERROR'],
  critical: [21, 'FATAL'],
  fatal: [21, 'FATAL'],
  panic: [21, 'FATAL'],
};

/** Maps a log level word (`warn`, `ERROR`, ...) to its OpenTelemetry severity number and text. */
export function toSeverity(level: string | undefined): [number, string] | undefined {
  return level === undefined ? undefined : LEVELS[level.toLowerCase()];
}

const SERVICE_LABELS = ['service_name', 'service', 'app', 'application', 'job'];

/**
 * Normalises Loki streams into `log` TelemetryEvents. Stream labels become resource attributes,
 * structured metadata becomes attributes, `level` sets the severity. The event_id hashes the
 * canonical label set, the nanosecond timestamp and the line, as Loki itself deduplicates.
 */
export function normaliseLokiStreams(
  streams: readonly LokiStream[],
  ctx: NormaliseContext,
): TelemetryEvent[] {
  const events: TelemetryEvent[] = [];
  for (const stream of streams) {
    const canonical = formatLabelSet(stream.labels);
    const serviceLabel = SERVICE_LABELS.map((k) => stream.labels[k]).find((v) => v);
    const service = serviceLabel ?? ctx.defaultService ?? 'unknown_service';
    const resource: Attributes = { ...stream.labels };
    for (const entry of stream.entries) {
      const level =
        entry.metadata['level'] ??
        stream.labels['level'] ??
        stream.labels['detected_level'] ??
        stream.labels['severity'];
      const severity = toSeverity(level);
      events.push(
        createTelemetryEvent({
          event_id: toEventId('loki', [canonical, entry.timestampNs, entry.line]),
          kind: 'log',
          service,
          event_time_ms: Math.floor(Number(entry.timestampNs) / 1e6),
          observed_time_ms: ctx.observedTimeMs,
          severity_number: severity ? severity[0] : null,
          severity_text: severity ? severity[1] : (level ?? null),
          body: entry.line,
          attributes: { ...entry.metadata },
          resource_attributes: resource,
        }),
      );
    }
  }
  return events;
}

const NANOS = /^\d{1,19}$/;

/** Reads Loki's JSON stream shape (`{stream: {...}, values: [[ts, line, meta?], ...]}`). */
export function parseLokiJsonStreams(
  streams: readonly unknown[],
  rejections: Rejections,
): LokiStream[] {
  const out: LokiStream[] = [];
  for (const s of streams) {
    const labels = isObj(s) ? stringRecord(s['stream'] ?? {}) : undefined;
    const values = isObj(s) ? arrayField(s, 'values') : undefined;
    if (!labels || !values) {
      rejections.add('stream must have a string-valued stream object and a values array');
      continue;
    }
    const entries: LokiEntry[] = [];
    for (const v of values) {
      if (!Array.isArray(v) || v.length < 2 || v.length > 3) {
        rejections.add('value must be [timestamp, line] or [timestamp, line, metadata]');
        continue;
      }
      const [ts, line, meta] = v as [unknown, unknown, unknown];
      const metadata = meta === undefined ? {} : stringRecord(meta);
      if (typeof ts !== 'string' || !NANOS.test(ts) || typeof line !== 'string' || !metadata) {
        rejections.add('entry needs a nanosecond timestamp string, a line string, string metadata');
        continue;
      }
      entries.push({ timestampNs: ts, line, metadata });
    }
    out.push({ labels, entries });
  }
  return out;
}

function stringRecord(x: unknown): Record<string, string> | undefined {
  if (!isObj(x)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(x)) {
    if (typeof v !== 'string') return undefined;
    out[toSafeKey(k)] = v;
  }
  return out;
}

function parseProtoStreams(request: Obj, rejections: Rejections): LokiStream[] {
  const out: LokiStream[] = [];
  for (const s of arrayField(request, 'streams') ?? []) {
    const st = s as Obj;
    const labels = parseLabelSet(typeof st['labels'] === 'string' ? st['labels'] : '');
    if (!labels) {
      rejections.add(`stream labels are not a valid label set`);
      continue;
    }
    const entries: LokiEntry[] = [];
    for (const e of arrayField(st, 'entries') ?? []) {
      const entry = e as Obj;
      const ts = isObj(entry['timestamp']) ? entry['timestamp'] : {};
      const seconds = toNumber(ts['seconds']);
      const nanos = toNumber(ts['nanos']);
      if (
        seconds === undefined ||
        nanos === undefined ||
        seconds < 0 ||
        nanos < 0 ||
        nanos > 999_999_999
      ) {
        rejections.add('entry timestamp out of range');
        continue;
      }
      const metadata: Record<string, string> = {};
      for (const p of arrayField(entry, 'structuredMetadata') ?? []) {
        const pair = p as Obj;
        metadata[String(pair['name'])] = String(pair['value']);
      }
      const timestampNs =
        seconds === 0 ? String(nanos) : `${seconds}${String(nanos).padStart(9, '0')}`;
      entries.push({ timestampNs, line: String(entry['line']), metadata });
    }
    out.push({ labels, entries });
  }
  return out;
}

/** Options of {@link decodeLokiPush}. */
export interface LokiPushContext extends NormaliseContext {
  /** Largest snappy-decompressed body, bytes. */
  readonly maxDecodedBytes: number;
}

/**
 * Decodes a Loki push body: a snappy-compressed protobuf PushRequest or the JSON form
 * `{"streams":[{"stream":{...},"values":[["<ns>","line"]]}]}`, into TelemetryEvents.
 */
export function decodeLokiPush(
  body: Uint8Array,
  encoding: 'protobuf' | 'json',
  ctx: LokiPushContext,
): Result<NormalisedBatch> {
  const rejections = new Rejections();
  let streams: LokiStream[];
  if (encoding === 'protobuf') {
    const raw = snappyDecompress(body, ctx.maxDecodedBytes);
    if (!raw.ok) return raw;
    const decoded = decodeMessage(messages.lokiPush, raw.value);
    if (!decoded.ok) return decoded;
    streams = parseProtoStreams(decoded.value as Obj, rejections);
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch (cause) {
      return err(new CollectorError('BAD_JSON', 'Loki push body is not valid JSON', { cause }));
    }
    const list = isObj(parsed) ? arrayField(parsed, 'streams') : undefined;
    if (!list) return err(new CollectorError('BAD_SHAPE', 'Loki push body needs a streams array'));
    streams = parseLokiJsonStreams(list, rejections);
  }
  if (rejections.count > 0) {
    return err(new CollectorError('BAD_SHAPE', `Loki push: ${rejections.message()}`));
  }
  return ok({ events: normaliseLokiStreams(streams, ctx), rejected: 0, errorMessage: '' });
}

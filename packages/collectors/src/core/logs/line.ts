import { createTelemetryEvent, type Attributes, type TelemetryEvent } from '@slo-scout/schema';
import { toEventId } from '../hash.ts';
import { toSeverity } from '../loki/push.ts';
import { isObj } from '../values.ts';

/** Where a line came from: its source name (a path or `stdin`) and byte offset. */
export interface LineOrigin {
  readonly source: string;
  readonly offset: number;
  readonly service: string;
  readonly observedTimeMs: number;
}

const LEVEL_WORD = /\b(TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL|CRITICAL)\b/i;
const ISO_TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/;

/**
 * Turns one log line into a `log` TelemetryEvent. JSON lines (pino, bunyan, ECS...) give their
 * message, level and time; plain lines are scanned for a level word and an ISO timestamp. The
 * event_id is the source plus byte offset, so re-reading a file yields the same ids.
 */
export function parseLogLine(line: string, origin: LineOrigin): TelemetryEvent {
  let body = line;
  let level: string | undefined;
  let time: number | undefined;
  let attributes: Attributes = {};
  let service = origin.service;
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      doc = undefined;
    }
    if (isObj(doc)) {
      const msg = doc['msg'] ?? doc['message'];
      if (typeof msg === 'string') body = msg;
      const lv = doc['level'] ?? doc['severity'] ?? doc['log.level'];
      level = typeof lv === 'string' ? lv : typeof lv === 'number' ? pinoLevel(lv) : undefined;
      const t = doc['time'] ?? doc['timestamp'] ?? doc['@timestamp'];
      time =
        typeof t === 'number' ? Math.floor(t) : typeof t === 'string' ? Date.parse(t) : undefined;
      const svc = doc['service'] ?? doc['service.name'] ?? doc['name'];
      if (typeof svc === 'string' && svc !== '') service = svc;
      attributes = Object.fromEntries(
        Object.entries(doc)
          .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
          .map(([k, v]) => [k, v as string | number | boolean | null]),
      );
    }
  } else {
    level = LEVEL_WORD.exec(line)?.[1];
    const iso = ISO_TIME.exec(line)?.[0];
    time = iso === undefined ? undefined : Date.parse(iso.replace(' ', 'T').replace(',', '.'));
  }
  const severity = toSeverity(level);
  return createTelemetryEvent({
    event_id: toEventId('file', [origin.source, origin.offset]),
    kind: 'log',
    service,
    event_time_ms: time !== undefined && Number.isFinite(time) ? time : origin.observedTimeMs,
    observed_time_ms: origin.observedTimeMs,
    severity_number: severity ? severity[0] : null,
    severity_text: severity ? severity[1] : null,
    body,
    attributes: { ...attributes, 'log.file.path': origin.source, 'log.offset': origin.offset },
  });
}

function pinoLevel(n: number): string | undefined {
  if (n >= 60) return 'fatal';
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  if (n >= 20) return 'debug';
  return n >= 10 ? 'trace' : undefined;
}

/** Splits a chunk into complete lines with their byte offsets; the rest waits for more data. */
export function splitLines(
  chunk: Uint8Array,
  baseOffset: number,
): { lines: { text: string; offset: number }[]; consumed: number } {
  const decoder = new TextDecoder();
  const lines: { text: string; offset: number }[] = [];
  let start = 0;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] === 0x0a) {
      let end = i;
      if (end > start && chunk[end - 1] === 0x0d) end--;
      if (end > start)
        lines.push({
          text: decoder.decode(chunk.subarray(start, end)),
          offset: baseOffset + start,
        });
      start = i + 1;
    }
  }
  return { lines, consumed: start };
}

import type { TelemetryEvent } from '@slo-scout/schema';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CollectorError, type Result } from '../../core/errors.ts';
import { parseLogLine, splitLines } from '../../core/logs/line.ts';
import type { Sink } from '../../core/sink.ts';

/** Options of {@link createFileTailer}. */
export interface FileTailerOptions {
  readonly path: string;
  readonly sink: Sink;
  /** Service of lines that name none. */
  readonly service: string;
  /** Byte offset to resume from (a stored checkpoint). Default 0. */
  readonly fromOffset?: number;
  /** Largest read per poll, bytes. Default 1 MiB. */
  readonly chunkBytes?: number;
  readonly clock?: () => number;
}

/** Follows a growing log file. */
export interface FileTailer {
  /** Reads what was appended since the last poll; advances only after the sink accepted it. */
  poll(): Promise<Result<{ published: number; offset: number }>>;
  /** The checkpoint: byte offset of the first unread line. */
  readonly offset: number;
}

/** Creates a {@link FileTailer}; events have event_id `file:` + hash(path, line offset). */
export function createFileTailer(options: FileTailerOptions): FileTailer {
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  if (!(chunkBytes > 0)) throw new CollectorError('INVALID_OPTIONS', 'chunkBytes must be positive');
  const clock = options.clock ?? Date.now;
  let offset = options.fromOffset ?? 0;
  return {
    get offset() {
      return offset;
    },
    async poll() {
      let published = 0;
      const handle = await open(options.path, 'r');
      try {
        const { size } = await handle.stat();
        if (size < offset) offset = 0; // truncated or rotated in place
        while (offset < size) {
          const buf = new Uint8Array(Math.min(chunkBytes, size - offset));
          const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
          const { lines, consumed } = splitLines(buf.subarray(0, bytesRead), offset);
          if (consumed === 0) break; // an incomplete last line waits for its newline
          const now = clock();
          const events: TelemetryEvent[] = lines.map((l) =>
            parseLogLine(l.text, {
              source: options.path,
              offset: l.offset,
              service: options.service,
              observedTimeMs: now,
            }),
          );
          const res = await options.sink.publish(events);
          if (!res.ok) return res;
          published += events.length;
          offset += consumed;
        }
      } finally {
        await handle.close();
      }
      return { ok: true, value: { published, offset } };
    },
  };
}

/** Publishes every line of a stream (e.g. `process.stdin`) until it ends; returns the count. */
export async function tailStream(
  stream: Readable,
  options: {
    readonly sink: Sink;
    readonly service: string;
    readonly source?: string;
    readonly clock?: () => number;
  },
): Promise<Result<number>> {
  const clock = options.clock ?? Date.now;
  const source = options.source ?? 'stdin';
  let pending: Uint8Array = new Uint8Array(0);
  let base = 0;
  let published = 0;
  const flush = async (final: boolean): Promise<Result<void>> => {
    const data =
      final && pending.length > 0 && pending[pending.length - 1] !== 0x0a
        ? concat(pending, Uint8Array.of(0x0a))
        : pending;
    const { lines, consumed } = splitLines(data, base);
    if (lines.length > 0) {
      const now = clock();
      const res = await options.sink.publish(
        lines.map((l) =>
          parseLogLine(l.text, {
            source,
            offset: l.offset,
            service: options.service,
            observedTimeMs: now,
          }),
        ),
      );
      if (!res.ok) return res;
      published += lines.length;
    }
    pending = pending.subarray(Math.min(consumed, pending.length));
    base += consumed;
    return { ok: true, value: undefined };
  };
  for await (const chunk of stream) {
    pending = concat(
      pending,
      typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array),
    );
    const res = await flush(false);
    if (!res.ok) return res;
  }
  const res = await flush(true);
  return res.ok ? { ok: true, value: published } : res;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

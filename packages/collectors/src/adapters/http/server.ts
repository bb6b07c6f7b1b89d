import type { TelemetryEvent } from '@slo-scout/schema';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CollectorError, type CollectorErrorCode, type Result } from '../../core/errors.ts';
import { createRateLimiter, type RateLimiterOptions } from '../../core/limits/rate-limiter.ts';
import { decodeLokiPush } from '../../core/loki/push.ts';
import { decodeOtlpLogs, encodeOtlpResponse } from '../../core/otlp/logs.ts';
import { decodeOtlpTraces } from '../../core/otlp/traces.ts';
import type { NormalisedBatch, OtlpEncoding } from '../../core/otlp/common.ts';
import { decodeRumBeacon } from '../../core/rum/beacon.ts';
import type { Sink } from '../../core/sink.ts';
import { decodeContentEncoding, readBody } from './body.ts';

/** CORS and attribution settings of the RUM beacon endpoint. */
export interface RumEndpointOptions {
  /** Origins allowed to send beacons (`*` for any). */
  readonly allowedOrigins: readonly string[] | '*';
  /** Service of RUM events whose beacon names none. Default `web`. */
  readonly defaultService?: string;
}

/** Options of {@link createCollectorServer}. */
export interface CollectorServerOptions {
  /** Where accepted events go. */
  readonly sink: Sink;
  /** Milliseconds since the epoch; default `Date.now`. */
  readonly clock?: () => number;
  /** Largest request body as sent (compressed), bytes. Default 4 MiB. */
  readonly maxBodyBytes?: number;
  /** Largest body after gzip/snappy decompression, bytes. Default 32 MiB. */
  readonly maxDecodedBytes?: number;
  /** Per-token limit on accepted events (token: Authorization, X-Scope-OrgID, or client IP). */
  readonly rateLimit?: RateLimiterOptions;
  /** Service for records that name none. Default `unknown_service`. */
  readonly defaultService?: string;
  /** Enables `POST /rum/v1/beacon`; omitted, the endpoint answers 404. */
  readonly rum?: RumEndpointOptions;
}

/** A running collector HTTP server. */
export interface CollectorServer {
  /** The node:http server (for custom wiring). */
  readonly server: Server;
  /** Starts listening; resolves with the bound port. */
  listen(port?: number, host?: string): Promise<number>;
  /** Stops accepting and closes connections. */
  close(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array | string;
}

const STATUS_BY_CODE: Record<CollectorErrorCode, number> = {
  INVALID_OPTIONS: 500,
  BAD_PROTOBUF: 400,
  BAD_SNAPPY: 400,
  BAD_JSON: 400,
  BAD_SHAPE: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SINK_SATURATED: 503,
  SINK_FAILED: 503,
  UPSTREAM_FAILED: 502,
};

function errorReply(error: CollectorError): Reply {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  }
  return {
    status: STATUS_BY_CODE[error.code],
    headers,
    body: JSON.stringify({ error: error.code, message: error.message }),
  };
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function otlpEncoding(req: IncomingMessage): OtlpEncoding | undefined {
  const type = mediaType(req);
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

function tokenOf(req: IncomingMessage): string {
  const auth = req.headers.authorization ?? req.headers['x-scope-orgid'];
  return typeof auth === 'string' && auth !== '' ? auth : (req.socket.remoteAddress ?? 'unknown');
}

/**
 * Creates the collectors' HTTP server: OTLP/HTTP (`/v1/traces`, `/v1/logs`; protobuf or JSON,
 * gzip), Loki push (`/loki/api/v1/push`; snappy protobuf or JSON) and, when enabled, RUM beacons
 * (`/rum/v1/beacon`). A request is answered 2xx only after its events were accepted by the sink.
 */
export function createCollectorServer(options: CollectorServerOptions): CollectorServer {
  const clock = options.clock ?? Date.now;
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const maxDecoded = options.maxDecodedBytes ?? 32 * 1024 * 1024;
  if (!(maxBody > 0) || !(maxDecoded > 0)) {
    throw new CollectorError(
      'INVALID_OPTIONS',
      'maxBodyBytes and maxDecodedBytes must be positive',
    );
  }
  const limiter = options.rateLimit ? createRateLimiter(options.rateLimit) : undefined;
  const ctx = () => ({
    observedTimeMs: clock(),
    ...(options.defaultService === undefined ? {} : { defaultService: options.defaultService }),
  });

  const accept = async (
    req: IncomingMessage,
    events: readonly TelemetryEvent[],
    success: Reply,
  ): Promise<Reply> => {
    if (limiter && events.length > 0) {
      const wait = limiter.take(tokenOf(req), events.length, clock());
      if (wait > 0) {
        return errorReply(
          new CollectorError('RATE_LIMITED', 'rate limit exceeded for this token', {
            retryAfterMs: wait,
          }),
        );
      }
    }
    if (events.length === 0) return success;
    let published: Result<void>;
    try {
      published = await options.sink.publish(events);
    } catch (cause) {
      published = { ok: false, error: new CollectorError('SINK_FAILED', 'sink failed', { cause }) };
    }
    if (!published.ok) {
      const e = published.error;
      return errorReply(
        e.retryAfterMs === undefined
          ? new CollectorError(e.code, e.message, { cause: e.cause, retryAfterMs: 1000 })
          : e,
      );
    }
    return success;
  };

  const body = async (req: IncomingMessage): Promise<Result<Uint8Array>> => {
    const raw = await readBody(req, maxBody);
    if (!raw.ok) return raw;
    return decodeContentEncoding(raw.value, req.headers['content-encoding'], maxDecoded);
  };

  const otlp = async (req: IncomingMessage, signal: 'traces' | 'logs'): Promise<Reply> => {
    const encoding = otlpEncoding(req);
    if (!encoding) {
      req.resume();
      return errorReply(
        new CollectorError(
          'UNSUPPORTED_MEDIA_TYPE',
          'use application/x-protobuf or application/json',
        ),
      );
    }
    const bytes = await body(req);
    if (!bytes.ok) return errorReply(bytes.error);
    const decoded: Result<NormalisedBatch> =
      signal === 'traces'
        ? decodeOtlpTraces(bytes.value, encoding, ctx())
        : decodeOtlpLogs(bytes.value, encoding, ctx());
    if (!decoded.ok) return errorReply(decoded.error);
    return accept(req, decoded.value.events, {
      status: 200,
      headers: {
        'content-type': encoding === 'json' ? 'application/json' : 'application/x-protobuf',
      },
      body: encodeOtlpResponse(signal, decoded.value, encoding),
    });
  };

  const loki = async (req: IncomingMessage): Promise<Reply> => {
    const type = mediaType(req);
    const encoding =
      type === 'application/json' ? 'json' : type.includes('protobuf') ? 'protobuf' : undefined;
    if (!encoding) {
      req.resume();
      return errorReply(
        new CollectorError(
          'UNSUPPORTED_MEDIA_TYPE',
          'use application/x-protobuf or application/json',
        ),
      );
    }
    // Loki's protobuf bodies are snappy blocks whatever Content-Encoding says (winston-loki sends
    // none), so only gzip/deflate are undone here and snappy inside the decoder.
    const enc = req.headers['content-encoding'];
    const bytes =
      encoding === 'protobuf' && enc?.toLowerCase() === 'snappy'
        ? await readBody(req, maxBody)
        : await body(req);
    if (!bytes.ok) return errorReply(bytes.error);
    const decoded = decodeLokiPush(bytes.value, encoding, {
      ...ctx(),
      maxDecodedBytes: maxDecoded,
    });
    if (!decoded.ok) return errorReply(decoded.error);
    return accept(req, decoded.value.events, { status: 204 });
  };

  const corsHeaders = (req: IncomingMessage): Record<string, string> | undefined => {
    const rum = options.rum;
    const origin = req.headers.origin;
    if (!rum || origin === undefined) return undefined;
    const allowed = rum.allowedOrigins === '*' || rum.allowedOrigins.includes(origin);
    if (!allowed) return undefined;
    return {
      'access-control-allow-origin': rum.allowedOrigins === '*' ? '*' : origin,
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
      vary: 'Origin',
    };
  };

  const rumBeacon = async (req: IncomingMessage): Promise<Reply> => {
    const cors = corsHeaders(req) ?? {};
    if (req.headers.origin !== undefined && Object.keys(cors).length === 0) {
      req.resume();
      return { status: 403, body: 'origin not allowed' };
    }
    const bytes = await body(req);
    if (!bytes.ok) return withHeaders(errorReply(bytes.error), cors);
    const decoded = decodeRumBeacon(bytes.value, {
      ...ctx(),
      defaultService: options.rum?.defaultService ?? 'web',
      userAgent: req.headers['user-agent'] ?? null,
    });
    if (!decoded.ok) return withHeaders(errorReply(decoded.error), cors);
    return withHeaders(await accept(req, decoded.value.events, { status: 204 }), cors);
  };

  const route = async (req: IncomingMessage): Promise<Reply> => {
    const path = (req.url ?? '/').split('?')[0];
    if (options.rum && path === '/rum/v1/beacon' && req.method === 'OPTIONS') {
      const cors = corsHeaders(req);
      return cors ? { status: 204, headers: cors } : { status: 403 };
    }
    if (req.method !== 'POST') {
      req.resume();
      return { status: path === '/' ? 404 : 405, headers: { allow: 'POST' } };
    }
    if (path === '/v1/traces') return otlp(req, 'traces');
    if (path === '/v1/logs') return otlp(req, 'logs');
    if (path === '/loki/api/v1/push') return loki(req);
    if (options.rum && path === '/rum/v1/beacon') return rumBeacon(req);
    req.resume();
    return { status: 404 };
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    route(req).then(
      (reply) => {
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 30_000;
  return {
    server,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    },
  };
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

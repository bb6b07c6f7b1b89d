import {
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { CollectorError, type CollectorErrorCode } from '../../core/errors.ts';
import type { NormaliseContext, NormalisedBatch } from '../../core/otlp/common.ts';
import { decodeOtlpLogs, encodeOtlpResponse } from '../../core/otlp/logs.ts';
import { decodeOtlpTraces } from '../../core/otlp/traces.ts';
import type { Result } from '../../core/errors.ts';
import type { Sink } from '../../core/sink.ts';

/** Options of {@link createOtlpGrpcServer}. */
export interface OtlpGrpcServerOptions {
  readonly sink: Sink;
  /** Largest request message, bytes. Default 4 MiB. */
  readonly maxMessageBytes?: number;
  readonly defaultService?: string;
  readonly clock?: () => number;
}

/** A running OTLP/gRPC receiver. */
export interface OtlpGrpcServer {
  /** Binds `host:port` (port 0 picks a free one) and resolves with the bound port. */
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

const GRPC_STATUS: Partial<Record<CollectorErrorCode, status>> = {
  BAD_PROTOBUF: status.INVALID_ARGUMENT,
  BAD_SHAPE: status.INVALID_ARGUMENT,
  PAYLOAD_TOO_LARGE: status.RESOURCE_EXHAUSTED,
  SINK_SATURATED: status.UNAVAILABLE,
  SINK_FAILED: status.UNAVAILABLE,
};

const raw = {
  requestStream: false,
  responseStream: false,
  requestSerialize: (x: Uint8Array) => Buffer.from(x),
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (x: Uint8Array) => Buffer.from(x),
  responseDeserialize: (b: Buffer) => b,
} as const;

/** The OTLP trace and logs Export services, with bodies kept as bytes for the pure decoders. */
const traceService = {
  Export: { path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export', ...raw },
} satisfies ServiceDefinition;
const logsService = {
  Export: { path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export', ...raw },
} satisfies ServiceDefinition;

/**
 * Creates an OTLP/gRPC receiver (TraceService and LogsService Export). A call succeeds only after
 * the sink accepted its events; a saturated sink answers UNAVAILABLE, which OTLP clients retry.
 */
export function createOtlpGrpcServer(options: OtlpGrpcServerOptions): OtlpGrpcServer {
  const maxBytes = options.maxMessageBytes ?? 4 * 1024 * 1024;
  if (!(maxBytes > 0))
    throw new CollectorError('INVALID_OPTIONS', 'maxMessageBytes must be positive');
  const clock = options.clock ?? Date.now;
  const server = new Server({ 'grpc.max_receive_message_length': maxBytes });
  const ctx = (): NormaliseContext => ({
    observedTimeMs: clock(),
    ...(options.defaultService === undefined ? {} : { defaultService: options.defaultService }),
  });
  const handler =
    (
      signal: 'traces' | 'logs',
      decode: (b: Uint8Array, c: NormaliseContext) => Result<NormalisedBatch>,
    ) =>
    (call: ServerUnaryCall<Buffer, Uint8Array>, callback: sendUnaryData<Uint8Array>): void => {
      const fail = (e: CollectorError) => {
        callback({
          code: GRPC_STATUS[e.code] ?? status.INTERNAL,
          details: `${e.code}: ${e.message}`,
        });
      };
      const decoded = decode(call.request, ctx());
      if (!decoded.ok) {
        fail(decoded.error);
        return;
      }
      const batch = decoded.value;
      options.sink.publish(batch.events).then(
        (published) => {
          if (published.ok) callback(null, encodeOtlpResponse(signal, batch, 'protobuf'));
          else fail(published.error);
        },
        (cause: unknown) => {
          fail(new CollectorError('SINK_FAILED', 'sink failed', { cause }));
        },
      );
    };
  server.addService(traceService, {
    Export: handler('traces', (b, c) => decodeOtlpTraces(b, 'protobuf', c)),
  });
  server.addService(logsService, {
    Export: handler('logs', (b, c) => decodeOtlpLogs(b, 'protobuf', c)),
  });
  return {
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, bound) => {
          if (error) reject(error);
          else resolve(bound);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.tryShutdown(() => {
          resolve();
        });
      });
    },
  };
}

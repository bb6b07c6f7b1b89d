/** The collectors' HTTP receiver (OTLP, Loki push, RUM) wired onto the pipeline's bus. */
import type { Bus } from '@slo-scout/bus';
import type { Sink } from '@slo-scout/collectors';
import { createCollectorServer, type CollectorServer } from '@slo-scout/collectors/http';
import type { SchemaRegistry } from '@slo-scout/schema';
import { createBusSink } from './bus-sink.ts';

/** Options of {@link startCollectors}. */
export interface CollectorsOptions {
  readonly bus: Bus;
  readonly registry: SchemaRegistry;
  readonly topic: string;
  readonly host: string;
  readonly port: number;
  readonly defaultService?: string;
  readonly rum?: { readonly allowedOrigins: readonly string[] | '*' };
  /** Sees every accepted batch after the bus took it (the demo counts what went in). */
  readonly onAccepted?: (events: Parameters<Sink['publish']>[0]) => void;
}

/** A running collector. */
export interface RunningCollectors {
  /** `http://host:port`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the receiver; resolves once it listens. */
export async function startCollectors(options: CollectorsOptions): Promise<RunningCollectors> {
  const busSink = await createBusSink(options);
  const sink: Sink = {
    async publish(events) {
      const r = await busSink.publish(events);
      if (r.ok) options.onAccepted?.(events);
      return r;
    },
    close: () => busSink.close(),
  };
  const server: CollectorServer = createCollectorServer({
    sink,
    rum: { allowedOrigins: options.rum?.allowedOrigins ?? '*' },
    ...(options.defaultService === undefined ? {} : { defaultService: options.defaultService }),
  });
  const port = await server.listen(options.port, options.host);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    async stop() {
      await server.close();
      await sink.close();
    },
  };
}

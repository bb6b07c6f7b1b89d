/**
 * The bus on Apache Kafka through kafkajs: idempotent producers, transactional
 * consume–transform–produce (offsets sent in the transaction, read_committed consumers), and
 * consumer groups with manual commits.
 */
import {
  Kafka,
  logLevel,
  type Admin,
  type KafkaConfig,
  type Message,
  type Producer,
} from 'kafkajs';
import { BusError, toBusError } from '../../core/errors.ts';
import type {
  Bus,
  BusConsumer,
  BusMessage,
  BusProducer,
  BusTransaction,
  ProduceRecord,
  TopicPartitionOffset,
} from '../../core/types.ts';

/** Options of {@link createKafkaBus}. */
export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** Partitions of topics created by {@link Bus.createTopics} when a spec does not say. */
  readonly defaultPartitions?: number;
  /** A transaction left open by a dead producer is aborted after this. Default 15 s. */
  readonly transactionTimeoutMs?: number;
  /** A consumer that stops heartbeating leaves its group after this. Default 10 s. */
  readonly sessionTimeoutMs?: number;
  /** Extra kafkajs client settings (ssl, sasl, retry...). */
  readonly kafka?: Omit<KafkaConfig, 'brokers' | 'clientId'>;
}

const toKafkaMessage = (r: ProduceRecord): Message => ({
  key: r.key ?? null,
  value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
  headers: { ...r.headers },
  ...(r.timestamp === undefined ? {} : { timestamp: String(r.timestamp) }),
});

const byTopic = (records: readonly ProduceRecord[]): { topic: string; messages: Message[] }[] => {
  const grouped = new Map<string, Message[]>();
  for (const r of records) {
    const list = grouped.get(r.topic) ?? [];
    list.push(toKafkaMessage(r));
    grouped.set(r.topic, list);
  }
  return [...grouped].map(([topic, messages]) => ({ topic, messages }));
};

const toOffsetTopics = (offsets: readonly TopicPartitionOffset[]) => {
  const grouped = new Map<string, { partition: number; offset: string }[]>();
  for (const o of offsets) {
    const list = grouped.get(o.topic) ?? [];
    list.push({ partition: o.partition, offset: String(o.offset) });
    grouped.set(o.topic, list);
  }
  return [...grouped].map(([topic, partitions]) => ({ topic, partitions }));
};

const isConcurrentTransactions = (e: unknown): boolean =>
  typeof e === 'object' &&
  e !== null &&
  (e as { type?: unknown }).type === 'CONCURRENT_TRANSACTIONS';

/** Runs `op` again while the transaction coordinator reports CONCURRENT_TRANSACTIONS (≤ ~30 s). */
async function retryConcurrent(op: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await op();
      return;
    } catch (e) {
      if (!isConcurrentTransactions(e) || attempt >= 60) throw e;
      await new Promise((resolve) => setTimeout(resolve, Math.min(20 * 2 ** attempt, 500)));
    }
  }
}

/** Connects a {@link Bus} to a Kafka cluster. */
export function createKafkaBus(options: KafkaBusOptions): Bus {
  if (options.brokers.length === 0) {
    throw new BusError('INVALID_OPTIONS', 'createKafkaBus needs at least one broker address');
  }
  const kafka = new Kafka({
    clientId: options.clientId ?? 'slo-scout',
    brokers: [...options.brokers],
    logLevel: logLevel.ERROR,
    ...options.kafka,
  });
  const closers = new Set<() => Promise<void>>();
  let admin: Promise<Admin> | undefined;
  const getAdmin = (): Promise<Admin> =>
    (admin ??= (async () => {
      const a = kafka.admin();
      await a.connect();
      closers.add(() => a.disconnect());
      return a;
    })());

  const producer = async (transactionalId?: string): Promise<BusProducer> => {
    const open = async (): Promise<Producer> => {
      const p = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        ...(transactionalId
          ? { transactionalId, transactionTimeout: options.transactionTimeoutMs ?? 15_000 }
          : {}),
      });
      await p.connect().catch((e: unknown) => {
        throw toBusError(e);
      });
      return p;
    };
    let p = await open();
    /**
     * kafkajs leaves its transaction state machine in COMMITTING or ABORTING when EndTxn fails,
     * and then refuses every later transaction ("There is already an ongoing transaction"): the
     * job would retry the same batch forever. After such a failure the next transaction starts on
     * a new producer with the same transactional id, whose InitProducerId aborts whatever the
     * broker still holds open for that id.
     */
    let wedged = false;
    const close = () => p.disconnect();
    closers.add(close);
    return {
      async send(records) {
        if (records.length === 0) return;
        await p.sendBatch({ topicMessages: byTopic(records), acks: -1 });
      },
      async transaction() {
        if (!transactionalId) {
          throw new BusError(
            'TRANSACTION_STATE',
            'create the producer with a transactionalId to use transactions',
          );
        }
        if (wedged) {
          await p.disconnect().catch(() => undefined);
          p = await open();
          wedged = false;
        }
        const tx = await p.transaction();
        const ending = async (end: () => Promise<void>): Promise<void> => {
          try {
            await end();
          } catch (e) {
            wedged = true;
            throw e;
          }
        };
        const out: BusTransaction = {
          async send(records) {
            if (records.length > 0)
              await tx.sendBatch({ topicMessages: byTopic(records), acks: -1 });
          },
          async sendOffsets(groupId, offsets) {
            // kafkajs does not retry AddOffsetsToTxn; the coordinator answers
            // CONCURRENT_TRANSACTIONS while it still completes this producer's previous
            // transaction, which is routine right after a commit (and slow on a loaded broker).
            await retryConcurrent(() =>
              tx.sendOffsets({ consumerGroupId: groupId, topics: toOffsetTopics(offsets) }),
            );
          },
          commit: () => ending(() => tx.commit()),
          abort: () => ending(() => tx.abort()),
        };
        return out;
      },
      async close() {
        closers.delete(close);
        await p.disconnect();
      },
    };
  };

  const consumer = (opts: Parameters<Bus['consumer']>[0]): Promise<BusConsumer> => {
    const c = kafka.consumer({
      groupId: opts.groupId,
      readUncommitted: false,
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: Math.max(500, Math.floor((options.sessionTimeoutMs ?? 10_000) / 4)),
    });
    const topics: string[] = [];
    let connected: Promise<void> | undefined;
    const connect = (): Promise<void> => (connected ??= c.connect());
    const close = () => c.disconnect();
    closers.add(close);
    c.on(c.events.CRASH, (event) =>
      opts.onCrash?.(event.payload.error, { restarting: event.payload.restart }),
    );
    let assigned: { topic: string; partition: number }[] = [];
    c.on(c.events.GROUP_JOIN, (event) => {
      assigned = Object.entries(event.payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => ({ topic, partition })),
      );
    });
    c.on(c.events.STOP, () => {
      assigned = [];
    });
    const out: BusConsumer = {
      groupId: opts.groupId,
      async subscribe(ts) {
        await connect();
        topics.push(...ts);
        await c.subscribe({ topics: [...ts], fromBeginning: opts.fromBeginning ?? true });
      },
      async run(handler) {
        await connect();
        await c.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async (payload) => {
            const { batch } = payload;
            const live = (): boolean => payload.isRunning() && !payload.isStale();
            if (!live() || batch.messages.length === 0) return;
            const max = opts.maxBatchSize ?? 500;
            for (let i = 0; i < batch.messages.length && live(); i += max) {
              const messages: BusMessage[] = batch.messages.slice(i, i + max).map((m) => ({
                topic: batch.topic,
                partition: batch.partition,
                offset: Number(m.offset),
                key: m.key ? m.key.toString() : null,
                value: m.value ?? new Uint8Array(),
                headers: Object.fromEntries(
                  Object.entries(m.headers ?? {}).map(([k, v]) => [
                    k,
                    Buffer.isBuffer(v) ? v.toString() : String(v),
                  ]),
                ),
                timestamp: Number(m.timestamp),
              }));
              const last = messages[messages.length - 1]!;
              await handler({
                topic: batch.topic,
                partition: batch.partition,
                messages,
                nextOffset: last.offset + 1,
                // The high watermark counts transaction markers too, so this may trail by a few.
                endOffset: Number(batch.highWatermark),
              });
              // Advances kafkajs's fetch position; committing stays explicit (or transactional).
              payload.resolveOffset(String(last.offset));
              await payload.heartbeat();
            }
          },
        });
      },
      assignment: () => assigned,
      seek(position) {
        c.seek({
          topic: position.topic,
          partition: position.partition,
          offset: String(position.offset),
        });
      },
      async commit(offsets) {
        await c.commitOffsets(
          offsets.map((o) => ({
            topic: o.topic,
            partition: o.partition,
            offset: String(o.offset),
          })),
        );
      },
      async committed(topic) {
        const a = await getAdmin();
        const [entry] = await a.fetchOffsets({ groupId: opts.groupId, topics: [topic] });
        return (entry?.partitions ?? []).map((p) => ({
          topic,
          partition: p.partition,
          offset: Math.max(0, Number(p.offset)),
        }));
      },
      async close() {
        closers.delete(close);
        await c.disconnect();
      },
    };
    return Promise.resolve(out);
  };

  return {
    async createTopics(specs) {
      const a = await getAdmin();
      const existing = new Set(await a.listTopics());
      const fresh = specs.filter((s) => !existing.has(s.topic));
      if (fresh.length === 0) return;
      await a.createTopics({
        topics: fresh.map((s) => ({
          topic: s.topic,
          numPartitions: s.partitions || (options.defaultPartitions ?? 3),
        })),
        waitForLeaders: true,
      });
    },
    producer: (o) => producer(o?.transactionalId),
    consumer,
    async lag(groupId, topic) {
      const a = await getAdmin();
      const ends = await a.fetchTopicOffsets(topic);
      const [committed] = await a.fetchOffsets({ groupId, topics: [topic] });
      const byPartition = new Map(
        (committed?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]),
      );
      return ends
        .map((e) => {
          const endOffset = Number(e.high);
          const committedOffset = byPartition.get(e.partition) ?? 0;
          return {
            topic,
            partition: e.partition,
            endOffset,
            committedOffset,
            lag: endOffset - committedOffset,
          };
        })
        .sort((x, y) => x.partition - y.partition);
    },
    async close() {
      await Promise.allSettled([...closers].map((c) => c()));
      closers.clear();
    },
  };
}

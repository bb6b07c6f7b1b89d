import { BusError } from './errors.ts';
import { PartitionLog } from './partition-log.ts';
import { partitionForKey } from './partition-log-key.ts';
import type { BusChange, BusPersistence } from './persistence.ts';
import type {
  BatchHandler,
  Bus,
  BusConsumer,
  BusMessage,
  BusProducer,
  BusTransaction,
  ConsumerOptions,
  PartitionLag,
  ProduceRecord,
  TopicPartitionOffset,
  TopicSpec,
} from './types.ts';

/** Options of {@link createEmbeddedBus}. */
export interface EmbeddedBusOptions {
  /** Clock for message timestamps (epoch ms). */
  readonly now: () => number;
  /** Partitions of a topic created implicitly by a first send. Default 3. */
  readonly defaultPartitions?: number;
  /**
   * Back-pressure: a send waits while a target partition holds this many messages that some
   * subscribed group has not committed yet. Default 100 000.
   */
  readonly maxUncommittedPerPartition?: number;
  /** Messages kept per partition when no group reads the topic. Default 100 000. */
  readonly retainPerPartition?: number;
  /**
   * Called whenever that retention drops messages nobody has read: offsets `from` (inclusive) to
   * `to` (exclusive) of a partition no group reads or has committed on. Messages trimmed after
   * every group committed them are not reported.
   */
  readonly onRetentionDrop?: (drop: RetentionDrop) => void;
  /** Durable storage; without it the bus lives in memory only. */
  readonly persistence?: BusPersistence;
}

/** Unread messages dropped by the retention of an embedded bus (see `onRetentionDrop`). */
export interface RetentionDrop {
  readonly topic: string;
  readonly partition: number;
  readonly from: number;
  readonly to: number;
}

interface Member {
  readonly id: number;
  readonly groupId: string;
  topics: readonly string[];
  /** Read positions of the partitions this member owns (`topic/partition` → next offset). */
  readonly positions: Map<string, number>;
  /** Partitions sought during the batch in flight: the position set by `seek` wins. */
  readonly sought: Set<string>;
  readonly fromBeginning: boolean;
  readonly maxBatch: number;
  running: boolean;
}

interface Group {
  readonly committed: Map<string, number>;
  members: Member[];
}

const tpKey = (topic: string, partition: number): string => `${topic}/${partition}`;
// A function, not an inline read: `running` changes while the loop awaits a handler.
const stillRunning = (member: Member): boolean => member.running;

/**
 * Creates an in-process bus with Kafka's contract: keyed records keep their order within a
 * partition, groups spread partitions over members, offsets are committed explicitly or inside a
 * transaction, and a partition is never read by two members of one group at once.
 */
export async function createEmbeddedBus(options: EmbeddedBusOptions): Promise<Bus> {
  const defaultPartitions = options.defaultPartitions ?? 3;
  const maxUncommitted = options.maxUncommittedPerPartition ?? 100_000;
  const retain = options.retainPerPartition ?? 100_000;
  if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1) {
    throw new BusError(
      'INVALID_OPTIONS',
      `defaultPartitions must be a whole number ≥ 1, got ${defaultPartitions}`,
    );
  }
  const persistence = options.persistence;
  const topics = new Map<string, PartitionLog[]>();
  const groups = new Map<string, Group>();
  const inFlight = new Set<string>(); // `group|topic/partition` being handled right now
  let nextMemberId = 1;
  let closed = false;
  let wake: (() => void) | undefined;
  let wakeSignal = new Promise<void>((resolve) => (wake = resolve));
  const notify = (): void => {
    const w = wake;
    wakeSignal = new Promise<void>((resolve) => (wake = resolve));
    w?.();
  };

  const group = (groupId: string): Group => {
    let g = groups.get(groupId);
    if (!g) {
      g = { committed: new Map(), members: [] };
      groups.set(groupId, g);
    }
    return g;
  };

  const compacted = new Set<string>();
  const ensureTopic = (
    topic: string,
    partitions = defaultPartitions,
    compact = false,
  ): PartitionLog[] => {
    let logs = topics.get(topic);
    if (!logs) {
      logs = Array.from({ length: partitions }, () => new PartitionLog(compact));
      topics.set(topic, logs);
      if (compact) compacted.add(topic);
    }
    return logs;
  };

  const applyChange = (change: BusChange): void => {
    for (const t of change.topics ?? []) ensureTopic(t.topic, t.partitions, t.compacted === true);
    for (const s of change.starts ?? []) startEmptyAt(s.topic, s.partition, s.offset);
    for (const m of change.messages ?? []) {
      const log = ensureTopic(m.topic)[m.partition];
      if (!log) throw new BusError('BAD_PARTITION', `${m.topic} has no partition ${m.partition}`);
      if (log.end === log.start && log.retained().length === 0 && m.offset > log.end)
        log.resetStart(m.offset);
      if (m.offset < log.end) {
        throw new BusError(
          'PERSISTENCE',
          `${m.topic}/${m.partition}: offset ${m.offset} is below the log end ${log.end}`,
        );
      }
      log.append(m);
    }
    for (const { groupId, offsets } of change.offsets ?? []) {
      const g = group(groupId);
      for (const o of offsets) g.committed.set(tpKey(o.topic, o.partition), o.offset);
    }
  };

  /** Moves an empty partition's start (and so its end) forward to `offset`. */
  const startEmptyAt = (topic: string, partition: number, offset: number): void => {
    const log = topics.get(topic)?.[partition];
    if (log && log.end === log.start && log.retained().length === 0 && offset > log.end) {
      log.resetStart(offset);
    }
  };

  const minCommitted = (topic: string, partition: number): number | undefined => {
    let min: number | undefined;
    for (const g of groups.values()) {
      if (
        !g.members.some((m) => m.topics.includes(topic)) &&
        !g.committed.has(tpKey(topic, partition))
      )
        continue;
      const c = g.committed.get(tpKey(topic, partition)) ?? 0;
      min = min === undefined ? c : Math.min(min, c);
    }
    return min;
  };

  const trim = (topic: string, partition: number, log: PartitionLog): void => {
    const committed = minCommitted(topic, partition);
    if (committed !== undefined) {
      log.trimTo(committed);
      return;
    }
    const from = log.start;
    log.trimTo(log.end - retain);
    if (log.start > from) options.onRetentionDrop?.({ topic, partition, from, to: log.start });
  };

  const toMessages = (records: readonly ProduceRecord[]): BusMessage[] => {
    const now = options.now();
    const out: BusMessage[] = [];
    // The next offset of each partition, by topic (records of a batch name few topics).
    const pending = new Map<string, number[]>();
    let lastTopic: string | undefined;
    let logs: PartitionLog[] = [];
    let next: number[] = [];
    for (const r of records) {
      if (r.topic !== lastTopic) {
        lastTopic = r.topic;
        logs = ensureTopic(r.topic);
        let ends = pending.get(r.topic);
        if (!ends) {
          ends = logs.map((l) => l.end);
          pending.set(r.topic, ends);
        }
        next = ends;
      }
      const partition =
        r.key == null ? roundRobin(r.topic, logs.length) : partitionForKey(r.key, logs.length);
      const offset = next[partition]!;
      next[partition] = offset + 1;
      out.push({
        topic: r.topic,
        partition,
        offset,
        key: r.key ?? null,
        value: r.value,
        headers: r.headers ?? {},
        timestamp: r.timestamp ?? now,
      });
    }
    return out;
  };

  const rr = new Map<string, number>();
  const roundRobin = (topic: string, n: number): number => {
    const i = rr.get(topic) ?? 0;
    rr.set(topic, (i + 1) % n);
    return i;
  };

  const waitForRoom = async (records: readonly ProduceRecord[]): Promise<void> => {
    // Checked per topic, not per record: a batch names few topics and many records.
    const named = new Set<string>();
    for (const r of records) named.add(r.topic);
    for (;;) {
      if (closed) throw new BusError('CLOSED', 'the bus is closed');
      let full = false;
      for (const topic of named) {
        const logs = ensureTopic(topic);
        full = logs.some((log, p) => {
          const c = minCommitted(topic, p);
          return c !== undefined && log.end - c >= maxUncommitted;
        });
        if (full) break;
      }
      if (!full) return;
      await wakeSignal;
    }
  };

  // Commits are serialised so persisted changes keep their order.
  let chain: Promise<unknown> = Promise.resolve();
  const commitChange = (
    change: BusChange,
    records: readonly ProduceRecord[] = [],
  ): Promise<void> => {
    const run = chain.then(async () => {
      if (closed) throw new BusError('CLOSED', 'the bus is closed');
      // Offsets are assigned here, in commit order, so concurrent sends never share one.
      if (records.length > 0) {
        const messages = toMessages(records);
        const named = [...new Set(records.map((r) => r.topic))];
        const specs = named.map((topic) => ({
          topic,
          partitions: topics.get(topic)!.length,
          ...(compacted.has(topic) ? { compacted: true } : {}),
        }));
        change = { ...change, topics: [...(change.topics ?? []), ...specs], messages };
      }
      if (persistence) await persistence.append(change);
      applyChange(change);
      // Once per partition touched, not per message.
      const touched = new Map<string, Set<number>>();
      const touch = (topic: string, partition: number): void => {
        let set = touched.get(topic);
        if (!set) touched.set(topic, (set = new Set()));
        set.add(partition);
      };
      for (const m of change.messages ?? []) touch(m.topic, m.partition);
      for (const o of change.offsets ?? []) for (const x of o.offsets) touch(x.topic, x.partition);
      for (const [topic, set] of touched) for (const p of set) trimIfUnread(topic, p);
      notify();
    });
    chain = run.catch(() => undefined);
    return run;
  };
  const trimIfUnread = (topic: string, partition: number): void => {
    const log = topics.get(topic)?.[partition];
    if (log) trim(topic, partition, log);
  };

  const producer = (): BusProducer => ({
    async send(records) {
      await waitForRoom(records);
      await commitChange({}, records);
    },
    transaction() {
      let state: 'open' | 'done' = 'open';
      const records: ProduceRecord[] = [];
      const offsets: { groupId: string; offsets: TopicPartitionOffset[] }[] = [];
      const check = (): void => {
        if (state !== 'open')
          throw new BusError(
            'TRANSACTION_STATE',
            'the transaction is already committed or aborted',
          );
      };
      const tx: BusTransaction = {
        send(rs) {
          check();
          records.push(...rs);
          return Promise.resolve();
        },
        sendOffsets(groupId, os) {
          check();
          offsets.push({ groupId, offsets: [...os] });
          return Promise.resolve();
        },
        async commit() {
          check();
          state = 'done';
          await waitForRoom(records);
          await commitChange({ offsets }, records);
        },
        abort() {
          check();
          state = 'done';
          return Promise.resolve();
        },
      };
      return Promise.resolve(tx);
    },
    close: () => Promise.resolve(),
  });

  const assignment = (member: Member): { topic: string; partition: number }[] => {
    const g = group(member.groupId);
    const active = g.members.filter((m) => m.running);
    const index = active.indexOf(member);
    if (index < 0) return [];
    const all: { topic: string; partition: number }[] = [];
    for (const topic of [...member.topics].sort()) {
      const logs = topics.get(topic) ?? [];
      for (let p = 0; p < logs.length; p++) all.push({ topic, partition: p });
    }
    return all.filter((_, i) => i % active.length === index);
  };

  const runMember = async (member: Member, handler: BatchHandler): Promise<void> => {
    const g = group(member.groupId);
    while (member.running && !closed) {
      const signal = wakeSignal;
      const owned = assignment(member);
      const ownedKeys = new Set(owned.map((o) => tpKey(o.topic, o.partition)));
      for (const k of member.positions.keys()) if (!ownedKeys.has(k)) member.positions.delete(k);
      let delivered = false;
      for (const { topic, partition } of owned) {
        if (!stillRunning(member)) break;
        const key = tpKey(topic, partition);
        const flightKey = `${member.groupId}|${key}`;
        if (inFlight.has(flightKey)) continue; // the previous owner is still handling a batch
        const log = topics.get(topic)![partition]!;
        let position = member.positions.get(key);
        if (position === undefined) {
          position = g.committed.get(key) ?? (member.fromBeginning ? log.start : log.end);
        }
        position = Math.max(position, log.start);
        member.positions.set(key, position);
        const messages = log.read(position, member.maxBatch);
        if (messages.length === 0) continue;
        inFlight.add(flightKey);
        try {
          await handler({
            topic,
            partition,
            messages,
            nextOffset: position + messages.length,
            endOffset: log.end,
          });
        } finally {
          inFlight.delete(flightKey);
          notify();
        }
        if (member.sought.delete(key)) continue;
        if (member.positions.has(key)) member.positions.set(key, position + messages.length);
        delivered = true;
      }
      if (!delivered) await signal;
    }
  };

  const consumer = (opts: ConsumerOptions): BusConsumer => {
    if (!opts.groupId) throw new BusError('INVALID_OPTIONS', 'a consumer needs a groupId');
    const member: Member = {
      id: nextMemberId++,
      groupId: opts.groupId,
      topics: [],
      positions: new Map(),
      sought: new Set(),
      fromBeginning: opts.fromBeginning ?? true,
      maxBatch: opts.maxBatchSize ?? 500,
      running: false,
    };
    let loop: Promise<void> | undefined;
    return {
      groupId: opts.groupId,
      subscribe(ts) {
        for (const t of ts) ensureTopic(t);
        member.topics = [...new Set([...member.topics, ...ts])];
        // A subscribed group holds its unread messages (retention, back-pressure) from now on.
        const g = group(member.groupId);
        if (!g.members.includes(member)) g.members.push(member);
        return Promise.resolve();
      },
      run(handler) {
        if (loop)
          throw new BusError('INVALID_OPTIONS', 'run() was already called on this consumer');
        member.running = true;
        const g = group(member.groupId);
        if (!g.members.includes(member)) g.members.push(member);
        notify(); // rebalance
        loop = runMember(member, handler).catch((cause: unknown) => {
          member.running = false;
          group(member.groupId).members = group(member.groupId).members.filter((m) => m !== member);
          notify();
          opts.onCrash?.(cause, { restarting: false });
        });
        return Promise.resolve();
      },
      commit(offsets) {
        return commitChange({ offsets: [{ groupId: opts.groupId, offsets }] });
      },
      assignment: () => (member.running ? assignment(member) : []),
      seek(position) {
        member.positions.set(tpKey(position.topic, position.partition), position.offset);
        member.sought.add(tpKey(position.topic, position.partition));
        notify();
      },
      committed(topic) {
        const logs = topics.get(topic) ?? [];
        const g = group(opts.groupId);
        return Promise.resolve(
          logs.map((_, partition) => ({
            topic,
            partition,
            offset: g.committed.get(tpKey(topic, partition)) ?? 0,
          })),
        );
      },
      async close() {
        member.running = false;
        const g = group(member.groupId);
        g.members = g.members.filter((m) => m !== member);
        notify();
        await loop;
      },
    };
  };

  if (persistence) {
    const state = await persistence.load();
    if (state) {
      applyChange(state);
      // A state written without `starts`: a group's committed offset proves the log reached it.
      for (const { offsets } of state.offsets)
        for (const o of offsets) startEmptyAt(o.topic, o.partition, o.offset);
      for (const [topic, logs] of topics)
        logs.forEach((log, p) => {
          trim(topic, p, log);
        });
    }
    await persistence.rewrite(snapshotState());
  }

  return {
    async createTopics(specs) {
      const fresh = specs.filter((s) => !topics.has(s.topic));
      for (const s of fresh) {
        if (!Number.isInteger(s.partitions) || s.partitions < 1) {
          throw new BusError('INVALID_OPTIONS', `topic ${s.topic}: partitions must be ≥ 1`);
        }
      }
      if (fresh.length > 0) await commitChange({ topics: fresh });
    },
    producer: () => Promise.resolve(producer()),
    consumer: (opts) => Promise.resolve(consumer(opts)),
    lag(groupId, topic) {
      const logs = topics.get(topic);
      if (!logs) return Promise.reject(new BusError('UNKNOWN_TOPIC', `no topic '${topic}'`));
      const g = group(groupId);
      const out: PartitionLag[] = logs.map((log, partition) => {
        const committedOffset = g.committed.get(tpKey(topic, partition)) ?? 0;
        return {
          topic,
          partition,
          endOffset: log.end,
          committedOffset,
          lag: log.end - committedOffset,
        };
      });
      return Promise.resolve(out);
    },
    async close() {
      closed = true;
      for (const g of groups.values()) for (const m of g.members) m.running = false;
      notify();
      await chain;
      if (persistence) {
        await persistence.rewrite(snapshotState());
        await persistence.close();
      }
    },
  };

  function snapshotState() {
    const topicSpecs: TopicSpec[] = [...topics].map(([topic, logs]) => ({
      topic,
      partitions: logs.length,
    }));
    const messages = [...topics.values()].flatMap((logs) => logs.flatMap((l) => l.retained()));
    const offsets = [...groups].map(([groupId, g]) => ({
      groupId,
      offsets: [...g.committed].map(([k, offset]) => {
        const i = k.lastIndexOf('/');
        return { topic: k.slice(0, i), partition: Number(k.slice(i + 1)), offset };
      }),
    }));
    const starts = [...topics].flatMap(([topic, logs]) =>
      logs.map((log, partition) => ({ topic, partition, offset: log.start })),
    );
    return { topics: topicSpecs, messages, offsets, starts };
  }
}

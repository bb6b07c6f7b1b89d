import fc from 'fast-check';
import { mkdtemp, readFile, appendFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busContract, consumeUntil } from '../../test/contract.ts';
import { createFileBusPersistence } from '../adapters/file/index.ts';
import { createEmbeddedBus } from './embedded-bus.ts';
import { murmur2, partitionForKey } from './partition-log-key.ts';
// kafkajs's own partitioner is the oracle: keys must land where Kafka would put them.
import { Partitioners } from 'kafkajs';

const now = (): number => 1_700_000_000_000;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

busContract('embedded', () => createEmbeddedBus({ now }), { noRedeliveryOnRebalance: true });

describe('partitioner', () => {
  it("matches Kafka's murmur2 test vectors", () => {
    expect(murmur2(enc('21'))).toBe(-973932308);
    expect(murmur2(enc('foobar'))).toBe(-790332482);
    expect(murmur2(enc('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(enc('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(enc('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(enc('abc'))).toBe(479470107);
  });
  it('puts every key where the kafkajs default partitioner does', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 64 }), (key, n) => {
        const partitionMetadata = Array.from({ length: n }, (_, i) => ({
          partitionId: i,
          leader: 0,
          partitionErrorCode: 0,
          replicas: [0],
          isr: [0],
        }));
        const expected = kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } });
        expect(partitionForKey(key, n)).toBe(expected);
      }),
    );
  });
});

describe('embedded bus', () => {
  it('tells each batch the end offset, so a consumer knows when it is caught up', async () => {
    const bus = await createEmbeddedBus({ now, defaultPartitions: 1 });
    const producer = await bus.producer();
    await producer.send(
      Array.from({ length: 10 }, (_, i) => ({ topic: 't', key: 'k', value: enc(`${i}`) })),
    );
    const consumer = await bus.consumer({ groupId: 'g', maxBatchSize: 4 });
    await consumer.subscribe(['t']);
    const seen: [number, number][] = [];
    await new Promise<void>((resolve) => {
      void consumer.run((batch) => {
        seen.push([batch.nextOffset, batch.endOffset]);
        if (batch.nextOffset >= batch.endOffset) resolve();
        return Promise.resolve();
      });
    });
    expect(consumer.assignment()).toEqual([{ topic: 't', partition: 0 }]);
    await consumer.close();
    expect(consumer.assignment()).toEqual([]);
    expect(seen).toEqual([
      [4, 10],
      [8, 10],
      [10, 10],
    ]);
    await bus.close();
  });

  it('re-reads from where seek puts it', async () => {
    const bus = await createEmbeddedBus({ now, defaultPartitions: 1 });
    const producer = await bus.producer();
    await producer.send(
      Array.from({ length: 6 }, (_, i) => ({ topic: 't', key: 'k', value: enc(`${i}`) })),
    );
    const consumer = await bus.consumer({ groupId: 'g', maxBatchSize: 3 });
    await consumer.subscribe(['t']);
    const firsts: number[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run((batch) => {
        firsts.push(batch.messages[0]!.offset);
        if (firsts.length === 2) consumer.seek({ topic: 't', partition: 0, offset: 1 });
        if (firsts.length === 4) resolve();
        return Promise.resolve();
      });
    });
    await consumer.close();
    expect(firsts).toEqual([0, 3, 1, 4]);
    await bus.close();
  });

  it('applies back-pressure until the group commits', async () => {
    const bus = await createEmbeddedBus({
      now,
      maxUncommittedPerPartition: 10,
      defaultPartitions: 1,
    });
    const consumer = await bus.consumer({ groupId: 'g' });
    await consumer.subscribe(['t']);
    const producer = await bus.producer();
    await producer.send(
      Array.from({ length: 10 }, (_, i) => ({ topic: 't', key: 'k', value: enc(`${i}`) })),
    );
    let sent = false;
    const blocked = producer
      .send([{ topic: 't', key: 'k', value: enc('late') }])
      .then(() => (sent = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toBe(false);
    await consumer.commit([{ topic: 't', partition: 0, offset: 5 }]);
    await blocked;
    expect(sent).toBe(true);
    await bus.close();
  });

  it('resumes from committed offsets after a restart, exactly once through transactions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bus-'));
    const open = async () =>
      createEmbeddedBus({ now, persistence: await createFileBusPersistence(dir) });
    const bus1 = await open();
    await bus1.createTopics([
      { topic: 'in', partitions: 2 },
      { topic: 'out', partitions: 2 },
    ]);
    const p1 = await bus1.producer();
    await p1.send(
      Array.from({ length: 100 }, (_, i) => ({
        topic: 'in',
        key: `k${i % 7}`,
        value: enc(`${i}`),
      })),
    );
    // Process half the input transactionally, then "crash" (close without finishing).
    const worker = async (bus: Awaited<ReturnType<typeof open>>, limit: number) => {
      const consumer = await bus.consumer({ groupId: 'job', maxBatchSize: 10 });
      await consumer.subscribe(['in']);
      const producer = await bus.producer({ transactionalId: 'job' });
      let processed = 0;
      await new Promise<void>((resolve) => {
        void consumer.run(async (batch) => {
          if (processed >= limit) {
            resolve();
            return;
          }
          const tx = await producer.transaction();
          await tx.send(batch.messages.map((m) => ({ topic: 'out', key: m.key, value: m.value })));
          await tx.sendOffsets('job', [
            { topic: 'in', partition: batch.partition, offset: batch.nextOffset },
          ]);
          await tx.commit();
          processed += batch.messages.length;
          const lag = await bus.lag('job', 'in');
          if (lag.every((l) => l.lag === 0)) resolve();
        });
      });
      await consumer.close();
    };
    await worker(bus1, 40);
    await bus1.close();
    const bus2 = await open();
    await worker(bus2, Infinity);
    const reader = await bus2.consumer({ groupId: 'reader' });
    await reader.subscribe(['out']);
    const out = await consumeUntil(reader, (all) => all.length >= 100);
    await new Promise((r) => setTimeout(r, 20));
    const values = out.map((m) => new TextDecoder().decode(m.value)).sort();
    expect(values).toEqual(Array.from({ length: 100 }, (_, i) => `${i}`).sort());
    await bus2.close();
  });

  it('keeps only the latest record per key on a compacted topic, across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bus-'));
    const open = async () =>
      createEmbeddedBus({ now, persistence: await createFileBusPersistence(dir) });
    const bus = await open();
    await bus.createTopics([{ topic: 'state', partitions: 1, compacted: true }]);
    const p = await bus.producer();
    for (let i = 0; i < 5; i++) {
      await p.send([
        { topic: 'state', key: 'a', value: enc(`a${i}`) },
        { topic: 'state', key: 'b', value: enc(`b${i}`) },
      ]);
    }
    await bus.close();
    const reopened = await open();
    const c = await reopened.consumer({ groupId: 'g' });
    await c.subscribe(['state']);
    const got = await consumeUntil(c, (all) => all.length >= 2);
    expect(got.map((m) => [m.key, new TextDecoder().decode(m.value), m.offset])).toEqual([
      ['a', 'a4', 8],
      ['b', 'b4', 9],
    ]);
    const lag = await reopened.lag('g', 'state');
    expect(lag[0]?.endOffset).toBe(10);
    await reopened.close();
  });

  it('keeps offsets growing when a journal whose messages were all consumed is reopened', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bus-'));
    const open = async () =>
      createEmbeddedBus({ now, persistence: await createFileBusPersistence(dir) });
    const bus = await open();
    await bus.createTopics([{ topic: 't', partitions: 1 }]);
    const p = await bus.producer();
    await p.send(
      Array.from({ length: 5 }, (_, i) => ({ topic: 't', key: 'k', value: enc(`${i}`) })),
    );
    // Nobody reads `kept`: its messages are trimmed by retention, not by a commit, and with a
    // retention of 0 none is left to tell where the partition ended.
    const small = await createEmbeddedBus({
      now,
      retainPerPartition: 0,
      persistence: await createFileBusPersistence(join(dir, 'small')),
    });
    await small.createTopics([{ topic: 'kept', partitions: 1 }]);
    const ps = await small.producer();
    await ps.send(Array.from({ length: 4 }, (_, i) => ({ topic: 'kept', value: enc(`${i}`) })));
    await small.close();
    const c = await bus.consumer({ groupId: 'g' });
    await c.subscribe(['t']);
    await consumeUntil(c, (all) => all.length >= 5);
    await c.close();
    await bus.close(); // every message of `t` is committed by the only group, so none is retained

    const again = await open();
    expect((await again.lag('g', 't'))[0]).toMatchObject({ endOffset: 5, committedOffset: 5 });
    const p2 = await again.producer();
    await p2.send([{ topic: 't', key: 'k', value: enc('after') }]);
    const c2 = await again.consumer({ groupId: 'g' });
    await c2.subscribe(['t']);
    const got = await consumeUntil(c2, (all) => all.length >= 1, { timeoutMs: 2_000 });
    expect(got.map((m) => [new TextDecoder().decode(m.value), m.offset])).toEqual([['after', 5]]);
    await again.close();

    const smallAgain = await createEmbeddedBus({
      now,
      retainPerPartition: 0,
      persistence: await createFileBusPersistence(join(dir, 'small')),
    });
    const p3 = await smallAgain.producer();
    await p3.send([{ topic: 'kept', value: enc('4') }]);
    expect((await smallAgain.lag('late', 'kept'))[0]?.endOffset).toBe(5);
    await smallAgain.close();
  });

  it('reports the unread messages its retention drops, and only those', async () => {
    const drops: unknown[] = [];
    const bus = await createEmbeddedBus({
      now,
      retainPerPartition: 2,
      onRetentionDrop: (drop) => drops.push(drop),
    });
    await bus.createTopics([
      { topic: 'nobody', partitions: 1 },
      { topic: 'read', partitions: 1 },
    ]);
    const reader = await bus.consumer({ groupId: 'g' });
    await reader.subscribe(['read']);
    const p = await bus.producer();
    for (const topic of ['nobody', 'read']) {
      await p.send(Array.from({ length: 5 }, (_, i) => ({ topic, key: 'k', value: enc(`${i}`) })));
    }
    await p.send([{ topic: 'nobody', key: 'k', value: enc('5') }]);
    await consumeUntil(reader, (all) => all.length >= 5); // committed, then trimmed: not a drop
    expect(drops).toEqual([
      { topic: 'nobody', partition: 0, from: 0, to: 3 },
      { topic: 'nobody', partition: 0, from: 3, to: 4 },
    ]);
    await reader.close();
    await bus.close();
  });

  it('starts an emptied partition at its committed offset in a journal without starts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bus-'));
    const offsets = [{ groupId: 'g', offsets: [{ topic: 't', partition: 0, offset: 7 }] }];
    await writeFile(
      join(dir, 'journal.jsonl'),
      `${JSON.stringify({ topics: [{ topic: 't', partitions: 1 }], messages: [], offsets })}\n`,
    );
    const bus = await createEmbeddedBus({ now, persistence: await createFileBusPersistence(dir) });
    expect((await bus.lag('g', 't'))[0]).toMatchObject({ endOffset: 7, lag: 0 });
    await bus.close();
  });

  it('ignores a torn final journal line and reports a corrupt middle line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bus-'));
    const bus = await createEmbeddedBus({ now, persistence: await createFileBusPersistence(dir) });
    const p = await bus.producer();
    await p.send([{ topic: 't', key: 'a', value: enc('kept') }]);
    await bus.close();
    await appendFile(join(dir, 'journal.jsonl'), '{"messages":[{"topic":"t","par');
    const reopened = await createEmbeddedBus({
      now,
      persistence: await createFileBusPersistence(dir),
    });
    const c = await reopened.consumer({ groupId: 'g' });
    await c.subscribe(['t']);
    const got = await consumeUntil(c, (all) => all.length >= 1);
    expect(new TextDecoder().decode(got[0]!.value)).toBe('kept');
    await reopened.close();
    const text = await readFile(join(dir, 'journal.jsonl'), 'utf8');
    await appendFile(join(dir, 'journal.jsonl'), `garbage\n${text}`);
    await expect(createFileBusPersistence(dir).then((ps) => ps.load())).rejects.toThrow(
      /corrupt at line 2/,
    );
  });
});

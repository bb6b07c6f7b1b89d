/**
 * File persistence for the embedded bus: an append-only journal of changes, one JSON line each.
 * A line is the unit of atomicity — a crash mid-write leaves a torn last line, which is ignored
 * on load, so a transaction is either wholly in the journal or not at all. Opening compacts the
 * journal to the retained state.
 */
import { open, mkdir, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BusError } from '../../core/errors.ts';
import type { BusChange, BusPersistence, BusState } from '../../core/persistence.ts';
import type { BusMessage, TopicPartitionOffset, TopicSpec } from '../../core/types.ts';

interface StoredMessage extends Omit<BusMessage, 'value'> {
  readonly value: string;
}
interface StoredChange {
  readonly topics?: readonly TopicSpec[];
  readonly messages?: readonly StoredMessage[];
  readonly offsets?: BusChange['offsets'];
  readonly starts?: BusChange['starts'];
}

const toStored = ({ messages, ...rest }: BusChange): StoredChange => ({
  ...rest,
  ...(messages
    ? { messages: messages.map((m) => ({ ...m, value: Buffer.from(m.value).toString('base64') })) }
    : {}),
});

/** Options of {@link createFileBusPersistence}. */
export interface FileBusPersistenceOptions {
  /** fsync after every change (survives power loss, not only a crash). Default false. */
  readonly fsync?: boolean;
}

/** Persists an embedded bus in `dir/journal.jsonl`. */
export async function createFileBusPersistence(
  dir: string,
  options: FileBusPersistenceOptions = {},
): Promise<BusPersistence> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'journal.jsonl');
  let handle: FileHandle | undefined;
  const writer = async (): Promise<FileHandle> => (handle ??= await open(path, 'a'));

  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new BusError('PERSISTENCE', `cannot read bus journal ${path}`, { cause });
      }
      const lines = text.split('\n');
      const topics = new Map<string, TopicSpec>();
      const messages: BusMessage[] = [];
      const offsets = new Map<string, Map<string, TopicPartitionOffset>>();
      const starts = new Map<string, TopicPartitionOffset>();
      lines.forEach((line, i) => {
        if (line === '') return;
        let change: StoredChange;
        try {
          change = JSON.parse(line) as StoredChange;
        } catch (cause) {
          if (i >= lines.length - 2) return; // a torn final write: that change never happened
          throw new BusError('PERSISTENCE', `bus journal ${path} is corrupt at line ${i + 1}`, {
            cause,
          });
        }
        for (const t of change.topics ?? []) if (!topics.has(t.topic)) topics.set(t.topic, t);
        for (const m of change.messages ?? [])
          messages.push({ ...m, value: Buffer.from(m.value, 'base64') });
        for (const g of change.offsets ?? []) {
          const byTp = offsets.get(g.groupId) ?? new Map<string, TopicPartitionOffset>();
          for (const o of g.offsets) byTp.set(`${o.topic}/${o.partition}`, o);
          offsets.set(g.groupId, byTp);
        }
        for (const o of change.starts ?? []) starts.set(`${o.topic}/${o.partition}`, o);
      });
      const state: BusState = {
        topics: [...topics.values()],
        messages,
        offsets: [...offsets].map(([groupId, m]) => ({ groupId, offsets: [...m.values()] })),
        starts: [...starts.values()],
      };
      return state;
    },
    async append(change) {
      const fh = await writer();
      await fh.appendFile(`${JSON.stringify(toStored(change))}\n`);
      if (options.fsync) await fh.sync();
    },
    async rewrite(state) {
      await handle?.close();
      handle = undefined;
      const tmp = `${path}.tmp`;
      await writeFile(tmp, `${JSON.stringify(toStored(state))}\n`);
      await rename(tmp, path);
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
}

import type { BusMessage } from './types.ts';

/**
 * The retained messages of one partition. Offsets grow from 0; messages below `start` have been
 * trimmed. Trimming moves a head index and compacts the array only now and then, so it stays O(1)
 * amortised.
 */
export class PartitionLog {
  /** `null` marks a message compaction removed (its offset stays taken, as on Kafka). */
  private items: (BusMessage | null)[] = [];
  /** Compacted logs keep only the latest message of each key. */
  private readonly latestByKey: Map<string, number> | undefined;

  constructor(compacted = false) {
    this.latestByKey = compacted ? new Map() : undefined;
  }
  private head = 0;
  /** Offset of the first retained message. */
  start = 0;

  /** Offset the next appended message gets. */
  get end(): number {
    return this.start + this.items.length - this.head;
  }

  /** Starts an empty log at `offset` (a log restored after older messages were trimmed). */
  resetStart(offset: number): void {
    if (this.items.length - this.head !== 0) {
      throw new Error(`partition log is not empty; cannot restart it at offset ${offset}`);
    }
    this.start = offset;
  }

  /** Appends `message` at its offset; a gap (offsets removed by compaction) is kept as holes. */
  append(message: BusMessage): void {
    while (this.end < message.offset) this.items.push(null);
    this.items.push(message);
    if (this.latestByKey && message.key !== null) {
      const previous = this.latestByKey.get(message.key);
      if (previous !== undefined && previous >= this.start) {
        this.items[previous - this.start + this.head] = null;
      }
      this.latestByKey.set(message.key, message.offset);
    }
  }

  /** Up to `max` messages from `offset` (clamped to what is retained). */
  read(offset: number, max: number): BusMessage[] {
    const from = Math.max(offset, this.start) - this.start + this.head;
    const out: BusMessage[] = [];
    for (let i = from; i < this.items.length && out.length < max; i++) {
      const m = this.items[i];
      if (m) out.push(m);
    }
    return out;
  }

  /** Drops messages below `offset`. */
  trimTo(offset: number): void {
    const drop = Math.min(offset, this.end) - this.start;
    if (drop <= 0) return;
    this.head += drop;
    this.start += drop;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Every retained message, in order. */
  retained(): BusMessage[] {
    return this.items.slice(this.head).filter((m): m is BusMessage => m !== null);
  }
}

import type { BusMessage } from './types.ts';

/**
 * The retained messages of one partition. Offsets grow from 0; messages below `start` have been
 * trimmed. Trimming moves a head index and compacts the array only now and then, so it stays O(1)
 * amortised.
 */
export class PartitionLog {
  private items: BusMessage[] = [];
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

  append(message: BusMessage): void {
    this.items.push(message);
  }

  /** Up to `max` messages from `offset` (clamped to what is retained). */
  read(offset: number, max: number): BusMessage[] {
    const from = Math.max(offset, this.start) - this.start + this.head;
    return this.items.slice(from, Math.min(from + max, this.items.length));
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
    return this.items.slice(this.head);
  }
}

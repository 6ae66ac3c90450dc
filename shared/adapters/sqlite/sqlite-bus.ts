import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  type Bus,
  type BusConsumer,
  type BusEntry,
  type BusMessage,
  checkDuration as checkDelay,
  checkReceive,
  DEDUP_WINDOW_MS,
  type DeliveredMessage,
  encodeBusMessage,
  type ReceivedMessage,
  type SendOptions,
} from '../../ports/bus.js';
import type { Clock } from '../../ports/clock.js';
import {
  type HeadRow,
  type MessageRow,
  prepareBusStatements,
} from './sqlite-bus-statements.js';
import { type Guard, guarded } from './sqlite-errors.js';

/** Options of {@link SqliteBus}. */
export interface SqliteBusOptions {
  /** Drives visibility timeouts and the dedup window. */
  clock: Clock;
  /** Receives after which an unacked message is dead-lettered (default 5). */
  maxReceives?: number;
  /** Visibility timeout when `receive` gives none (default 30 s). */
  visibilityMs?: number;
}

/** Expired dedup ids are swept at most this often, by the consumer. */
const SWEEP_EVERY_MS = 60_000;
/** Dedup ids deleted per sweep transaction (each receive does one). */
const SWEEP_CHUNK = 1_000;

/**
 * The bus on SQLite tables, with the memory bus's SQS FIFO semantics (one
 * contract suite): per-group order with at most one message of a group in
 * flight, groups in parallel, dedup by dedupId for 5 minutes, visibility
 * timeouts, receive counts and dead letters after `maxReceives`. Every
 * change is one statement or one IMMEDIATE transaction, so producers and
 * consumers may be different processes on one WAL file (the local stack's
 * HTTP process sends, its worker process receives), a sent message is on
 * disk before `send` resolves, and a poll of an idle queue only reads.
 * Time comes only from the injected clock.
 *
 * @example
 * const bus = new SqliteBus(db, { clock: systemClock, maxReceives: 5 });
 * await bus.send(message, { groupId: 'o/r', dedupId: 'delivery-1' });
 * const [received] = await bus.receive(1);
 */
export class SqliteBus implements Bus, BusConsumer {
  private readonly clock: Clock;
  private readonly maxReceives: number;
  private readonly visibilityMs: number;
  private readonly sql: ReturnType<typeof prepareBusStatements>;
  private readonly listeners = new Set<() => void>();
  private readonly sendAll: (entries: readonly Encoded[]) => boolean;
  private readonly receiveAll: (max: number, visibilityMs: number) => Taken[];
  private sweepAt = Number.NEGATIVE_INFINITY;

  constructor(
    db: Database.Database,
    options: SqliteBusOptions,
    private readonly guard: Guard = guarded,
  ) {
    this.clock = options.clock;
    this.maxReceives = options.maxReceives ?? 5;
    this.visibilityMs = options.visibilityMs ?? 30_000;
    this.sql = prepareBusStatements(db);
    this.sendAll = db.transaction((entries: readonly Encoded[]) =>
      this.enqueue(entries),
    ).immediate;
    this.receiveAll = db.transaction((max: number, visibilityMs: number) =>
      this.takeHeads(max, visibilityMs),
    ).immediate;
  }

  /**
   * Registers a listener called (synchronously) after a send, ack or nack of
   * this instance; another process's calls are not notified (poll).
   * @returns a function that removes the listener.
   */
  onMessage(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** See {@link Bus.send}. @throws {ValidationError} as `encodeBusMessage`. */
  async send(message: BusMessage, opts: SendOptions): Promise<void> {
    await this.sendBatch([{ message, ...opts }]);
  }

  /** See {@link Bus.sendBatch}; validates every entry, then one transaction. */
  async sendBatch(entries: readonly BusEntry[]): Promise<void> {
    const encoded = entries.map((entry) => ({
      groupId: entry.groupId,
      dedupId: entry.dedupId,
      body: encodeBusMessage(entry.message, entry),
    }));
    const added = await this.guard(() => this.sendAll(encoded));
    if (added) this.notify();
  }

  /** See {@link BusConsumer.receive}. */
  async receive(
    max: number,
    visibilityMs?: number,
  ): Promise<ReceivedMessage[]> {
    checkReceive(max, visibilityMs);
    await this.sweep();
    // Read first, so an idle poll never takes the write lock.
    const ready = await this.guard(() => this.heads(this.clock.now()));
    if (ready.length === 0) return [];
    const rows = await this.guard(() =>
      this.receiveAll(max, visibilityMs ?? this.visibilityMs),
    );
    return rows.map(([row, receipt]) => ({
      messageId: row.message_id,
      groupId: row.group_id,
      body: row.body,
      receiveCount: row.receive_count,
      receipt,
    }));
  }

  /**
   * Forgets expired dedup ids, a bounded chunk per call while any are left,
   * then again after `SWEEP_EVERY_MS`: on the consumer's side, so a sender
   * (the HTTP process) never pays for it, and only when there is something
   * to delete, so an idle poll stays read-only. Housekeeping never fails a
   * receive: a sweep that cannot get the lock is tried a period later.
   */
  private async sweep(): Promise<void> {
    const now = this.clock.now();
    if (now < this.sweepAt) return;
    this.sweepAt = now + SWEEP_EVERY_MS;
    try {
      const due = await this.guard(() => this.sql.anyExpired.get(now));
      if (due === undefined) return;
      const swept = await this.guard(
        () => this.sql.sweepDedup.run(now, SWEEP_CHUNK).changes,
      );
      if (swept === SWEEP_CHUNK) this.sweepAt = now;
    } catch {
      // Next period.
    }
  }

  /** See {@link BusConsumer.ack}. */
  async ack(receipt: string): Promise<void> {
    const changes = await this.guard(() => this.sql.ack.run(receipt).changes);
    if (changes > 0) this.notify();
  }

  /** See {@link BusConsumer.nack}. */
  async nack(receipt: string, delayMs = 0): Promise<void> {
    checkDelay('delayMs', delayMs);
    const visibleAt = this.clock.now() + delayMs;
    const statement = delayMs === 0 ? this.sql.handBack : this.sql.delay;
    const changes = await this.guard(
      () => statement.run(visibleAt, receipt).changes,
    );
    if (changes > 0 && delayMs === 0) this.notify();
  }

  /** See {@link BusConsumer.deadLetters}: oldest death first. */
  async deadLetters(): Promise<DeliveredMessage[]> {
    const rows = await this.guard(() => this.sql.dead.all());
    return rows.map((row) => ({
      messageId: row.message_id,
      groupId: row.group_id,
      body: row.body,
      receiveCount: row.receive_count,
    }));
  }

  /** Inside the send transaction: false when every dedupId was seen. */
  private enqueue(entries: readonly Encoded[]): boolean {
    const now = this.clock.now();
    let added = false;
    for (const entry of entries) {
      const until = now + DEDUP_WINDOW_MS;
      if (!this.sql.claimDedup.get(entry.dedupId, until, now)) continue;
      this.sql.insert.run(randomUUID(), entry.groupId, entry.body);
      added = true;
    }
    return added;
  }

  /**
   * Each group's head (one index seek per group) that may be received now:
   * not in flight, or in flight past its visibility timeout; oldest first.
   */
  private heads(now: number): HeadRow[] {
    const heads: HeadRow[] = [];
    for (
      let head = this.sql.nextHead.get('');
      head !== undefined;
      head = this.sql.nextHead.get(head.group_id)
    ) {
      if (head.receipt === null || head.visible_ms <= now) heads.push(head);
    }
    return heads.sort((a, b) => a.seq - b.seq);
  }

  /**
   * Inside the receive transaction: hands expired receipts back, buries
   * exhausted heads, and takes the oldest heads up to `max`.
   */
  private takeHeads(max: number, visibilityMs: number): Taken[] {
    const now = this.clock.now();
    this.sql.release.run(now);
    const taken: Taken[] = [];
    for (const first of this.heads(now)) {
      if (taken.length >= max) break;
      const head = this.liveHead(first, now);
      if (head === undefined) continue;
      const receipt = randomUUID();
      const row = this.sql.take.get(receipt, now + visibilityMs, head.seq);
      if (row) taken.push([row, receipt]);
    }
    return taken;
  }

  /** The group's first message below `maxReceives`; the others die. */
  private liveHead(head: HeadRow, now: number): HeadRow | undefined {
    let current: HeadRow | undefined = head;
    while (current && current.receive_count >= this.maxReceives) {
      this.sql.bury.run(now, current.seq);
      current = this.sql.headOf.get(current.group_id);
    }
    return current;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** A received row and its new receipt. */
type Taken = [MessageRow, string];

interface Encoded {
  groupId: string;
  dedupId: string;
  body: string;
}

import { randomUUID } from 'node:crypto';
import type {
  Bus,
  BusConsumer,
  BusEntry,
  BusMessage,
  DeliveredMessage,
  ReceivedMessage,
  SendOptions,
} from '../../ports/bus.js';
import {
  checkDuration,
  checkReceive,
  DEDUP_WINDOW_MS,
  encodeBusMessage,
} from '../../ports/bus.js';
import type { Clock } from '../../ports/clock.js';

/** Options of {@link MemoryBus}. */
export interface MemoryBusOptions {
  /** Drives visibility timeouts and the dedup window. */
  clock: Clock;
  /** Receives after which an unacked message is dead-lettered (default 5). */
  maxReceives?: number;
  /** Visibility timeout when `receive` gives none (default 30 s). */
  visibilityMs?: number;
}

interface Stored {
  messageId: string;
  groupId: string;
  body: string;
  receiveCount: number;
}

interface InFlight {
  message: Stored;
  visibleAt: number;
}

/**
 * In-process bus with SQS FIFO semantics, for the local stack and tests:
 * per-group order with at most one message of a group in flight, groups in
 * parallel, dedup by dedupId for 5 minutes, visibility timeouts, receive
 * counts and a dead-letter list after `maxReceives`. Time comes only from
 * the injected clock: expired visibility is noticed on the next `receive`.
 *
 * @example
 * ```ts
 * const bus = new MemoryBus({ clock: systemClock, maxReceives: 5 });
 * const stop = bus.onMessage(() => worker.wake());
 * await bus.send(message, { groupId: groupIdOf(message), dedupId: 'job-1' });
 * const [received] = await bus.receive(1);
 * ```
 */
export class MemoryBus implements Bus, BusConsumer {
  private readonly clock: Clock;
  private readonly maxReceives: number;
  private readonly visibilityMs: number;
  /** Waiting messages per group, oldest first; Map order is fairness. */
  private readonly groups = new Map<string, Stored[]>();
  private readonly inFlight = new Map<string, InFlight>();
  /** Groups with a message in flight (so their next one is held back). */
  private readonly lockedGroups = new Set<string>();
  /** dedupId -> the instant it may be used again. */
  private readonly dedup = new Map<string, number>();
  private readonly dead: Stored[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(options: MemoryBusOptions) {
    this.clock = options.clock;
    this.maxReceives = options.maxReceives ?? 5;
    this.visibilityMs = options.visibilityMs ?? 30_000;
  }

  /**
   * Registers a listener called (synchronously) whenever a message may have
   * become receivable: a send, an ack or a nack. Visibility expiry is
   * clock-driven and not notified, so a worker still polls now and then.
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
    const body = encodeBusMessage(message, opts);
    if (this.enqueue(body, opts)) this.notify();
  }

  /** See {@link Bus.sendBatch}; validates every entry before enqueuing. */
  async sendBatch(entries: readonly BusEntry[]): Promise<void> {
    const encoded = entries.map((entry) => ({
      opts: entry,
      body: encodeBusMessage(entry.message, entry),
    }));
    let added = false;
    for (const { body, opts } of encoded) {
      added = this.enqueue(body, opts) || added;
    }
    if (added) this.notify();
  }

  /** See {@link BusConsumer.receive}. */
  async receive(
    max: number,
    visibilityMs?: number,
  ): Promise<ReceivedMessage[]> {
    checkReceive(max, visibilityMs);
    const now = this.clock.now();
    this.releaseExpired(now);
    const visibleAt = now + (visibilityMs ?? this.visibilityMs);
    const received: ReceivedMessage[] = [];
    for (const [groupId, waiting] of this.groups) {
      if (received.length >= max) break;
      if (this.lockedGroups.has(groupId)) continue;
      const message = this.takeHead(waiting);
      if (waiting.length === 0) this.groups.delete(groupId);
      if (!message) continue;
      const receipt = randomUUID();
      message.receiveCount += 1;
      this.inFlight.set(receipt, { message, visibleAt });
      this.lockedGroups.add(groupId);
      received.push({ ...message, receipt });
    }
    return received;
  }

  /** See {@link BusConsumer.ack}. */
  async ack(receipt: string): Promise<void> {
    const held = this.inFlight.get(receipt);
    if (!held) return;
    this.inFlight.delete(receipt);
    this.lockedGroups.delete(held.message.groupId);
    this.notify();
  }

  /** See {@link BusConsumer.nack}. */
  async nack(receipt: string, delayMs = 0): Promise<void> {
    checkDuration('delayMs', delayMs);
    const held = this.inFlight.get(receipt);
    if (!held) return;
    held.visibleAt = this.clock.now() + delayMs;
    if (delayMs === 0) {
      this.releaseExpired(this.clock.now());
      this.notify();
    }
  }

  /** See {@link BusConsumer.deadLetters}: oldest first. */
  async deadLetters(): Promise<DeliveredMessage[]> {
    return this.dead.map((message) => ({ ...message }));
  }

  /** Returns false when the dedupId was seen within the window. */
  private enqueue(body: string, opts: SendOptions): boolean {
    const now = this.clock.now();
    // Insertion order is expiry order: stop at the first live entry.
    for (const [dedupId, until] of this.dedup) {
      if (until > now) break;
      this.dedup.delete(dedupId);
    }
    if (this.dedup.has(opts.dedupId)) return false;
    this.dedup.set(opts.dedupId, now + DEDUP_WINDOW_MS);
    const waiting = this.groups.get(opts.groupId) ?? [];
    waiting.push({
      messageId: randomUUID(),
      groupId: opts.groupId,
      body,
      receiveCount: 0,
    });
    this.groups.set(opts.groupId, waiting);
    return true;
  }

  /** The group's next deliverable message; exhausted ones go to the DLQ. */
  private takeHead(waiting: Stored[]): Stored | undefined {
    let head = waiting.shift();
    while (head && head.receiveCount >= this.maxReceives) {
      this.dead.push(head);
      head = waiting.shift();
    }
    return head;
  }

  /** Puts messages whose visibility ran out back at the head of their group. */
  private releaseExpired(now: number): void {
    for (const [receipt, held] of this.inFlight) {
      if (held.visibleAt > now) continue;
      this.inFlight.delete(receipt);
      const { groupId } = held.message;
      this.lockedGroups.delete(groupId);
      this.groups.set(groupId, [
        held.message,
        ...(this.groups.get(groupId) ?? []),
      ]);
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

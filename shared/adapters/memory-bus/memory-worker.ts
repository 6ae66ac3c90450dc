import type { BusConsumer, ReceivedMessage } from '../../ports/bus.js';
import { MAX_BATCH } from '../../ports/bus.js';

/** Options of {@link runWorker}. */
export interface WorkerOptions {
  consumer: BusConsumer;
  /** Resolves: the message is acked. Throws: it is nacked and retried. */
  handle: (message: ReceivedMessage) => Promise<void>;
  /** Stops receiving; `runWorker` then waits for in-flight handlers. */
  signal: AbortSignal;
  /** Messages handled at once, across groups (default 1). */
  concurrency?: number;
  /** Visibility timeout passed to `receive` (default: the consumer's). */
  visibilityMs?: number;
  /** Delay before a failed message is visible again (default 0). */
  retryDelayMs?: number;
  /** Poll interval while idle; catches clock-driven redeliveries (100). */
  idleMs?: number;
  /** Wakes the worker without waiting for the poll, e.g. `bus.onMessage`. */
  subscribe?: (wake: () => void) => () => void;
  /** Reports handler, receive, ack and nack failures; they never stop it. */
  onError?: (error: unknown, message?: ReceivedMessage) => void;
}

/** A wake-up flag: a wake while nobody waits is kept for the next wait. */
class Waker {
  private pending = false;
  private resolve: (() => void) | undefined;

  readonly wake = (): void => {
    if (this.resolve) {
      this.resolve();
      this.resolve = undefined;
    } else {
      this.pending = true;
    }
  };

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), ms);
      this.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Lets pending I/O (HTTP requests sharing the loop) run first. */
const yieldToIo = (): Promise<void> =>
  new Promise((resolve) => setImmediate(resolve));

/**
 * Drains a {@link BusConsumer} until `signal` aborts: each message goes to
 * `handle`; success acks it, a throw nacks it (so it is retried until the
 * queue dead-letters it). Messages of one group are handled one after the
 * other even if a receive returns several; groups run in parallel up to
 * `concurrency`. Resolves once every in-flight handler has settled.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * const done = runWorker({
 *   consumer: bus,
 *   handle: async (m) => dispatch(parseBusMessage(m.body)),
 *   concurrency: 4,
 *   signal: stop.signal,
 *   subscribe: (wake) => bus.onMessage(wake),
 * });
 * stop.abort();
 * await done;
 * ```
 */
export async function runWorker(options: WorkerOptions): Promise<void> {
  const { signal } = options;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const waker = new Waker();
  const inFlight = new Set<Promise<void>>();
  const groupTails = new Map<string, Promise<void>>();

  const start = (message: ReceivedMessage): void => {
    const previous = groupTails.get(message.groupId) ?? Promise.resolve();
    // Yield to I/O first: with synchronous store calls, chained handlers
    // would otherwise starve the HTTP server sharing this event loop.
    const task = previous
      .then(() => yieldToIo())
      .then(() => settleOne(options, message));
    groupTails.set(message.groupId, task);
    inFlight.add(task);
    void task.finally(() => {
      inFlight.delete(task);
      if (groupTails.get(message.groupId) === task) {
        groupTails.delete(message.groupId);
      }
      waker.wake();
    });
  };

  const unsubscribe = options.subscribe?.(waker.wake);
  signal.addEventListener('abort', waker.wake);
  try {
    while (!signal.aborted) {
      const free = Math.min(concurrency - inFlight.size, MAX_BATCH);
      const batch = free > 0 ? await receiveSafely(options, free) : [];
      for (const message of batch) start(message);
      if (batch.length === 0) await waker.wait(options.idleMs ?? 100);
    }
  } finally {
    unsubscribe?.();
    signal.removeEventListener('abort', waker.wake);
    await Promise.allSettled(inFlight);
  }
}

async function receiveSafely(
  options: WorkerOptions,
  max: number,
): Promise<ReceivedMessage[]> {
  try {
    return await options.consumer.receive(max, options.visibilityMs);
  } catch (error) {
    options.onError?.(error);
    return [];
  }
}

/** Handles one message and acks or nacks it; never rejects. */
async function settleOne(
  options: WorkerOptions,
  message: ReceivedMessage,
): Promise<void> {
  const { consumer, onError } = options;
  try {
    await options.handle(message);
  } catch (error) {
    onError?.(error, message);
    await consumer
      .nack(message.receipt, options.retryDelayMs ?? 0)
      .catch((nackError: unknown) => onError?.(nackError, message));
    return;
  }
  await consumer
    .ack(message.receipt)
    .catch((ackError: unknown) => onError?.(ackError, message));
}

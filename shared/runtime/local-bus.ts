import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryBus } from '../adapters/memory-bus/memory-bus.js';
import {
  runWorker,
  type WorkerOptions,
} from '../adapters/memory-bus/memory-worker.js';
import { SqliteBus } from '../adapters/sqlite/sqlite-bus.js';
import { handleBusRecord } from '../http/bus-record.js';
import type { Deps } from './deps.js';

/** Messages handled at once across groups; one group stays in order. */
export const LOCAL_BUS_CONCURRENCY = 4;
/** Delay before a failed message is retried locally. */
export const LOCAL_RETRY_DELAY_MS = 1000;
/**
 * Share of the time the bus worker may take while HTTP is busy: enough to
 * make progress through a flood, little enough that its CPU, its git forks
 * and (from a worker process) its commits, which make the HTTP process's
 * connection reload its page cache, do not slow the answers down.
 */
export const LOCAL_BUS_SHARE_UNDER_LOAD = 0.05;

/** A running local bus worker. */
export interface LocalBusWorker {
  /** Stops receiving and waits for the messages in hand. */
  stop(): Promise<void>;
}

/** Options of `startLocalBusWorker`. */
export interface LocalBusWorkerOptions {
  /** The bus to drain (default: `deps.bus` when it is a local bus). */
  bus?: MemoryBus | SqliteBus;
  onError?: WorkerOptions['onError'];
  concurrency?: number;
  retryDelayMs?: number;
  /**
   * True while HTTP is busy (the local server's `busy()`); the worker then
   * takes at most `shareUnderLoad` of the time. Absent: never busy.
   */
  busy?: () => boolean;
  /** Default {@link LOCAL_BUS_SHARE_UNDER_LOAD}. */
  shareUnderLoad?: number;
}

/** Paces message handling; see {@link sharePacer}. */
export interface Pacer {
  /** Resolves when the next message may start. */
  ready(): Promise<void>;
  /** Reports that a message started at `startedAt` (of `now`) is done. */
  done(startedAt: number): void;
  now(): number;
}

/**
 * Bounds the bus worker's share of an event loop it shares with HTTP:
 * while `busy()` is false messages run back to back; while it is true a
 * message that took `d` ms is followed by a pause of `d * (1 - share) /
 * share` (checked every few ms, so the pause ends as soon as HTTP is idle).
 * Under a steady flood the backlog waits on the bus (durable in the local
 * stack) and is worked off at `share` meanwhile and in full afterwards.
 * @example
 * const pacer = sharePacer(() => server.busy(), 0.05);
 */
export function sharePacer(
  busy: () => boolean,
  share: number,
  now: () => number = () => performance.now(),
): Pacer {
  const ratio = (1 - share) / share;
  let readyAt = 0;
  return {
    now,
    async ready() {
      while (busy() && now() < readyAt) {
        await sleep(Math.min(readyAt - now(), 5));
      }
    },
    done(startedAt) {
      const finished = now();
      readyAt = finished + (finished - startedAt) * ratio;
    },
  };
}

/**
 * Drains the local bus with the queue processor's record handling
 * (`handleBusRecord`: parse, idempotency claim, `dispatchBusMessage`,
 * poison messages acknowledged), `LOCAL_BUS_CONCURRENCY` groups at a time
 * and FIFO within a group, as the SQS event source does in AWS, paced by
 * {@link sharePacer} when `busy` is given. Drains the in-process bus or the
 * durable SQLite bus; with an SQS queue configured it does nothing.
 * @example
 * const worker = startLocalBusWorker(deps, { onError: console.error });
 * await worker.stop();
 */
export function startLocalBusWorker(
  deps: Deps,
  options: LocalBusWorkerOptions = {},
): LocalBusWorker {
  const bus = options.bus ?? deps.bus;
  if (!(bus instanceof MemoryBus || bus instanceof SqliteBus)) {
    return { stop: async () => undefined };
  }
  const pacer = sharePacer(
    options.busy ?? (() => false),
    options.shareUnderLoad ?? LOCAL_BUS_SHARE_UNDER_LOAD,
  );
  const controller = new AbortController();
  const done = runWorker({
    consumer: bus,
    handle: async (message) => {
      await pacer.ready();
      const startedAt = pacer.now();
      try {
        await handleBusRecord(deps, {
          messageId: message.messageId,
          body: message.body,
        });
      } finally {
        pacer.done(startedAt);
      }
    },
    signal: controller.signal,
    concurrency: options.concurrency ?? LOCAL_BUS_CONCURRENCY,
    retryDelayMs: options.retryDelayMs ?? LOCAL_RETRY_DELAY_MS,
    subscribe: (wake) => bus.onMessage(wake),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return {
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

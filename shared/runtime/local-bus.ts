import { MemoryBus } from '../adapters/memory-bus/memory-bus.js';
import {
  runWorker,
  type WorkerOptions,
} from '../adapters/memory-bus/memory-worker.js';
import { handleBusRecord } from '../http/bus-record.js';
import type { Deps } from './deps.js';

/** Messages handled at once across groups; one group stays in order. */
export const LOCAL_BUS_CONCURRENCY = 4;
/** Delay before a failed message is retried locally. */
export const LOCAL_RETRY_DELAY_MS = 1000;

/** A running local bus worker. */
export interface LocalBusWorker {
  /** Stops receiving and waits for the messages in hand. */
  stop(): Promise<void>;
}

/** Options of `startLocalBusWorker`. */
export interface LocalBusWorkerOptions {
  /** The bus to drain (default: `deps.bus` when it is a memory bus). */
  bus?: MemoryBus;
  onError?: WorkerOptions['onError'];
  concurrency?: number;
  retryDelayMs?: number;
}

/**
 * Drains the in-process bus with the queue processor's record handling
 * (`handleBusRecord`: parse, idempotency claim, `dispatchBusMessage`,
 * poison messages acknowledged), `LOCAL_BUS_CONCURRENCY` groups at a time
 * and FIFO within a group, as the SQS event source does in AWS. Without a
 * memory bus (an SQS queue is configured) it does nothing.
 * @example
 * const worker = startLocalBusWorker(deps, { onError: console.error });
 * await worker.stop();
 */
export function startLocalBusWorker(
  deps: Deps,
  options: LocalBusWorkerOptions = {},
): LocalBusWorker {
  const bus = options.bus ?? deps.bus;
  if (!(bus instanceof MemoryBus)) return { stop: async () => undefined };
  const controller = new AbortController();
  const done = runWorker({
    consumer: bus,
    handle: async (message) => {
      await handleBusRecord(deps, {
        messageId: message.messageId,
        body: message.body,
      });
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

import {
  processQueue,
  type QueueRunResult,
} from '../domain/engine/process-queue.js';
import { allIntents } from '../domain/engine/queue-admin.js';
import { buildEvent, newTraceId } from '../domain/event.js';
import type { Intent } from '../domain/intent.js';
import type { Deps } from './deps.js';

/** One branch of the queue: intents are serialised per (tenant, repo, target). */
export interface Branch {
  tenantId: string | null;
  repo: string | undefined;
  target: string;
}

/** The branches that have READY, VALIDATED or QUEUED intents. */
export async function activeBranches(deps: Deps): Promise<Branch[]> {
  const branches = new Map<string, Branch>();
  for (const status of ['READY', 'VALIDATED', 'QUEUED'] as const) {
    for (const intent of await allIntents(deps.store, null, status)) {
      const branch = branchOf(intent);
      branches.set(JSON.stringify(branch), branch);
    }
  }
  return [...branches.values()];
}

function branchOf(intent: Intent): Branch {
  const repo = intent.technical.repo;
  return {
    tenantId: intent.tenantId,
    repo: typeof repo === 'string' ? repo : undefined,
    target: intent.target,
  };
}

/** One worker pass: every active branch's queue, one after another. */
export async function drainOnce(
  deps: Deps,
  holder: string,
): Promise<QueueRunResult[]> {
  const results: QueueRunResult[] = [];
  for (const branch of await activeBranches(deps)) {
    results.push(
      await processQueue(deps, {
        tenantId: branch.tenantId,
        ...(branch.repo === undefined ? {} : { repo: branch.repo }),
        target: branch.target,
        holder,
        autoConfirm: deps.env.CONVERGE_AUTO_MERGE,
        skipChecks: deps.env.CONVERGE_SKIP_CHECKS,
        lockTtlMs: deps.env.CONVERGE_QUEUE_LOCK_TTL * 1000,
      }),
    );
  }
  return results;
}

async function appendWorkerEvent(
  deps: Deps,
  type: 'worker.started' | 'worker.stopped',
  holder: string,
): Promise<void> {
  const event = buildEvent(
    { type, traceId: newTraceId(deps.ids), payload: { holder } },
    deps.ids,
    deps.clock.nowIso(),
  );
  await deps.store.events.append(event);
}

/** A running worker; `stop()` lets the current pass finish. */
export interface QueueWorker {
  stop(): Promise<void>;
  /** Runs a pass now instead of waiting for the interval. */
  wake(): void;
}

/**
 * The worker that drains the queue without any CLI call (DECISIONS 3): a
 * pass every interval, or sooner when woken; errors are reported and the
 * loop goes on.
 */
export function startQueueWorker(
  deps: Deps,
  options: { holder: string; intervalMs: number; onError(e: unknown): void },
): QueueWorker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = appendWorkerEvent(
    deps,
    'worker.started',
    options.holder,
  );
  const pass = () => {
    if (stopped) return;
    clearTimeout(timer);
    running = running
      .then(() => drainOnce(deps, options.holder))
      .then(() => undefined, options.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(pass, options.intervalMs);
      });
  };
  timer = setTimeout(pass, 0);
  return {
    wake: pass,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await appendWorkerEvent(deps, 'worker.stopped', options.holder);
    },
  };
}

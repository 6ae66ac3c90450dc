import type { LockInfo } from '../../ports/store.js';
import { buildEvent, newTraceId } from '../event.js';
import type { Intent } from '../intent.js';
import type { EngineDeps } from './engine-deps.js';
import { processIsolated, type QueueDecision } from './queue-step.js';
import { runTrain } from './queue-train.js';
import type { LeaseKeeper, QueueRunOptions } from './queue-types.js';

export type { QueueRunOptions } from './queue-types.js';

/** The outcome of one run: decisions, or the lock that was busy. */
export type QueueRunResult =
  | { decisions: QueueDecision[]; lock?: undefined }
  | { decisions: []; error: string; lock: LockInfo | null };

/** The lock name of one branch: per (tenant, repo, target). */
export function queueLockName(
  tenantId: string | null,
  repo: string | undefined,
  target: string,
): string {
  return `queue:${tenantId ?? '-'}:${repo ?? '-'}:${target}`;
}

function belongsToBranch(intent: Intent, options: QueueRunOptions): boolean {
  const repo = intent.technical.repo;
  const repoMatches =
    options.repo === undefined || repo === undefined || repo === options.repo;
  return intent.target === options.target && repoMatches;
}

/** Intents the queue works on: READY (to validate) and VALIDATED, in order. */
async function candidates(
  deps: EngineDeps,
  options: QueueRunOptions,
): Promise<Intent[]> {
  const limit = options.limit ?? 20;
  const tenant = options.tenantId ?? undefined;
  const found: Intent[] = [];
  for (const status of ['VALIDATED', 'READY', 'QUEUED'] as const) {
    let cursor: string | undefined;
    do {
      const page = await deps.store.intents.list(
        tenant === undefined ? { status } : { status, tenantId: tenant },
        cursor === undefined ? { limit: 200 } : { limit: 200, cursor },
      );
      found.push(...page.items.filter((i) => belongsToBranch(i, options)));
      cursor = page.cursor;
    } while (cursor !== undefined && found.length < limit * 4);
  }
  found.sort(
    (a, b) =>
      a.priority - b.priority ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.id.localeCompare(b.id),
  );
  return found.slice(0, limit);
}

/** Each intent alone: revalidated on the target's tip and merged. */
async function runOneByOne(
  deps: EngineDeps,
  waiting: readonly Intent[],
  options: QueueRunOptions,
  keepLease: LeaseKeeper,
): Promise<QueueDecision[]> {
  const decisions: QueueDecision[] = [];
  for (const intent of waiting) {
    if (!(await keepLease())) break;
    decisions.push(await processIsolated(deps, intent, options));
  }
  return decisions;
}

/** See {@link LeaseKeeper}: renews after a third of the TTL. */
function leaseKeeper(
  deps: EngineDeps,
  name: string,
  holder: string,
  ttlMs: number,
): LeaseKeeper {
  let renewedAt = deps.clock.now();
  return async () => {
    const now = deps.clock.now();
    if (now - renewedAt < ttlMs / 3) return true;
    const lock = await deps.store.locks.acquire(name, holder, ttlMs);
    renewedAt = now;
    return lock !== null;
  };
}

/**
 * Processes one branch's queue under its lock: each intent in priority then
 * age order is revalidated against the current target (invariant 2),
 * rejected after max retries (invariant 3), and merged when `autoConfirm`
 * (invariant 1 holds on the tested tree). With an Scm that has merge
 * trains, merges are staged on each other and the target moves once per
 * train (see `runTrain`). The lock's lease is renewed during the pass (a
 * third of the TTL at a time); a pass that lost it stops taking intents.
 * Emits queue.processed.
 */
export async function processQueue(
  deps: EngineDeps,
  options: QueueRunOptions,
): Promise<QueueRunResult> {
  const name = queueLockName(options.tenantId, options.repo, options.target);
  const ttl = options.lockTtlMs ?? 300_000;
  const lock = await deps.store.locks.acquire(name, options.holder, ttl);
  if (!lock) {
    const held = await deps.store.locks.info(name);
    return { decisions: [], error: `Queue lock held: ${name}`, lock: held };
  }
  const keepLease = leaseKeeper(deps, name, options.holder, ttl);
  try {
    const waiting = await candidates(deps, options);
    deps.metrics?.gauge('QueueDepth', waiting.length);
    const decisions =
      (await runTrain(deps, waiting, options, keepLease)) ??
      (await runOneByOne(deps, waiting, options, keepLease));
    await appendProcessed(deps, options, decisions.length);
    return { decisions };
  } finally {
    await deps.store.locks.release(name, options.holder);
  }
}

async function appendProcessed(
  deps: EngineDeps,
  options: QueueRunOptions,
  processed: number,
): Promise<void> {
  const event = buildEvent(
    {
      type: 'queue.processed',
      traceId: newTraceId(deps.ids),
      tenantId: options.tenantId,
      payload: {
        processed,
        limit: options.limit ?? 20,
        target: options.target,
        repo: options.repo ?? null,
      },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  await deps.store.events.append(event);
}

import type { LockInfo } from '../../ports/store.js';
import { TransientError } from '../errors.js';
import { buildEvent, newTraceId } from '../event.js';
import type { Intent } from '../intent.js';
import type { EngineDeps } from './engine-deps.js';
import { processIntent, type QueueDecision } from './queue-step.js';
import type { QueueRunOptions } from './queue-types.js';

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

/**
 * Processes one branch's queue under its lock: each intent in priority then
 * age order is revalidated against the current target (invariant 2),
 * rejected after max retries (invariant 3), and merged when `autoConfirm`
 * (invariant 1 holds on the tested tree). Emits queue.processed.
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
  try {
    const decisions: QueueDecision[] = [];
    const waiting = await candidates(deps, options);
    deps.metrics?.gauge('QueueDepth', waiting.length);
    for (const intent of waiting) {
      decisions.push(await processIsolated(deps, intent, options));
    }
    await appendProcessed(deps, options, decisions.length);
    return { decisions };
  } finally {
    await deps.store.locks.release(name, options.holder);
  }
}

/**
 * One intent, so that its failure does not stop the branch: a transient
 * failure (GitHub or the store throttling) ends the run to be retried; any
 * other error is reported for this intent and the queue goes on.
 */
async function processIsolated(
  deps: EngineDeps,
  intent: Intent,
  options: QueueRunOptions,
): Promise<QueueDecision> {
  try {
    return await processIntent(deps, intent, options);
  } catch (error) {
    if (error instanceof TransientError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return {
      intentId: intent.id,
      decision: 'error',
      reason,
      traceId: '',
      retries: intent.retries,
    };
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

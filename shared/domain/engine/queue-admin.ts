import type { Store } from '../../ports/store.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { buildEvent, newTraceId } from '../event.js';
import { INTENT_STATUSES, type Intent, type IntentStatus } from '../intent.js';
import { ACTIONABLE_STATUSES, assertTransition } from '../intent-state.js';
import type { EngineDeps } from './engine-deps.js';
import { queueLockName } from './process-queue.js';
import { moveIntent } from './queue-events.js';

/** Every intent matching a tenant, paging through the store. */
export async function allIntents(
  store: Store,
  tenantId: string | null,
  status?: IntentStatus,
): Promise<Intent[]> {
  const found: Intent[] = [];
  let cursor: string | undefined;
  do {
    const filter = {
      ...(tenantId === null ? {} : { tenantId }),
      ...(status === undefined ? {} : { status }),
    };
    const page = await store.intents.list(
      filter,
      cursor === undefined ? { limit: 500 } : { limit: 500, cursor },
    );
    found.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return found;
}

/** Queue state: counts by status and the pending intents in queue order. */
export async function queueState(store: Store, tenantId: string | null) {
  const intents = await allIntents(store, tenantId);
  const byStatus = Object.fromEntries(INTENT_STATUSES.map((s) => [s, 0]));
  for (const intent of intents) {
    byStatus[intent.status] = (byStatus[intent.status] ?? 0) + 1;
  }
  const pending = intents
    .filter((i) => ACTIONABLE_STATUSES.includes(i.status))
    .sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id));
  return { total: intents.length, by_status: byStatus, pending };
}

/** Reference `queue inspect`: filters by status, retries, actionability. */
export async function inspectQueue(
  store: Store,
  tenantId: string | null,
  filter: {
    status?: IntentStatus;
    minRetries?: number;
    onlyActionable?: boolean;
    limit?: number;
  },
): Promise<Intent[]> {
  const intents = await allIntents(store, tenantId, filter.status);
  return intents
    .filter((i) => i.retries >= (filter.minRetries ?? 0))
    .filter(
      (i) => !filter.onlyActionable || ACTIONABLE_STATUSES.includes(i.status),
    )
    .slice(0, filter.limit ?? 50);
}

/**
 * Reference `queue reset`: retries back to 0, optionally a new status (admin
 * force path, audited) and the branch lock cleared. Emits queue.reset.
 */
export async function resetIntent(
  deps: EngineDeps,
  input: {
    intentId: string;
    setStatus?: IntentStatus;
    clearLock?: { repo?: string; target: string };
    actor: string;
  },
): Promise<Intent> {
  const intent = await deps.store.intents.get(input.intentId);
  if (!intent) throw new NotFoundError(`Intent ${input.intentId} not found`);
  if (input.clearLock) {
    const { repo, target } = input.clearLock;
    await deps.store.locks.forceRelease(
      queueLockName(intent.tenantId, repo, target),
    );
  }
  const to = input.setStatus ?? intent.status;
  const event = buildEvent(
    {
      type: 'queue.reset',
      intentId: intent.id,
      tenantId: intent.tenantId,
      payload: {
        from: intent.status,
        to,
        retries_before: intent.retries,
        actor: input.actor,
      },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  return deps.store.intents.transition({
    id: intent.id,
    to,
    expectedVersion: intent.version,
    event,
    patch: { retries: 0 },
    force: true,
  });
}

/**
 * Reference `merge confirm`: only from QUEUED or VALIDATED; the SHA defaults
 * to `confirmed-{id[:8]}`. Emits intent.merged.
 * @throws NotFoundError; ValidationError from any other status.
 */
export async function confirmMerge(
  deps: EngineDeps,
  input: { intentId: string; mergedCommit?: string; actor: string },
): Promise<Intent> {
  const intent = await deps.store.intents.get(input.intentId);
  if (!intent) throw new NotFoundError(`Intent ${input.intentId} not found`);
  if (intent.status !== 'QUEUED' && intent.status !== 'VALIDATED') {
    throw new ValidationError(
      `Intent ${intent.id} is ${intent.status}; only QUEUED or VALIDATED can be confirmed`,
    );
  }
  assertTransition(intent.status, 'MERGED');
  const sha = input.mergedCommit ?? `confirmed-${intent.id.slice(0, 8)}`;
  return moveIntent(deps, intent, {
    to: 'MERGED',
    type: 'intent.merged',
    traceId: newTraceId(deps.ids),
    payload: {
      decision: 'merged',
      merged_commit: sha,
      confirmed_by: input.actor,
    },
  });
}

import { ConflictError } from '../errors.js';
import { buildEvent, newTraceId } from '../event.js';
import type { Intent } from '../intent.js';
import { recordProvenance } from '../provenance/record-provenance.js';
import { authorizeAgentMerge } from './agent-gate.js';
import { bindRepo, type EngineDeps } from './engine-deps.js';
import { moveIntent } from './queue-events.js';
import type { QueueRunOptions } from './queue-types.js';
import { unchangedSinceBlock } from './queue-waiting.js';
import { type ValidationOutcome, validateIntent } from './validate-intent.js';

/** What the queue did with one intent. */
export interface QueueDecision {
  intentId: string;
  decision:
    | 'queued'
    | 'merged'
    | 'blocked'
    | 'rejected'
    | 'requeued'
    | 'merge_failed'
    | 'dependency_blocked'
    | 'agent_denied'
    | 'waiting'
    | 'error';
  reason: string;
  traceId: string;
  retries: number;
  mergedSha?: string;
}

function decide(
  intent: Intent,
  decision: QueueDecision['decision'],
  reason: string,
  traceId: string,
): QueueDecision {
  return {
    intentId: intent.id,
    decision,
    reason,
    traceId,
    retries: intent.retries,
  };
}

async function unmetDependencies(deps: EngineDeps, intent: Intent) {
  const unmet: string[] = [];
  for (const id of intent.dependencies) {
    const dep = await deps.store.intents.get(id);
    if (dep?.status !== 'MERGED') unmet.push(id);
  }
  return unmet;
}

async function dependencyBlocked(
  deps: EngineDeps,
  intent: Intent,
  unmet: string[],
  traceId: string,
): Promise<QueueDecision> {
  const reason = `Waiting for dependencies: ${unmet.join(', ')}`;
  const event = buildEvent(
    {
      type: 'intent.dependency_blocked',
      traceId,
      intentId: intent.id,
      tenantId: intent.tenantId,
      payload: { unmet, reason },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  await deps.store.events.append(event);
  return decide(intent, 'dependency_blocked', reason, traceId);
}

/**
 * One intent through the queue: dependency gate, bounded retries
 * (invariant 3), revalidation against the current target (invariant 2),
 * the agent gate, then QUEUED and, with autoConfirm, the merge.
 */
export async function processIntent(
  baseDeps: EngineDeps,
  intent: Intent,
  options: QueueRunOptions,
): Promise<QueueDecision> {
  const deps = await bindRepo(baseDeps, intent);
  const traceId = newTraceId(deps.ids);
  const maxRetries = options.maxRetries ?? deps.policy.queue.max_retries;
  const unmet = await unmetDependencies(deps, intent);
  if (unmet.length > 0) return dependencyBlocked(deps, intent, unmet, traceId);
  if (intent.retries >= maxRetries) {
    const reason = `Max retries (${maxRetries}) exceeded`;
    const rejected = await moveIntent(deps, intent, {
      to: 'REJECTED',
      type: 'intent.rejected',
      traceId,
      payload: { decision: 'rejected', reason, retries: intent.retries },
    });
    deps.metrics?.count('IntentsRejected');
    return decide(rejected, 'rejected', reason, traceId);
  }
  if (intent.status === 'READY' && (await unchangedSinceBlock(deps, intent))) {
    const reason = 'Blocked; waiting for a new push or a target change';
    return decide(intent, 'waiting', reason, traceId);
  }
  const outcome = await validateIntent(deps, intent.id, {
    traceId,
    ...(options.skipChecks ? { skipChecks: true } : {}),
  });
  if (outcome.decision === 'blocked') {
    return retryOrReject(deps, outcome, maxRetries);
  }
  return admit(deps, outcome, options);
}

async function retryOrReject(
  deps: EngineDeps,
  outcome: ValidationOutcome,
  maxRetries: number,
): Promise<QueueDecision> {
  const intent = outcome.intent;
  const retries = intent.retries + 1;
  const reason = outcome.reasons.join('; ');
  const reject = retries >= maxRetries;
  const moved = await moveIntent(deps, intent, {
    to: reject ? 'REJECTED' : 'READY',
    type: reject ? 'intent.rejected' : 'intent.requeued',
    traceId: outcome.traceId,
    payload: {
      decision: reject ? 'rejected' : 'blocked',
      reason,
      retries,
      source_sha: outcome.simulation.sourceSha,
      target_sha: outcome.simulation.targetSha,
    },
    retries,
  });
  if (reject) deps.metrics?.count('IntentsRejected');
  return decide(
    moved,
    reject ? 'rejected' : 'requeued',
    reason,
    outcome.traceId,
  );
}

async function admit(
  deps: EngineDeps,
  outcome: ValidationOutcome,
  options: QueueRunOptions,
): Promise<QueueDecision> {
  const { traceId } = outcome;
  const auth = await authorizeAgentMerge(
    deps,
    outcome.intent,
    outcome.risk,
    traceId,
  );
  if (auth && !auth.allowed) {
    const reason = `Agent not authorized: ${auth.reasons.join('; ')}`;
    return decide(outcome.intent, 'agent_denied', reason, traceId);
  }
  const queued = await moveIntent(deps, outcome.intent, {
    to: 'QUEUED',
    type: 'intent.status_changed',
    traceId,
    payload: { from: 'VALIDATED', to: 'QUEUED', reason: 'revalidated' },
  });
  if (!options.autoConfirm) {
    return decide(queued, 'queued', 'Revalidated against the target', traceId);
  }
  return withProvenance(deps, await mergeQueued(deps, queued, outcome));
}

/**
 * Every merge leaves a provenance record in the same flow; failing to
 * record never undoes the merge, and the decision says so.
 */
async function withProvenance(
  deps: EngineDeps,
  decision: QueueDecision,
): Promise<QueueDecision> {
  const { intentId, traceId, mergedSha } = decision;
  if (decision.decision !== 'merged' || !mergedSha) return decision;
  try {
    await recordProvenance(deps, { intentId, traceId, mergedSha });
    return decision;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ...decision,
      reason: `Merged; provenance not recorded: ${message}`,
    };
  }
}

async function mergeQueued(
  deps: EngineDeps,
  intent: Intent,
  outcome: ValidationOutcome,
): Promise<QueueDecision> {
  const sim = outcome.simulation;
  const { traceId } = outcome;
  try {
    if (!sim.treeSha) throw new ConflictError('No tested tree to merge');
    const { mergedSha } = await deps.scm.merge({
      // The tested commit, not the branch: a later push is not merged.
      source: sim.sourceSha,
      target: intent.target,
      expectedTargetSha: sim.targetSha,
      treeSha: sim.treeSha,
      message: `Merge ${intent.id} (${traceId})`,
    });
    const merged = await moveIntent(deps, intent, {
      to: 'MERGED',
      type: 'intent.merged',
      traceId,
      payload: {
        decision: 'merged',
        merged_commit: mergedSha,
        tree_sha: sim.treeSha,
        target_sha: sim.targetSha,
        source_sha: sim.sourceSha,
      },
    });
    deps.metrics?.count('IntentsMerged');
    return { ...decide(merged, 'merged', 'Merged', traceId), mergedSha };
  } catch (error) {
    return mergeFailed(deps, intent, traceId, error);
  }
}

/** DECISIONS 11: a failed merge never marks MERGED; retry or reject. */
async function mergeFailed(
  deps: EngineDeps,
  intent: Intent,
  traceId: string,
  error: unknown,
): Promise<QueueDecision> {
  const reason = error instanceof Error ? error.message : String(error);
  const retries = intent.retries + 1;
  const maxRetries = deps.policy.queue.max_retries;
  const moved = await moveIntent(deps, intent, {
    to: retries >= maxRetries ? 'REJECTED' : 'READY',
    type: 'intent.merge_failed',
    traceId,
    payload: { decision: 'merge_failed', reason, retries },
    retries,
  });
  if (moved.status === 'REJECTED') deps.metrics?.count('IntentsRejected');
  return decide(moved, 'merge_failed', reason, traceId);
}

import { TransientError } from '../errors.js';
import { buildEvent, newTraceId } from '../event.js';
import type { Intent } from '../intent.js';
import { authorizeAgentMerge } from './agent-gate.js';
import { bindRepo, type EngineDeps } from './engine-deps.js';
import { decide, type QueueDecision } from './queue-decision.js';
import { moveIntent } from './queue-events.js';
import {
  alreadyInTarget,
  mergeQueued,
  recordMerged,
  withProvenance,
} from './queue-merge.js';
import type { QueueRunOptions } from './queue-types.js';
import { unchangedSinceBlock } from './queue-waiting.js';
import { type ValidationOutcome, validateIntent } from './validate-intent.js';

export type { QueueDecision } from './queue-decision.js';

/**
 * Takes over the merge of a revalidated, QUEUED intent (a merge train
 * stages it instead of merging it alone).
 */
export type MergeStep = (
  deps: EngineDeps,
  queued: Intent,
  outcome: ValidationOutcome,
) => Promise<QueueDecision>;

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
  mergeStep?: MergeStep,
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
  return admit(deps, outcome, options, mergeStep);
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
  mergeStep: MergeStep | undefined,
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
  if (alreadyInTarget(outcome)) {
    const sim = outcome.simulation;
    const reason = 'Already in the target: its tested commit is on it';
    return withProvenance(
      deps,
      await recordMerged(deps, queued, outcome, sim.targetSha, reason),
    );
  }
  if (mergeStep) return mergeStep(deps, queued, outcome);
  return withProvenance(deps, await mergeQueued(deps, queued, outcome));
}

/**
 * One intent, so that its failure does not stop the branch: a transient
 * failure (GitHub or the store throttling) ends the run to be retried; any
 * other error is reported for this intent and the queue goes on.
 */
export async function processIsolated(
  deps: EngineDeps,
  intent: Intent,
  options: QueueRunOptions,
  mergeStep?: MergeStep,
): Promise<QueueDecision> {
  try {
    return await processIntent(deps, intent, options, mergeStep);
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

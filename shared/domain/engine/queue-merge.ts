import { ConflictError } from '../errors.js';
import type { Intent } from '../intent.js';
import { recordProvenance } from '../provenance/record-provenance.js';
import type { EngineDeps } from './engine-deps.js';
import { decide, type QueueDecision } from './queue-decision.js';
import { moveIntent } from './queue-events.js';
import type { ValidationOutcome } from './validate-intent.js';

/** The merge commit message of one intent (one trace). */
export function mergeMessage(intent: Intent, traceId: string): string {
  return `Merge ${intent.id} (${traceId})`;
}

/**
 * Every merge leaves a provenance record in the same flow; failing to
 * record never undoes the merge, and the decision says so.
 */
export async function withProvenance(
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

/**
 * Marks a QUEUED intent MERGED once its merge commit is on the target:
 * the event names the commit, the tested tree and both tested tips.
 */
export async function recordMerged(
  deps: EngineDeps,
  intent: Intent,
  outcome: ValidationOutcome,
  mergedSha: string,
  reason = 'Merged',
): Promise<QueueDecision> {
  const sim = outcome.simulation;
  const { traceId } = outcome;
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
      ...(reason === 'Merged' ? {} : { reason }),
    },
  });
  deps.metrics?.count('IntentsMerged');
  return { ...decide(merged, 'merged', reason, traceId), mergedSha };
}

/**
 * True when the tested source commit is already in the target (it is the
 * merge base): a merge would only add an empty merge commit. This is how a
 * queue pass finishes the intents of a merge train whose branch move landed
 * before a crash could mark them MERGED, and an intent whose branch was
 * merged by other means.
 */
export function alreadyInTarget(outcome: ValidationOutcome): boolean {
  const sim = outcome.simulation;
  return sim.mergeBaseSha !== null && sim.mergeBaseSha === sim.sourceSha;
}

/** Merges a QUEUED intent on its own: one CAS on the target. */
export async function mergeQueued(
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
      message: mergeMessage(intent, traceId),
    });
    return await recordMerged(deps, intent, outcome, mergedSha);
  } catch (error) {
    return mergeFailed(deps, intent, traceId, error);
  }
}

/** DECISIONS 11: a failed merge never marks MERGED; retry or reject. */
export async function mergeFailed(
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

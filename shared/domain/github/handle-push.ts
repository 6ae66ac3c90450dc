import type { Intent } from '../intent.js';
import {
  type Branch,
  branchOf,
  type GithubResult,
  intentsOfRepo,
  moveIntent,
  processBranches,
} from './github-intents.js';
import type { DeliveryContext, GithubDeps, PushInput } from './github-types.js';

/** A push already applied: READY on this head (a redelivery, or synchronize). */
function alreadyRequeued(intent: Intent, after: string): boolean {
  return (
    intent.status === 'READY' && intent.technical.initial_base_commit === after
  );
}

async function requeue(
  deps: GithubDeps,
  ctx: DeliveryContext,
  intent: Intent,
  input: PushInput,
): Promise<Intent> {
  return moveIntent(deps, ctx, intent, {
    to: 'READY',
    type: 'intent.requeued',
    payload: {
      trigger: 'push_revalidation',
      ref: `refs/heads/${input.branch}`,
      before: input.before,
      after: input.after,
    },
    patch: {
      technical: {
        ...intent.technical,
        head_sha: input.after,
        initial_base_commit: input.after,
      },
    },
  });
}

/**
 * `push` to `refs/heads/<branch>`:
 * - READY or VALIDATED intents of the same repository (same tenant) whose
 *   source is the branch go back to READY with the new head in
 *   `technical.initial_base_commit` (`intent.requeued`, trigger
 *   `push_revalidation`); another repository's intents are never touched;
 * - their branches, and the branch itself when it is the target of an
 *   active intent, get a process-branch message, so the queue revalidates
 *   on its own (DECISIONS 3).
 * @throws ConflictError when another writer got there first (retry).
 */
export async function handlePush(
  deps: GithubDeps,
  ctx: DeliveryContext,
  input: PushInput,
): Promise<GithubResult> {
  const active = await intentsOfRepo(deps, input.tenantId, input.repo, [
    'READY',
    'VALIDATED',
    'QUEUED',
  ]);
  const sources = active.filter(
    (i) =>
      i.source === input.branch &&
      (i.status === 'READY' || i.status === 'VALIDATED'),
  );
  const branches: Branch[] = [];
  const requeued: string[] = [];
  for (const intent of sources) {
    if (!alreadyRequeued(intent, input.after)) {
      await requeue(deps, ctx, intent, input);
      requeued.push(intent.id);
    }
    branches.push(branchOf(intent, input.repo));
  }
  if (active.some((i) => i.target === input.branch)) {
    branches.push({
      tenantId: input.tenantId,
      repo: input.repo,
      target: input.branch,
    });
  }
  return {
    outcome: {
      result: requeued.length > 0 ? 'requeued' : 'ignored',
      intentIds: requeued,
      ...(branches.length === 0 ? { reason: 'no intent on this branch' } : {}),
    },
    followUps: processBranches(branches),
  };
}

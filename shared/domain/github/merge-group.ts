import { newIntent } from '../intent.js';
import {
  deliveryEvent,
  type GithubResult,
  moveIntent,
  only,
  validationOf,
} from './github-intents.js';
import {
  branchOfRef,
  type DeliveryContext,
  type GithubDeps,
  ignored,
  type MergeGroupDestroyedInput,
  type MergeGroupInput,
  mergeGroupIntentId,
} from './github-types.js';

/** Who created a merge-queue intent (reference §2 `created_by`). */
export const GITHUB_MERGE_QUEUE_ACTOR = 'github-merge-queue';

/**
 * `merge_group` checks_requested: creates the READY intent
 * `{repo}:mg-{head_sha[:12]}` with the installation id, its creation event
 * being `merge_group.checks_requested` (reference §2), and asks for its
 * validation. A group seen before is left alone.
 * @throws ConflictError when another writer got there first (retry).
 */
export async function mergeGroupChecksRequested(
  deps: GithubDeps,
  ctx: DeliveryContext,
  input: MergeGroupInput,
): Promise<GithubResult> {
  const id = mergeGroupIntentId(input.repo, input.headSha);
  if (await deps.store.intents.get(id)) {
    return only({ ...ignored('merge group already known'), intentIds: [id] });
  }
  const source = branchOfRef(input.headRef) ?? input.headRef;
  const target = branchOfRef(input.baseRef) ?? input.baseRef;
  const intent = newIntent(
    {
      id,
      source,
      target,
      createdBy: GITHUB_MERGE_QUEUE_ACTOR,
      originType: 'integration',
      tenantId: input.tenantId,
      semantic: { problem_statement: `Merge queue group ${source}` },
      technical: {
        repo: input.repo,
        installation_id: input.installationId,
        head_sha: input.headSha,
        initial_base_commit: input.headSha,
        base_sha: input.baseSha,
        source_ref: source,
        target_ref: target,
        merge_group_head_ref: input.headRef,
        webhook_event: ctx.event,
      },
    },
    deps.clock.nowIso(),
  );
  const event = deliveryEvent(deps, ctx, {
    type: 'merge_group.checks_requested',
    intentId: id,
    tenantId: input.tenantId,
    payload: {
      head_sha: input.headSha,
      head_ref: input.headRef,
      base_ref: input.baseRef,
      installation_id: input.installationId,
    },
  });
  const created = await deps.store.intents.create(intent, event);
  return {
    outcome: { result: 'created', intentIds: [id] },
    followUps: [validationOf(created, ctx, input.repo)],
  };
}

/**
 * `merge_group` destroyed: the group's intent becomes REJECTED with GitHub's
 * reason, recorded as `merge_group.destroyed` (reference §2). Unknown or
 * settled intents are left alone.
 * @throws ConflictError when another writer got there first (retry).
 */
export async function mergeGroupDestroyed(
  deps: GithubDeps,
  ctx: DeliveryContext,
  input: MergeGroupDestroyedInput,
): Promise<GithubResult> {
  const id = mergeGroupIntentId(input.repo, input.headSha);
  const intent = await deps.store.intents.get(id);
  if (!intent) return only(ignored('no intent for this merge group'));
  if (intent.status === 'MERGED' || intent.status === 'REJECTED') {
    return only({ ...ignored('intent already settled'), intentIds: [id] });
  }
  await moveIntent(deps, ctx, intent, {
    to: 'REJECTED',
    type: 'merge_group.destroyed',
    payload: {
      decision: 'rejected',
      reason: input.reason,
      trigger: 'merge_group_destroyed',
    },
  });
  return only({ result: 'rejected', intentIds: [id], reason: input.reason });
}

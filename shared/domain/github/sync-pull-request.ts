import type { Intent, IntentPatch, JsonObject } from '../intent.js';
import { newIntent } from '../intent.js';
import {
  deliveryEvent,
  type GithubResult,
  moveIntent,
  only,
  validationOf,
} from './github-intents.js';
import {
  type DeliveryContext,
  type GithubDeps,
  ignored,
  type PullRequestInput,
  pullRequestIntentId,
} from './github-types.js';

/** Who created a pull-request intent (reference §2 `created_by`). */
export const GITHUB_WEBHOOK_ACTOR = 'github-webhook';

function technicalOf(input: PullRequestInput, ctx: DeliveryContext) {
  return {
    repo: input.repo,
    pr_number: input.number,
    installation_id: input.installationId,
    head_sha: input.headSha,
    // The reference publishes decisions on this SHA: the PR head.
    initial_base_commit: input.headSha,
    source_ref: input.headRef,
    target_ref: input.baseRef,
    webhook_event: ctx.event,
  } satisfies JsonObject;
}

function patchOf(
  intent: Intent,
  input: PullRequestInput,
  ctx: DeliveryContext,
): IntentPatch {
  return {
    source: input.headRef,
    target: input.baseRef,
    semantic: { ...intent.semantic, problem_statement: input.title },
    technical: { ...intent.technical, ...technicalOf(input, ctx) },
  };
}

async function createPullRequestIntent(
  deps: GithubDeps,
  ctx: DeliveryContext,
  input: PullRequestInput,
): Promise<Intent> {
  const now = deps.clock.nowIso();
  const intent = newIntent(
    {
      id: pullRequestIntentId(input.repo, input.number),
      source: input.headRef,
      target: input.baseRef,
      createdBy: GITHUB_WEBHOOK_ACTOR,
      originType: input.senderIsBot ? 'agent' : 'integration',
      tenantId: input.tenantId,
      semantic: { problem_statement: input.title },
      technical: technicalOf(input, ctx),
    },
    now,
  );
  const event = deliveryEvent(deps, ctx, {
    type: 'intent.created',
    intentId: intent.id,
    tenantId: intent.tenantId,
    payload: {
      source: intent.source,
      target: intent.target,
      risk_level: intent.riskLevel,
      priority: intent.priority,
      created_by: intent.createdBy,
      origin_type: intent.originType,
      trigger: ctx.event,
    },
  });
  return deps.store.intents.create(intent, event);
}

/**
 * Updates an existing intent: a REJECTED one reopens to READY with its
 * retries reset (new commits or a reopened PR deserve a fresh budget); a
 * synchronize requeues an active one to READY; an opened/reopened active one
 * only gets its fields refreshed.
 */
function refreshIntent(
  deps: GithubDeps,
  ctx: DeliveryContext,
  intent: Intent,
  input: PullRequestInput,
): Promise<Intent> {
  const patch = patchOf(intent, input, ctx);
  if (intent.status === 'REJECTED') {
    const trigger =
      input.action === 'synchronize' ? 'push' : 'github_pr_reopened';
    return moveIntent(deps, ctx, intent, {
      to: 'READY',
      type: 'intent.requeued',
      payload: { trigger, head_sha: input.headSha },
      patch: { ...patch, retries: 0 },
    });
  }
  if (input.action === 'synchronize') {
    return moveIntent(deps, ctx, intent, {
      to: 'READY',
      type: 'intent.requeued',
      payload: { trigger: 'push', head_sha: input.headSha },
      patch,
    });
  }
  const event = deliveryEvent(deps, ctx, {
    type: 'intent.updated',
    intentId: intent.id,
    tenantId: intent.tenantId,
    payload: { trigger: ctx.event, head_sha: input.headSha },
  });
  return deps.store.intents.update({
    id: intent.id,
    expectedVersion: intent.version,
    patch,
    event,
  });
}

/**
 * `pull_request` opened, reopened or synchronize: creates or updates the
 * intent `{owner/repo}:pr-{n}` (READY) and asks for its validation, so a PR
 * is validated without anyone asking (DECISIONS 3). A merged intent is left
 * alone.
 * @throws ConflictError when another writer got there first (retry).
 */
export async function syncPullRequest(
  deps: GithubDeps,
  ctx: DeliveryContext,
  input: PullRequestInput,
): Promise<GithubResult> {
  const id = pullRequestIntentId(input.repo, input.number);
  const existing = await deps.store.intents.get(id);
  if (existing?.status === 'MERGED') {
    return only({ ...ignored('intent already merged'), intentIds: [id] });
  }
  const intent = existing
    ? await refreshIntent(deps, ctx, existing, input)
    : await createPullRequestIntent(deps, ctx, input);
  let result: 'created' | 'requeued' | 'updated' = 'updated';
  if (!existing) result = 'created';
  else if (intent.status !== existing.status || input.action === 'synchronize')
    result = 'requeued';
  return {
    outcome: { result, intentIds: [id] },
    followUps: [validationOf(intent, ctx, input.repo)],
  };
}

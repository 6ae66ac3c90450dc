import { type GithubResult, moveIntent, only } from './github-intents.js';
import {
  type DeliveryContext,
  type GithubDeps,
  ignored,
  type PullRequestClosedInput,
  pullRequestIntentId,
} from './github-types.js';

/**
 * `pull_request` closed: merged -> MERGED (`intent.merged`), otherwise
 * REJECTED (`intent.rejected`), both with `trigger: github_pr_closed`
 * (reference §2). GitHub is the source of truth for a merge, so a PR merged
 * after Converge rejected it is recorded as MERGED through the audited
 * force path (`forced: true` in the event). Unknown or already settled
 * intents are left alone.
 * @throws ConflictError when another writer got there first (retry).
 */
export async function closePullRequest(
  deps: GithubDeps,
  ctx: DeliveryContext,
  input: PullRequestClosedInput,
): Promise<GithubResult> {
  const id = pullRequestIntentId(input.repo, input.number);
  const intent = await deps.store.intents.get(id);
  if (!intent) return only(ignored('no intent for this pull request'));
  if (intent.status === 'MERGED') {
    return only({ ...ignored('intent already merged'), intentIds: [id] });
  }
  if (input.merged) {
    const forced = intent.status === 'REJECTED';
    await moveIntent(deps, ctx, intent, {
      to: 'MERGED',
      type: 'intent.merged',
      payload: {
        trigger: 'github_pr_closed',
        decision: 'merged',
        merged_commit: input.mergeCommitSha,
        forced,
      },
      force: forced,
    });
    return only({ result: 'merged', intentIds: [id] });
  }
  if (intent.status === 'REJECTED') {
    return only({ ...ignored('intent already rejected'), intentIds: [id] });
  }
  await moveIntent(deps, ctx, intent, {
    to: 'REJECTED',
    type: 'intent.rejected',
    payload: {
      trigger: 'github_pr_closed',
      decision: 'rejected',
      reason: 'Pull request closed without merge',
    },
  });
  return only({ result: 'rejected', intentIds: [id] });
}

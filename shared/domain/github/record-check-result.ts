import type { Intent } from '../intent.js';
import { ACTIONABLE_STATUSES } from '../intent-state.js';
import {
  branchOf,
  deliveryEvent,
  type GithubResult,
  intentsOfRepo,
  processBranches,
} from './github-intents.js';
import {
  type CheckResultInput,
  type DeliveryContext,
  type GithubDeps,
  pullRequestIntentId,
} from './github-types.js';

/** Conclusions that do not fail a check (GitHub check-run conclusions). */
const PASSING = new Set(['success', 'neutral', 'skipped']);

/**
 * The intents a CI result is about: the pull requests GitHub names, else
 * the repository's active intents whose head is the result's SHA.
 */
async function affectedIntents(
  deps: GithubDeps,
  input: CheckResultInput,
): Promise<Intent[]> {
  if (input.prNumbers.length > 0) {
    const found = await Promise.all(
      input.prNumbers.map((n) =>
        deps.store.intents.get(pullRequestIntentId(input.repo, n)),
      ),
    );
    return found.filter((i): i is Intent => i !== null);
  }
  const active = await intentsOfRepo(
    deps,
    input.tenantId,
    input.repo,
    ACTIONABLE_STATUSES,
  );
  return active.filter(
    (i) =>
      i.technical.repo === input.repo &&
      (i.technical.head_sha === input.sha ||
        i.technical.initial_base_commit === input.sha),
  );
}

/**
 * A completed check run or check suite, or a final commit status: appends
 * `check.completed` `{sha, name, conclusion}` per affected intent (one
 * without an intent when none is known) and asks the queue to work the
 * affected intents' branches. Nothing ever waits for CI: the result is an
 * input, and the queue reacts to it.
 */
export async function recordCheckResult(
  deps: GithubDeps,
  ctx: DeliveryContext,
  input: CheckResultInput,
): Promise<GithubResult> {
  const intents = await affectedIntents(deps, input);
  const passed = PASSING.has(input.conclusion);
  const payload = {
    sha: input.sha,
    name: input.name,
    conclusion: input.conclusion,
    source: input.source,
    check_type: input.name,
    passed,
    status: passed ? 'passed' : 'failed',
  };
  const targets = intents.length > 0 ? intents : [null];
  for (const intent of targets) {
    const event = deliveryEvent(deps, ctx, {
      type: 'check.completed',
      intentId: intent?.id ?? null,
      tenantId: intent?.tenantId ?? input.tenantId,
      payload,
    });
    await deps.store.events.append(event);
  }
  const active = intents.filter((i) => ACTIONABLE_STATUSES.includes(i.status));
  return {
    outcome: { result: 'recorded', intentIds: intents.map((i) => i.id) },
    followUps: processBranches(active.map((i) => branchOf(i, input.repo))),
  };
}

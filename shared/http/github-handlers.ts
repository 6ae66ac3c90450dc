import type { z } from 'zod';
import { closePullRequest } from '../domain/github/close-pull-request.js';
import type { GithubResult } from '../domain/github/github-intents.js';
import {
  branchOfRef,
  type DeliveryContext,
  type GithubDeps,
  type InstallationInput,
  ignored,
  type PullRequestInput,
  type RepoRef,
} from '../domain/github/github-types.js';
import { handlePush } from '../domain/github/handle-push.js';
import {
  mergeGroupChecksRequested,
  mergeGroupDestroyed,
} from '../domain/github/merge-group.js';
import { recordCheckResult } from '../domain/github/record-check-result.js';
import { recordInstallation } from '../domain/github/record-installation.js';
import { syncPullRequest } from '../domain/github/sync-pull-request.js';
import { logger } from './powertools.js';
import {
  CheckRunEvent,
  CheckSuiteEvent,
  InstallationEvent,
  MergeGroupEvent,
  PullRequestEvent,
  PushEvent,
  StatusEvent,
} from './schemas/github-events.js';

/**
 * The GitHub use case of one event: parses its payload subset (zod, so the
 * types come from what was checked, not from a cast) and maps it to the
 * domain input.
 */
export type GithubHandler = (
  deps: GithubDeps,
  payload: unknown,
  ctx: DeliveryContext,
) => Promise<GithubResult>;

const skip = async (reason: string): Promise<GithubResult> => ({
  outcome: ignored(reason),
  followUps: [],
});

/**
 * A handler that parses its payload subset first. An incomplete payload is
 * logged and ignored, never thrown: retrying would not complete it.
 */
function on<S extends z.ZodType>(
  schema: S,
  run: (
    deps: GithubDeps,
    data: z.output<S>,
    ctx: DeliveryContext,
  ) => Promise<GithubResult>,
): GithubHandler {
  return (deps, payload, ctx) => {
    const parsed = schema.safeParse(payload);
    if (parsed.success) return run(deps, parsed.data, ctx);
    logger.warn('github event ignored: incomplete payload', {
      deliveryId: ctx.deliveryId,
      event: ctx.event,
      issues: parsed.error.issues.map((i) => i.path.join('.')),
    });
    return skip('incomplete payload');
  };
}

function repoRef(e: {
  repository: { full_name: string; owner: { login: string } };
  installation?: { id: number } | null | undefined;
}): RepoRef {
  return {
    repo: e.repository.full_name,
    tenantId: e.repository.owner.login,
    installationId: e.installation?.id ?? null,
  };
}

/** GitHub App and bot accounts: `type: Bot` or a `[bot]` login suffix. */
function isBot(sender: { login: string; type?: string | undefined } | null) {
  return sender?.type === 'Bot' || sender?.login.endsWith('[bot]') === true;
}

const syncPr = (action: PullRequestInput['action']) =>
  on(PullRequestEvent, (deps, e, ctx) =>
    syncPullRequest(deps, ctx, {
      ...repoRef(e),
      action,
      number: e.pull_request.number,
      title: e.pull_request.title,
      headRef: e.pull_request.head.ref,
      headSha: e.pull_request.head.sha,
      baseRef: e.pull_request.base.ref,
      senderIsBot: isBot(e.sender ?? null),
    }),
  );

const closePr = on(PullRequestEvent, (deps, e, ctx) =>
  closePullRequest(deps, ctx, {
    ...repoRef(e),
    number: e.pull_request.number,
    merged: e.pull_request.merged === true,
    mergeCommitSha: e.pull_request.merge_commit_sha ?? null,
  }),
);

const push = on(PushEvent, (deps, e, ctx) => {
  const branch = branchOfRef(e.ref);
  if (branch === null) return skip('not a branch push');
  if (e.deleted === true) return skip('branch deleted');
  return handlePush(deps, ctx, {
    ...repoRef(e),
    branch,
    before: e.before,
    after: e.after,
  });
});

const mergeGroupRequested = on(MergeGroupEvent, (deps, e, ctx) =>
  mergeGroupChecksRequested(deps, ctx, {
    ...repoRef(e),
    headSha: e.merge_group.head_sha,
    headRef: e.merge_group.head_ref,
    baseRef: e.merge_group.base_ref,
    baseSha: e.merge_group.base_sha ?? null,
  }),
);

const mergeGroupGone = on(MergeGroupEvent, (deps, e, ctx) =>
  mergeGroupDestroyed(deps, ctx, {
    ...repoRef(e),
    headSha: e.merge_group.head_sha,
    reason: e.reason ?? 'unknown',
  }),
);

const checkRun = on(CheckRunEvent, (deps, e, ctx) =>
  recordCheckResult(deps, ctx, {
    ...repoRef(e),
    source: 'check_run',
    sha: e.check_run.head_sha,
    name: e.check_run.name,
    conclusion: e.check_run.conclusion,
    prNumbers: e.check_run.pull_requests.map((p) => p.number),
  }),
);

const checkSuite = on(CheckSuiteEvent, (deps, e, ctx) =>
  recordCheckResult(deps, ctx, {
    ...repoRef(e),
    source: 'check_suite',
    sha: e.check_suite.head_sha,
    name: e.check_suite.app?.name ?? 'check_suite',
    conclusion: e.check_suite.conclusion,
    prNumbers: e.check_suite.pull_requests.map((p) => p.number),
  }),
);

const commitStatus = on(StatusEvent, (deps, e, ctx) => {
  if (e.state === 'pending') return skip('status still pending');
  return recordCheckResult(deps, ctx, {
    ...repoRef(e),
    source: 'status',
    sha: e.sha,
    name: e.context,
    conclusion: e.state,
    prNumbers: [],
  });
});

const names = (list: { full_name: string }[] | null | undefined) =>
  (list ?? []).map((r) => r.full_name);

/**
 * The repositories an installation event adds and removes: the explicit
 * lists of `installation_repositories`, else `repositories` (those granted
 * on `created`, those lost on `deleted`).
 */
function repositoryChanges(e: InstallationEvent) {
  const listed = e.action === 'deleted' ? [] : names(e.repositories);
  const lost = e.action === 'deleted' ? names(e.repositories) : [];
  return {
    added: e.repositories_added ? names(e.repositories_added) : listed,
    removed: e.repositories_removed ? names(e.repositories_removed) : lost,
  };
}

const installation = (event: InstallationInput['event']) =>
  on(InstallationEvent, (deps, e, ctx) =>
    recordInstallation(deps, ctx, {
      event,
      action: e.action,
      installationId: e.installation.id,
      account: e.installation.account?.login ?? null,
      ...repositoryChanges(e),
    }),
  );

/** `name.action` (or `name`) -> handler; a Map, so no prototype keys match. */
const HANDLERS: ReadonlyMap<string, GithubHandler> = new Map([
  ['pull_request.opened', syncPr('opened')],
  ['pull_request.reopened', syncPr('reopened')],
  ['pull_request.synchronize', syncPr('synchronize')],
  ['pull_request.closed', closePr],
  ['push', push],
  ['merge_group.checks_requested', mergeGroupRequested],
  ['merge_group.destroyed', mergeGroupGone],
  ['check_run.completed', checkRun],
  ['check_suite.completed', checkSuite],
  ['status', commitStatus],
  ['installation', installation('installation')],
  ['installation_repositories', installation('installation_repositories')],
]);

/**
 * The handler of `event` (`name.action`), else of `name`; undefined for
 * events Converge does not handle.
 */
export function githubHandlerFor(
  event: string,
  name: string,
): GithubHandler | undefined {
  return HANDLERS.get(event) ?? HANDLERS.get(name);
}

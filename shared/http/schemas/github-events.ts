/**
 * Edge schemas of the GitHub payload fields Converge reads (HOUSE_STYLE
 * §7.7). GitHub adds fields freely, so every object is a `looseObject`; a
 * payload missing a field we need fails here and the event is ignored.
 * Field names and shapes follow the webhook docs
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads).
 */
import * as z from 'zod';

const text = z.string().min(1);

/** `repository` of a repository event; the owner login is the tenant. */
export const GithubRepository = z.looseObject({
  full_name: text,
  owner: z.looseObject({ login: text }),
});

/** `installation` (absent when the webhook is not an App's). */
const Installation = z.looseObject({ id: z.number().int() }).nullish();

const Sender = z.looseObject({ login: text, type: z.string().optional() });

/** Fields every delivery may carry; read for `webhook.received`. */
export const GithubEnvelope = z.looseObject({
  action: z.string().optional(),
  repository: GithubRepository.nullish(),
  installation: z
    .looseObject({
      id: z.number().int(),
      account: z.looseObject({ login: text }).nullish(),
    })
    .nullish(),
});

/** `pull_request` opened, reopened, synchronize and closed. */
export const PullRequestEvent = z.looseObject({
  action: text,
  repository: GithubRepository,
  installation: Installation,
  sender: Sender.nullish(),
  pull_request: z.looseObject({
    number: z.number().int().positive(),
    title: z.string(),
    merged: z.boolean().nullish(),
    merge_commit_sha: z.string().nullish(),
    head: z.looseObject({ ref: text, sha: text }),
    base: z.looseObject({ ref: text }),
  }),
});
export type PullRequestEvent = z.infer<typeof PullRequestEvent>;

/** `push` (tags and branch deletions are filtered by the handler). */
export const PushEvent = z.looseObject({
  ref: text,
  before: text,
  after: text,
  deleted: z.boolean().optional(),
  repository: GithubRepository,
  installation: Installation,
});
export type PushEvent = z.infer<typeof PushEvent>;

/** `merge_group` checks_requested and destroyed. */
export const MergeGroupEvent = z.looseObject({
  action: text,
  reason: z.string().optional(),
  repository: GithubRepository,
  installation: Installation,
  merge_group: z.looseObject({
    head_sha: z.string().min(12),
    head_ref: text,
    base_ref: text,
    base_sha: z.string().nullish(),
  }),
});
export type MergeGroupEvent = z.infer<typeof MergeGroupEvent>;

const PullRequestRefs = z.array(z.looseObject({ number: z.number().int() }));

/** `check_run` completed. */
export const CheckRunEvent = z.looseObject({
  repository: GithubRepository,
  installation: Installation,
  check_run: z.looseObject({
    name: text,
    head_sha: text,
    conclusion: text,
    pull_requests: PullRequestRefs.default([]),
  }),
});
export type CheckRunEvent = z.infer<typeof CheckRunEvent>;

/** `check_suite` completed. */
export const CheckSuiteEvent = z.looseObject({
  repository: GithubRepository,
  installation: Installation,
  check_suite: z.looseObject({
    head_sha: text,
    conclusion: text,
    app: z.looseObject({ name: text }).nullish(),
    pull_requests: PullRequestRefs.default([]),
  }),
});
export type CheckSuiteEvent = z.infer<typeof CheckSuiteEvent>;

/** `status` (a commit status); `pending` is not a result yet. */
export const StatusEvent = z.looseObject({
  sha: text,
  context: text,
  state: z.enum(['pending', 'success', 'failure', 'error']),
  repository: GithubRepository,
  installation: Installation,
});
export type StatusEvent = z.infer<typeof StatusEvent>;

const RepoNames = z.array(z.looseObject({ full_name: text })).nullish();

/** `installation` and `installation_repositories`, any action. */
export const InstallationEvent = z.looseObject({
  action: text,
  installation: z.looseObject({
    id: z.number().int(),
    account: z.looseObject({ login: text }).nullish(),
  }),
  repositories: RepoNames,
  repositories_added: RepoNames,
  repositories_removed: RepoNames,
});
export type InstallationEvent = z.infer<typeof InstallationEvent>;

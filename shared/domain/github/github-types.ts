/**
 * Inputs and outcomes of the GitHub use cases. The HTTP edge parses the
 * webhook payloads (zod, loosely) and maps them to these plain shapes, so the
 * domain never sees a raw GitHub payload.
 */
import type { Clock } from '../../ports/clock.js';
import type { Store } from '../../ports/store.js';
import type { IdSource } from '../event.js';

/**
 * What the GitHub use cases need: the store, time and ids. They return the
 * messages to send (follow-ups) rather than sending them, so the domain needs
 * no bus and the edge chooses groups and dedup ids.
 */
export interface GithubDeps {
  store: Store;
  clock: Clock;
  ids: IdSource;
}

/**
 * The delivery a use case runs for. Messages it sends derive their dedup ids
 * from `deliveryId`, so a retried delivery sends nothing twice.
 */
export interface DeliveryContext {
  deliveryId: string;
  /** Shared by every event the delivery causes (see `webhookTraceId`). */
  traceId: string;
  /** `name.action`, e.g. `pull_request.opened`. */
  event: string;
}

/**
 * The repository an event is about. `tenantId` is the repository owner's
 * login: one GitHub account (user or organisation) is one tenant, which needs
 * no mapping table and keeps two owners' repositories apart.
 */
export interface RepoRef {
  /** `owner/name`. */
  repo: string;
  tenantId: string;
  installationId: number | null;
}

/** A pull request opened, reopened or synchronised. */
export interface PullRequestInput extends RepoRef {
  action: 'opened' | 'reopened' | 'synchronize';
  number: number;
  title: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** The sender is a GitHub App or bot account (`type: Bot`, `[bot]`). */
  senderIsBot: boolean;
}

/** A pull request closed, merged or not. */
export interface PullRequestClosedInput extends RepoRef {
  number: number;
  merged: boolean;
  mergeCommitSha: string | null;
}

/** A push to a branch (`refs/heads/<branch>`). */
export interface PushInput extends RepoRef {
  branch: string;
  before: string;
  after: string;
}

/** A merge queue group whose checks GitHub requests. */
export interface MergeGroupInput extends RepoRef {
  headSha: string;
  /** `refs/heads/gh-readonly-queue/...`. */
  headRef: string;
  /** `refs/heads/main`. */
  baseRef: string;
  baseSha: string | null;
}

/** A merge queue group removed from the queue. */
export interface MergeGroupDestroyedInput extends RepoRef {
  headSha: string;
  /** `dequeued`, `invalidated` or `merged`, as GitHub says. */
  reason: string;
}

/** A finished CI result: a check run, a check suite or a commit status. */
export interface CheckResultInput extends RepoRef {
  source: 'check_run' | 'check_suite' | 'status';
  sha: string;
  name: string;
  /** `success`, `failure`, `neutral`, `error`, … */
  conclusion: string;
  /** Pull requests GitHub names for the result (empty for statuses). */
  prNumbers: number[];
}

/** An installation or its repository selection changed. */
export interface InstallationInput {
  event: 'installation' | 'installation_repositories';
  action: string;
  installationId: number;
  /** The account login (the tenant), when GitHub names it. */
  account: string | null;
  added: string[];
  removed: string[];
}

/** What a use case did, for logs and tests. */
export interface GithubOutcome {
  result:
    | 'created'
    | 'updated'
    | 'requeued'
    | 'merged'
    | 'rejected'
    | 'recorded'
    | 'ignored';
  intentIds: string[];
  reason?: string;
}

/** The id of a pull request's intent: `{owner/repo}:pr-{n}` (reference §2). */
export function pullRequestIntentId(repo: string, number: number): string {
  return `${repo}:pr-${number}`;
}

/** The id of a merge group's intent: `{repo}:mg-{head_sha[:12]}`. */
export function mergeGroupIntentId(repo: string, headSha: string): string {
  return `${repo}:mg-${headSha.slice(0, 12)}`;
}

/**
 * The trace of everything one delivery causes; also the claim-check key of
 * an oversized payload (the `webhook.received` event carries it).
 */
export function webhookTraceId(deliveryId: string): string {
  return `trace-gh-${deliveryId}`;
}

/** `refs/heads/main` -> `main`; other refs (tags) -> null. */
export function branchOfRef(ref: string): string | null {
  const prefix = 'refs/heads/';
  return ref.startsWith(prefix) && ref.length > prefix.length
    ? ref.slice(prefix.length)
    : null;
}

/** An outcome that did nothing, with why. */
export function ignored(reason: string): GithubOutcome {
  return { result: 'ignored', intentIds: [], reason };
}

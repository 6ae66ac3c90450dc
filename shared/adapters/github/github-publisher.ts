/**
 * The GitHub adapter of the Publisher port: one check run per decision
 * (upserted by `external_id`) and one commit status, on the head commit.
 */
import { ValidationError } from '../../domain/errors.js';
import {
  type DecisionToPublish,
  decisionAppearance,
  type Publisher,
  type PublishResult,
} from '../../ports/publisher.js';
import { isObjectId } from '../git/git-refs.js';
import {
  decisionSummary,
  decisionTitle,
  statusDescription,
} from './decision-summary.js';
import type { GitHubClient, GitHubOctokit } from './github-client.js';
import { parseRepo, type RepoCoordinates } from './github-log.js';

/** The check run name Converge publishes. */
export const CHECK_RUN_NAME = 'Converge';
/** The commit status context Converge publishes. */
export const STATUS_CONTEXT = 'converge/gate';

/** Where to publish and under which names. */
export interface GitHubPublisherOptions {
  client: GitHubClient;
  /** Used when a decision carries no installation id. */
  defaultInstallationId?: number;
  /** Default {@link CHECK_RUN_NAME}. */
  checkRunName?: string;
  /** Default {@link STATUS_CONTEXT}. */
  statusContext?: string;
}

/**
 * {@link Publisher} over GitHub check runs and commit statuses.
 *
 * Idempotent per `(intentId, traceId)`: the check run carries
 * `external_id = "<intentId>:<traceId>"` and is looked up by it before a new
 * one is created, so a retry after a lost response updates the first run. A
 * repeated commit status changes nothing visible (the latest status per
 * context is what GitHub shows and what branch protection reads).
 *
 * @example
 * ```ts
 * const publisher = new GitHubPublisher({ client });
 * await publisher.publishDecision(decision);
 * ```
 */
export class GitHubPublisher implements Publisher {
  readonly #client: GitHubClient;
  readonly #defaultInstallationId: number | undefined;
  readonly #checkRunName: string;
  readonly #statusContext: string;

  constructor(options: GitHubPublisherOptions) {
    this.#client = options.client;
    this.#defaultInstallationId = options.defaultInstallationId;
    this.#checkRunName = options.checkRunName ?? CHECK_RUN_NAME;
    this.#statusContext = options.statusContext ?? STATUS_CONTEXT;
  }

  /** {@inheritDoc Publisher.publishDecision} */
  async publishDecision(input: DecisionToPublish): Promise<PublishResult> {
    const installationId = input.installationId ?? this.#defaultInstallationId;
    if (installationId === undefined) {
      throw new ValidationError(
        `no installation to publish ${input.intentId}`,
        [{ path: 'installationId', message: 'is required' }],
      );
    }
    if (!isObjectId(input.headSha)) {
      throw new ValidationError(`invalid head SHA ${input.headSha}`, [
        { path: 'headSha', message: 'is not a full hex object id' },
      ]);
    }
    const target = { installationId, repo: parseRepo(input.repo) };
    const checkRunId = await this.#upsertCheckRun(target, input);
    await this.#createStatus(target, input);
    return { checkRunId, statusContext: this.#statusContext };
  }

  async #upsertCheckRun(target: Target, input: DecisionToPublish) {
    const externalId = `${input.intentId}:${input.traceId}`;
    const look = decisionAppearance(input.decision);
    const fields = {
      name: this.#checkRunName,
      external_id: externalId,
      status: look.checkRunStatus,
      ...(look.conclusion === undefined ? {} : { conclusion: look.conclusion }),
      ...(input.detailsUrl === undefined
        ? {}
        : { details_url: input.detailsUrl }),
      output: { title: decisionTitle(input), summary: decisionSummary(input) },
    };
    const existing = await this.#findCheckRun(
      target,
      input.headSha,
      externalId,
    );
    if (existing !== undefined) {
      await this.#call(target, 'PATCH check-runs', (o) =>
        o.rest.checks.update({
          ...target.repo,
          check_run_id: existing,
          ...fields,
        }),
      );
      return existing;
    }
    const { data } = await this.#call(target, 'POST check-runs', (o) =>
      o.rest.checks.create({
        ...target.repo,
        head_sha: input.headSha,
        ...fields,
      }),
    );
    return data.id;
  }

  /** Our check run for this decision on the commit, if one exists. */
  async #findCheckRun(
    target: Target,
    sha: string,
    externalId: string,
  ): Promise<number | undefined> {
    const { data } = await this.#call(target, 'GET check-runs', (o) =>
      o.rest.checks.listForRef({
        ...target.repo,
        ref: sha,
        check_name: this.#checkRunName,
        filter: 'all',
        per_page: 100,
      }),
    );
    return data.check_runs.find((run) => run.external_id === externalId)?.id;
  }

  async #createStatus(target: Target, input: DecisionToPublish) {
    await this.#call(target, 'POST statuses', (o) =>
      o.rest.repos.createCommitStatus({
        ...target.repo,
        sha: input.headSha,
        state: decisionAppearance(input.decision).statusState,
        context: this.#statusContext,
        description: statusDescription(input),
        ...(input.detailsUrl === undefined
          ? {}
          : { target_url: input.detailsUrl }),
      }),
    );
  }

  #call<T>(
    target: Target,
    operation: string,
    fn: (octokit: GitHubOctokit) => Promise<T>,
  ): Promise<T> {
    return this.#client.call(target.installationId, operation, fn);
  }
}

interface Target {
  installationId: number;
  repo: RepoCoordinates;
}

/**
 * The GitHub adapter of the Checks port: it runs nothing, it reads what CI
 * reported on the tested commit (check runs and commit statuses). A check
 * that has not reported yet is `skipped` with a "pending" detail, so the
 * engine treats it as not passed and the webhook for its completion triggers
 * the next validation (event driven: no Lambda waits for CI).
 */
import { NotFoundError } from '../../domain/errors.js';
import type {
  CheckContext,
  CheckResult,
  CheckStatus,
  Checks,
} from '../../ports/checks.js';
import type { GitHubClient, GitHubOctokit } from './github-client.js';
import { parseRepo, type RepoCoordinates } from './github-log.js';

/** Which repository, through which installation, and how names map. */
export interface GitHubChecksOptions {
  client: GitHubClient;
  /** `owner/name`. */
  repo: string;
  installationId: number;
  /**
   * Converge check name -> check-run name or status context on GitHub,
   * e.g. `{ unit_tests: 'ci / test' }`; unmapped names are used as is.
   */
  names?: Readonly<Record<string, string>>;
}

/** Details are capped like the local adapter's output. */
const MAX_DETAILS = 2000;
const PASSING_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

interface Reported {
  status: CheckStatus;
  details: string;
  durationMs: number;
}

type CheckRun = Awaited<
  ReturnType<GitHubOctokit['rest']['checks']['listForRef']>
>['data']['check_runs'][number];
type CommitStatus = Awaited<
  ReturnType<GitHubOctokit['rest']['repos']['getCombinedStatusForRef']>
>['data']['statuses'][number];

/**
 * {@link Checks} from GitHub check runs and commit statuses.
 *
 * @example
 * ```ts
 * const checks = new GitHubChecks({ client, repo: 'acme/app', installationId: 42 });
 * const results = await checks.run(['lint'], { sha });
 * const required = await checks.requiredChecksOf('main');
 * ```
 */
export class GitHubChecks implements Checks {
  readonly #client: GitHubClient;
  readonly #installationId: number;
  readonly #repo: RepoCoordinates;
  readonly #names: Readonly<Record<string, string>>;

  constructor(options: GitHubChecksOptions) {
    this.#client = options.client;
    this.#installationId = options.installationId;
    this.#repo = parseRepo(options.repo);
    this.#names = options.names ?? {};
  }

  /**
   * {@inheritDoc Checks.run}
   *
   * Looks at `ctx.sha` (else `ctx.ref`). A completed check run passes on
   * success, neutral or skipped (as branch protection does) and fails
   * otherwise; a status passes on success and fails on failure or error.
   * The latest check run wins over a status of the same name.
   *
   * @throws {NotFoundError} the commit does not exist.
   */
  async run(checks: string[], ctx: CheckContext): Promise<CheckResult[]> {
    const ref = ctx.sha ?? ctx.ref;
    if (ref === undefined) {
      return checks.map((check) => pending(check, 'no commit to look up'));
    }
    const [runs, statuses] = await Promise.all([
      this.#checkRuns(ref),
      this.#statuses(ref),
    ]);
    return checks.map((check) => {
      const name = this.#names[check] ?? check;
      const run = latestRun(runs, name);
      const status = statuses.find((s) => s.context === name);
      const reported =
        (run && fromCheckRun(run)) ?? (status && fromStatus(status));
      if (reported) return { check, ...reported };
      return pending(check, `no check run or status "${name}" on ${ref}`);
    });
  }

  /**
   * The status checks branch protection requires on `branch`; empty when
   * the branch is not protected (404). Needs the App's "Administration:
   * read" permission.
   */
  async requiredChecksOf(branch: string): Promise<string[]> {
    try {
      const { data } = await this.#call('GET required_status_checks', (o) =>
        o.rest.repos.getStatusChecksProtection({ ...this.#repo, branch }),
      );
      const names = [
        ...(data.contexts ?? []),
        ...(data.checks ?? []).map((c) => c.context),
      ];
      return [...new Set(names)].sort();
    } catch (error) {
      if (error instanceof NotFoundError) return [];
      throw error;
    }
  }

  #call<T>(
    operation: string,
    fn: (octokit: GitHubOctokit) => Promise<T>,
  ): Promise<T> {
    return this.#client.call(this.#installationId, operation, fn);
  }

  /** Every latest check run per name on the commit (pages of 100). */
  async #checkRuns(ref: string): Promise<CheckRun[]> {
    const runs: CheckRun[] = [];
    for (let page = 1; ; page += 1) {
      const { data } = await this.#call('GET check-runs', (o) =>
        o.rest.checks.listForRef({ ...this.#repo, ref, per_page: 100, page }),
      );
      runs.push(...data.check_runs);
      if (data.check_runs.length < 100 || runs.length >= data.total_count) {
        return runs;
      }
    }
  }

  /** The latest status per context (the combined status). */
  async #statuses(ref: string): Promise<CommitStatus[]> {
    const { data } = await this.#call('GET status', (o) =>
      o.rest.repos.getCombinedStatusForRef({
        ...this.#repo,
        ref,
        per_page: 100,
      }),
    );
    return data.statuses;
  }
}

function latestRun(runs: CheckRun[], name: string): CheckRun | undefined {
  let latest: CheckRun | undefined;
  for (const run of runs) {
    if (run.name === name && (latest === undefined || run.id > latest.id)) {
      latest = run;
    }
  }
  return latest;
}

function fromCheckRun(run: CheckRun): Reported {
  const output = [run.output.title, run.output.summary, run.details_url]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join('\n');
  if (run.status !== 'completed') {
    return {
      status: 'skipped',
      details: cap(`pending: check run ${run.status}`),
      durationMs: 0,
    };
  }
  const conclusion = run.conclusion ?? 'none';
  const passed = PASSING_CONCLUSIONS.has(conclusion);
  return {
    status: passed ? 'passed' : 'failed',
    details: cap([`conclusion: ${conclusion}`, output].join('\n').trim()),
    durationMs: elapsed(run.started_at, run.completed_at),
  };
}

function fromStatus(status: CommitStatus): Reported {
  const tail = [status.description, status.target_url]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join('\n');
  const details = cap(`status: ${status.state}\n${tail}`.trim());
  if (status.state === 'success') {
    return { status: 'passed', details, durationMs: 0 };
  }
  if (status.state === 'pending') {
    return {
      status: 'skipped',
      details: cap(`pending: ${details}`),
      durationMs: 0,
    };
  }
  return { status: 'failed', details, durationMs: 0 };
}

function pending(check: string, why: string): CheckResult {
  return {
    check,
    status: 'skipped',
    details: `pending: ${why}`,
    durationMs: 0,
  };
}

function elapsed(start: string | null, end: string | null): number {
  if (start === null || end === null) return 0;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

function cap(text: string): string {
  return text.length > MAX_DETAILS ? text.slice(0, MAX_DETAILS) : text;
}

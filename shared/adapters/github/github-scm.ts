/**
 * The GitHub API adapter of the Scm port, for the deployed service: one
 * repository through one App installation. Simulations are real test merges
 * on a staging branch (`converge/staging/<target>`), so GitHub's own merge
 * decides mergeability and the tree; a merge fast-forwards the target branch
 * to exactly the test merge commit on the staging branch, whose tree is the
 * validated one.
 */
import {
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../../domain/errors.js';
import type {
  CoChangePair,
  CommitLogEntry,
  MergeInput,
  MergeResult,
  MergeSimulation,
  Scm,
} from '../../ports/scm.js';
import { countCoChanges } from '../git/git-output.js';
import {
  assertObjectId,
  assertRefName,
  branchRef,
  checkMergeInput,
  isObjectId,
} from '../git/git-refs.js';
import type { GitHubClient, GitHubOctokit } from './github-client.js';
import type { ErrorMapping } from './github-errors.js';
import { commitLog, parseRepo, type RepoCoordinates } from './github-log.js';
import { type TestMerge, testMerge } from './github-test-merge.js';

/** Which repository, through which installation. */
export interface GitHubScmOptions {
  client: GitHubClient;
  /** `owner/name`. */
  repo: string;
  installationId: number;
  /** Branch prefix of test merges; default `converge/staging/`. */
  stagingPrefix?: string;
  /**
   * Upper bound of `commitLog` / `coChangeHistory` (each commit costs one
   * API call for its files); default 100.
   */
  maxLogCommits?: number;
  /** Bigger commits are left out of co-change counts; default 500. */
  coChangeMaxFilesPerCommit?: number;
}

const FAST_FORWARD_ONLY: ErrorMapping = { conflictStatuses: [409, 422] };

/**
 * {@link Scm} over the GitHub REST API.
 *
 * Limits, by the API's design:
 * - `filesChanged` comes from compare `target...source`, which lists at most
 *   300 files.
 * - GitHub's merge API does not say which files conflict: `conflicts` lists
 *   the files both sides changed since the merge base (a superset of the
 *   conflicted files; empty when GitHub reports a conflict on files only one
 *   side touched, e.g. a rename against an edit).
 * - The staging branch gets pushes; CI should ignore `converge/staging/**`.
 *
 * @example
 * ```ts
 * const scm = new GitHubScm({ client, repo: 'acme/app', installationId: 42 });
 * const sim = await scm.simulateMerge('feature/login', 'main');
 * ```
 */
export class GitHubScm implements Scm {
  readonly #client: GitHubClient;
  readonly #installationId: number;
  readonly #repo: RepoCoordinates;
  readonly #stagingPrefix: string;
  readonly #maxLogCommits: number;
  readonly #maxFilesPerCommit: number;

  constructor(options: GitHubScmOptions) {
    this.#client = options.client;
    this.#installationId = options.installationId;
    this.#repo = parseRepo(options.repo);
    this.#stagingPrefix = options.stagingPrefix ?? 'converge/staging/';
    this.#maxLogCommits = options.maxLogCommits ?? 100;
    this.#maxFilesPerCommit = options.coChangeMaxFilesPerCommit ?? 500;
  }

  /**
   * {@inheritDoc Scm.simulateMerge}
   *
   * `target` must be a branch (`main` or `refs/heads/main`): the test merge
   * runs on `<stagingPrefix><target>`.
   */
  async simulateMerge(
    source: string,
    target: string,
  ): Promise<MergeSimulation> {
    const branch = branchName(target);
    assertRefName(source, 'source');
    const [sourceSha, targetSha] = await Promise.all([
      this.headSha(source),
      this.headSha(branch),
    ]);
    const [outcome, changes] = await Promise.all([
      this.#testMerge(targetSha, sourceSha, branch),
      this.#compare(targetSha, sourceSha, source, target),
    ]);
    const conflicts = outcome.mergeable
      ? []
      : await this.#bothChanged(changes.files, targetSha, sourceSha);
    return {
      mergeable: outcome.mergeable,
      conflicts,
      filesChanged: changes.files,
      sourceSha,
      targetSha,
      mergeBaseSha: changes.mergeBaseSha,
      treeSha: outcome.treeSha,
    };
  }

  /** {@inheritDoc Scm.changedFiles} */
  async changedFiles(source: string, target: string): Promise<string[]> {
    assertRefName(source, 'source');
    assertRefName(target, 'target');
    const [sourceSha, targetSha] = await Promise.all([
      this.headSha(source),
      this.headSha(target),
    ]);
    return (await this.#compare(targetSha, sourceSha, source, target)).files;
  }

  /** {@inheritDoc Scm.headSha} */
  async treeOf(commitSha: string): Promise<string> {
    const sha = assertObjectId(commitSha, 'commitSha');
    const { data } = await this.#call('GET git/commits', (o) =>
      o.rest.git.getCommit({ ...this.#repo, commit_sha: sha }),
    );
    return data.tree.sha;
  }

  /** {@inheritDoc Scm.headSha} */
  async headSha(ref: string): Promise<string> {
    assertRefName(ref, 'ref');
    try {
      if (isObjectId(ref.toLowerCase())) {
        const { data } = await this.#call('GET git/commits', (o) =>
          o.rest.git.getCommit({ ...this.#repo, commit_sha: ref }),
        );
        return data.sha;
      }
      if (ref === 'HEAD') return await this.#refSha(await this.#headRef());
      if (ref.startsWith('refs/')) return await this.#refSha(ref.slice(5));
      return await this.#refSha(`heads/${ref}`).catch((error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
        return this.#refSha(`tags/${ref}`);
      });
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new NotFoundError(`unknown ref: ${ref}`);
      }
      throw error;
    }
  }

  /**
   * {@inheritDoc Scm.merge}
   *
   * The ref is read first and must equal `expectedTargetSha`. The current
   * source is merged again on the staging branch (with `message`), and that
   * test merge commit must have exactly `treeSha`; the target then moves to
   * that very commit with a fast-forward-only update (`force: false`): its
   * first parent is `expectedTargetSha`, so a push that lands in between
   * makes GitHub refuse it (422 -> ConflictError, the engine revalidates).
   * A source already in the target merges nothing: the target stays.
   */
  async merge(input: MergeInput): Promise<MergeResult> {
    const branch = branchName(input.target);
    const { expected, treeSha } = checkMergeInput(input);
    const current = await this.#refSha(`heads/${branch}`).catch(
      (error: unknown) => {
        if (error instanceof NotFoundError) {
          throw new NotFoundError(`unknown branch: ${input.target}`);
        }
        throw error;
      },
    );
    if (current !== expected) throw new ConflictError('target moved');
    const sourceSha = await this.headSha(input.source);
    const retest = await this.#testMerge(
      expected,
      sourceSha,
      branch,
      input.message,
    );
    if (!retest.mergeable || retest.treeSha !== treeSha || !retest.commitSha) {
      throw new ConflictError('source moved: the tested tree is stale');
    }
    if (retest.commitSha === expected) return { mergedSha: expected };
    const tested = retest.commitSha;
    await this.#call(
      'PATCH git/refs',
      (o) =>
        o.rest.git.updateRef({
          ...this.#repo,
          ref: `heads/${branch}`,
          sha: tested,
          force: false,
        }),
      FAST_FORWARD_ONLY,
    );
    return { mergedSha: tested };
  }

  /** {@inheritDoc Scm.coChangeHistory} */
  async coChangeHistory(maxCommits: number): Promise<CoChangePair[]> {
    const commits = await this.commitLog(maxCommits);
    return countCoChanges(commits, {
      minCount: 2,
      top: 50,
      maxFilesPerCommit: this.#maxFilesPerCommit,
    });
  }

  /**
   * {@inheritDoc Scm.commitLog}
   *
   * Bounded: at most `maxLogCommits` (option) commits are returned.
   */
  async commitLog(maxCommits: number): Promise<CommitLogEntry[]> {
    if (!Number.isSafeInteger(maxCommits) || maxCommits < 1) {
      throw new ValidationError('maxCommits must be a positive integer', [
        { path: 'maxCommits', message: 'must be a positive integer' },
      ]);
    }
    const limit = Math.min(maxCommits, this.#maxLogCommits);
    return commitLog(
      (op, fn, mapping) => this.#call(op, fn, mapping),
      this.#repo,
      limit,
    );
  }

  #call<T>(
    operation: string,
    fn: (octokit: GitHubOctokit) => Promise<T>,
    mapping?: ErrorMapping,
  ): Promise<T> {
    return this.#client.call(this.#installationId, operation, fn, mapping);
  }

  #testMerge(
    targetSha: string,
    sourceSha: string,
    branch: string,
    message?: string,
  ): Promise<TestMerge> {
    return testMerge((op, fn, mapping) => this.#call(op, fn, mapping), {
      repo: this.#repo,
      stagingBranch: `${this.#stagingPrefix}${branch}`,
      targetSha,
      sourceSha,
      ...(message === undefined ? {} : { message }),
    });
  }

  /** A ref (`heads/x`, `tags/x`) to its commit, peeling annotated tags. */
  async #refSha(ref: string): Promise<string> {
    const { data } = await this.#call('GET git/ref', (o) =>
      o.rest.git.getRef({ ...this.#repo, ref }),
    );
    if (data.object.type !== 'tag') return data.object.sha;
    const { data: tag } = await this.#call('GET git/tags', (o) =>
      o.rest.git.getTag({ ...this.#repo, tag_sha: data.object.sha }),
    );
    return tag.object.sha;
  }

  async #headRef(): Promise<string> {
    const { data } = await this.#call('GET repo', (o) =>
      o.rest.repos.get({ ...this.#repo }),
    );
    return `heads/${data.default_branch}`;
  }

  /** Paths changed by `head` since its merge base with `base`. */
  async #compare(
    baseSha: string,
    headSha: string,
    source: string,
    target: string,
  ): Promise<{ mergeBaseSha: string; files: string[] }> {
    try {
      const { data } = await this.#call('GET compare', (o) =>
        o.rest.repos.compareCommitsWithBasehead({
          ...this.#repo,
          basehead: `${baseSha}...${headSha}`,
        }),
      );
      const names = (data.files ?? []).map((f) => f.filename);
      return {
        mergeBaseSha: data.merge_base_commit.sha,
        files: [...new Set(names)].sort(),
      };
    } catch (error) {
      // Both SHAs exist, so a 404 means there is no merge base.
      if (!(error instanceof NotFoundError)) throw error;
      throw new ValidationError(
        `${source} and ${target} have no common history`,
      );
    }
  }

  /** The source's changed files that the target changed too. */
  async #bothChanged(
    sourceFiles: string[],
    targetSha: string,
    sourceSha: string,
  ): Promise<string[]> {
    const theirs = await this.#compare(
      sourceSha,
      targetSha,
      'source',
      'target',
    );
    const touched = new Set(theirs.files);
    return sourceFiles.filter((path) => touched.has(path));
  }
}

/** `main` or `refs/heads/main` -> `main`. */
function branchName(target: string): string {
  return branchRef(target).slice('refs/heads/'.length);
}

/**
 * Source-control port (ARCHITECTURE "Ports and adapters": Scm). The git CLI
 * adapter serves the CLI and the local stack; a GitHub API adapter serves the
 * deployed service. Every method is async and every SHA is a full hex id.
 */

/** The outcome of merging `source` into `target` without touching any ref. */
export interface MergeSimulation {
  /** True when the merge is clean (invariant 1, `can_merge`). */
  mergeable: boolean;
  /** Paths git leaves conflicted, sorted and unique; empty when mergeable. */
  conflicts: string[];
  /**
   * Paths changed by the source since the merge base (`target...source`,
   * DECISIONS 5), sorted and unique; a rename is listed under its new path.
   */
  filesChanged: string[];
  /** The source commit the simulation used. */
  sourceSha: string;
  /** The target tip the simulation used; `merge` takes it as its CAS value. */
  targetSha: string;
  /** The merge base, or null when the adapter cannot tell. */
  mergeBaseSha: string | null;
  /** The tree of the clean merge result; null when not mergeable. */
  treeSha: string | null;
}

/** What `merge` needs: the tested tree and the target tip it was tested on. */
export interface MergeInput {
  /** The branch, ref or SHA whose commit becomes the second parent. */
  source: string;
  /** The branch to move (a name like `main`, or `refs/heads/main`). */
  target: string;
  /** The target tip of the simulation; the ref moves only if still there. */
  expectedTargetSha: string;
  /** The simulated (and tested) tree; the merge commit gets exactly it. */
  treeSha: string;
  /** The merge commit message; must not be blank. */
  message: string;
}

/** The commit the target branch now points at. */
export interface MergeResult {
  mergedSha: string;
}

/** Two files changed together in `count` commits; `a < b`. */
export interface CoChangePair {
  a: string;
  b: string;
  count: number;
}

/** One commit of the history, newest first, for archaeology. */
export interface CommitLogEntry {
  sha: string;
  author: string;
  /** Paths the commit changed against its first parent; empty for merges. */
  files: string[];
}

/**
 * Read and update a repository's history.
 *
 * @example
 * ```ts
 * const sim = await scm.simulateMerge('feature/login', 'main');
 * if (sim.mergeable && sim.treeSha !== null) {
 *   const { mergedSha } = await scm.merge({
 *     source: 'feature/login',
 *     target: 'main',
 *     expectedTargetSha: sim.targetSha,
 *     treeSha: sim.treeSha,
 *     message: 'converge: merge feature/login into main',
 *   });
 * }
 * ```
 */
export interface Scm {
  /**
   * Merges `source` into the tip of `target` in memory: no ref, index or
   * work tree changes.
   *
   * @throws {ValidationError} a malformed ref, or no common history.
   * @throws {NotFoundError} `source` or `target` does not name a commit.
   * @throws {TransientError} the SCM timed out or is throttling.
   */
  simulateMerge(source: string, target: string): Promise<MergeSimulation>;

  /**
   * Paths changed by `source` since its merge base with `target`
   * (`target...source`), sorted and unique.
   *
   * @throws {ValidationError} a malformed ref, or no common history.
   * @throws {NotFoundError} `source` or `target` does not name a commit.
   */
  changedFiles(source: string, target: string): Promise<string[]>;

  /**
   * The commit SHA `ref` points at (a branch, tag, `HEAD` or SHA).
   *
   * @throws {ValidationError} a malformed ref.
   * @throws {NotFoundError} `ref` does not name a commit.
   */
  headSha(ref: string): Promise<string>;

  /**
   * The tree of a commit (for "merged tree == tested tree" claims).
   * @throws NotFoundError when the commit is unknown
   * @throws ValidationError when `commitSha` is not an object id
   */
  treeOf(commitSha: string): Promise<string>;

  /**
   * Creates a merge commit whose tree is exactly `treeSha`, with parents
   * `expectedTargetSha` and the source commit, then moves the target branch
   * to it with a compare-and-swap. No work tree or index is touched; a work
   * tree that has the target checked out is left as it was (as after a push).
   *
   * @throws {ConflictError} the target moved away from `expectedTargetSha`
   *   (the ref is left untouched), or the source moved so that `treeSha` is
   *   no longer its merge result.
   * @throws {ValidationError} a malformed ref, SHA or blank message.
   * @throws {NotFoundError} the target branch or the source does not exist.
   * @throws {TransientError} the ref is locked by another writer; retry.
   */
  merge(input: MergeInput): Promise<MergeResult>;

  /**
   * Pairs of files changed together in the last `maxCommits` commits of
   * `HEAD`: the top 50 pairs with at least 2 co-changes, ordered by count
   * descending, then `a`, then `b`. Empty for a repository with no commits.
   *
   * @throws {ValidationError} `maxCommits` is not a positive integer.
   */
  coChangeHistory(maxCommits: number): Promise<CoChangePair[]>;

  /**
   * The last `maxCommits` commits of `HEAD`, newest first. Empty for a
   * repository with no commits.
   *
   * @throws {ValidationError} `maxCommits` is not a positive integer.
   */
  commitLog(maxCommits: number): Promise<CommitLogEntry[]>;
}

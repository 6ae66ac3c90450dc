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
 * A merge train on one target branch: each merge is simulated and committed
 * on top of the previous one's result (so revalidation against the moved
 * target is the simulation itself), and the branch moves once for the whole
 * train with a compare-and-swap. Nothing is visible on the branch before
 * `publish`; an unpublished train leaves no ref changed.
 *
 * @example
 * ```ts
 * const train = await scm.openTrain?.('main');
 * const sim = await train.simulate('feature/a');
 * if (sim.treeSha !== null) {
 *   await train.stage({ source: sim.sourceSha, target: 'main',
 *     expectedTargetSha: sim.targetSha, treeSha: sim.treeSha, message: 'm' });
 * }
 * await train.publish();
 * await train.close();
 * ```
 */
export interface MergeTrain {
  /** The branch the train merges into, as given to `openTrain`. */
  readonly target: string;
  /** The branch tip the next `publish` swaps from (CAS old value). */
  readonly baseSha: string;
  /** The commit the next merge builds on: `baseSha`, then the last staged. */
  readonly tipSha: string;
  /**
   * The commit a ref other than the target names now (as `Scm.headSha`).
   * @throws {NotFoundError} `ref` does not name a commit.
   * @throws {ValidationError} a malformed ref.
   */
  headSha(ref: string): Promise<string>;
  /**
   * `Scm.simulateMerge(source, target)` against `tipSha` instead of the
   * branch: `targetSha` is `tipSha`.
   * @throws {NotFoundError} `source` does not name a commit.
   * @throws {ValidationError} a malformed ref, or no common history.
   */
  simulate(source: string): Promise<MergeSimulation>;
  /**
   * A hint: these sources are simulated next, in this order. An adapter
   * may read their objects ahead; results never depend on it (each
   * `simulate` still resolves its source when called). Optional.
   */
  prefetch?(sources: readonly string[]): void;
  /**
   * Commits exactly `treeSha` with parents `tipSha` and the source, like
   * `Scm.merge`, but moves no ref: the commit becomes `tipSha`.
   * @throws {ConflictError} `expectedTargetSha` is not `tipSha`, or
   *   `treeSha` is not the merge of the source onto it.
   * @throws {ValidationError} a malformed ref, SHA or blank message.
   */
  stage(input: MergeInput): Promise<MergeResult>;
  /**
   * Moves the target from `baseSha` to `tipSha` with one compare-and-swap;
   * `baseSha` then becomes `tipSha`. A no-op when nothing was staged.
   * @throws {ConflictError} the branch moved away from `baseSha`: the ref is
   *   left untouched and the train can no longer be used.
   * @throws {TransientError} the ref is locked by another writer.
   */
  publish(): Promise<void>;
  /** Ends the train; unpublished staged merges are dropped. */
  close(): Promise<void>;
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
   * Opens a merge train on branch `target` at its current tip. Optional:
   * without it the queue merges one intent at a time with `merge`.
   * @throws {NotFoundError} the target branch does not exist.
   * @throws {ValidationError} `target` is not a branch name.
   */
  openTrain?(target: string): Promise<MergeTrain>;

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

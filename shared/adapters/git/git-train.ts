/**
 * The git adapter's merge train: each merge is simulated on the previous
 * one's commit and committed without moving a ref; `publish` moves the
 * branch once with `update-ref <new> <old>`. Simulations take the
 * in-process fast path (git-fast-merge.ts) whenever its result is
 * certainly git's, and `git merge-tree` otherwise, so the tree is always
 * the one `simulateMerge` would report against the same tip. New trees and
 * commits are named in process and written in one go before the branch
 * moves (or before git has to read them).
 */
import {
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../../domain/errors.js';
import type {
  MergeInput,
  MergeResult,
  MergeSimulation,
  MergeTrain,
} from '../../ports/scm.js';
import {
  compareAndSwapRef,
  resolveCommit,
  simulateCommits,
} from './git-commands.js';
import { CommitWriter } from './git-commit-writer.js';
import {
  fastMerge,
  fastPathAllowed,
  type MergeObjects,
  treesToReadAhead,
} from './git-fast-merge.js';
import { MissingCommitError } from './git-merge-base.js';
import { GitObjectWriter } from './git-object-writer.js';
import {
  type CommitInfo,
  GitObjectReader,
  type ObjectCaches,
  type TreeEntry,
} from './git-objects.js';
import { assertRefName, branchRef, checkMergeInput } from './git-refs.js';
import type { GitRunConfig } from './run-git.js';

/** True when `ref` passes the ref checks (a prefetch skips the others). */
function isValidRef(ref: string): boolean {
  try {
    assertRefName(ref, 'source');
    return true;
  } catch {
    return false;
  }
}

/**
 * {@link MergeTrain} over the git CLI; open it with `GitScm.openTrain`.
 */
export class GitMergeTrain implements MergeTrain {
  readonly target: string;
  readonly #config: GitRunConfig;
  readonly #ref: string;
  readonly #fast: boolean;
  readonly #reader: GitObjectReader;
  readonly #writer: GitObjectWriter;
  readonly #commits: CommitWriter;
  /** `${tip}:${source}` -> the tree this train simulated for them. */
  readonly #tested = new Map<string, string>();
  /** sha -> parent commits, for merge base walks of this train. */
  readonly #links = new Map<string, readonly CommitInfo[]>();
  #base: string;
  #tip: string;
  #staged = 0;
  #broken: Error | null = null;

  private constructor(
    config: GitRunConfig,
    caches: ObjectCaches,
    start: { target: string; tip: string; fast: boolean },
  ) {
    this.#config = config;
    this.target = start.target;
    this.#ref = branchRef(start.target);
    this.#base = start.tip;
    this.#tip = start.tip;
    this.#fast = start.fast;
    this.#reader = new GitObjectReader(config, caches);
    this.#writer = new GitObjectWriter(config, this.#reader, start.tip);
    this.#commits = new CommitWriter(config, this.#writer);
  }

  /**
   * Opens a train at the branch's current tip.
   * @throws {NotFoundError} the branch does not exist.
   * @throws {ValidationError} `target` is not a branch name.
   */
  static async open(
    config: GitRunConfig,
    caches: ObjectCaches,
    target: string,
  ): Promise<GitMergeTrain> {
    const ref = branchRef(target);
    const [tip, fast] = await Promise.all([
      resolveCommit(config, ref),
      fastPathAllowed(config),
    ]);
    if (tip === null) throw new NotFoundError(`unknown branch: ${target}`);
    return new GitMergeTrain(config, caches, { target, tip, fast });
  }

  get baseSha(): string {
    return this.#base;
  }

  get tipSha(): string {
    return this.#tip;
  }

  /** {@inheritDoc MergeTrain.headSha} */
  async headSha(ref: string): Promise<string> {
    assertRefName(ref, 'ref');
    return (await this.#commit(ref)).sha;
  }

  /** {@inheritDoc MergeTrain.simulate} */
  async simulate(source: string): Promise<MergeSimulation> {
    this.#usable();
    assertRefName(source, 'source');
    const tipSha = this.#tip;
    const [tip, from] = await Promise.all([
      this.#commit(tipSha),
      this.#commit(source),
    ]);
    let fast: MergeSimulation | null = null;
    if (this.#fast) {
      // Ask for the source tree now: it comes while the merge base walk runs.
      this.#tree(from.tree).catch(() => undefined);
      fast = await fastMerge(this.#objects, this.#config, tip, from);
    }
    const sim = fast ?? (await this.#gitSimulation(tipSha, from.sha, source));
    if (sim.treeSha !== null) {
      this.#tested.set(`${tipSha}:${from.sha}`, sim.treeSha);
    }
    return sim;
  }

  /**
   * {@inheritDoc MergeTrain.prefetch}
   * Reads the sources' commits, root trees and the top-level directories
   * that differ from the tip's, each group in one write to `cat-file`.
   */
  prefetch(sources: readonly string[]): void {
    if (!this.#fast || this.#broken) return;
    const names = sources.filter(isValidRef);
    this.#readAhead(names).catch(() => undefined);
  }

  async #readAhead(names: readonly string[]): Promise<void> {
    const [tip, commits] = await Promise.all([
      this.#commit(this.#tip),
      this.#reader.commitsAhead(names),
    ]);
    const found = commits.filter((c): c is CommitInfo => c !== null);
    await this.#reader.treesAhead([tip.tree, ...found.map((c) => c.tree)]);
    const objects = { tree: (sha: string) => this.#tree(sha) };
    const subtrees = await treesToReadAhead(objects, tip, found);
    await this.#reader.treesAhead(subtrees);
  }

  /** {@inheritDoc MergeTrain.stage} */
  async stage(input: MergeInput): Promise<MergeResult> {
    this.#usable();
    if (branchRef(input.target) !== this.#ref) {
      throw new ValidationError(`target must be ${this.target}`, [
        { path: 'target', message: 'is not the train target' },
      ]);
    }
    const { expected, treeSha } = checkMergeInput(input);
    const tip = this.#tip;
    if (expected !== tip) throw new ConflictError('target moved');
    const source = await this.#commit(input.source);
    const tested =
      this.#tested.get(`${tip}:${source.sha}`) ??
      (await this.simulate(source.sha)).treeSha;
    if (tested !== treeSha) {
      throw new ConflictError(
        'source moved: the tested tree is not the merge of the current source',
      );
    }
    const commit = await this.#commits.write(
      treeSha,
      [tip, source.sha],
      input.message,
      Math.floor(Date.now() / 1000),
    );
    this.#reader.remember(commit);
    this.#tip = commit.sha;
    this.#staged += 1;
    return { mergedSha: commit.sha };
  }

  /** {@inheritDoc MergeTrain.publish} */
  async publish(): Promise<void> {
    this.#usable();
    if (this.#tip === this.#base) return;
    await this.#writer.flush();
    try {
      await compareAndSwapRef(this.#config, {
        name: this.#ref,
        next: this.#tip,
        expected: this.#base,
        reason: `converge: merge train of ${this.#staged} into ${this.target}`,
      });
    } catch (error) {
      if (error instanceof ConflictError) this.#broken = error;
      throw error;
    }
    this.#base = this.#tip;
    this.#staged = 0;
  }

  /** {@inheritDoc MergeTrain.close} */
  async close(): Promise<void> {
    this.#broken ??= new ConflictError('merge train closed');
    await this.#reader.close();
  }

  #usable(): void {
    if (this.#broken) throw this.#broken;
  }

  async #commit(name: string): Promise<CommitInfo> {
    const commit =
      this.#writer.pendingCommit(name) ?? (await this.#reader.commit(name));
    if (!commit) throw new NotFoundError(`unknown ref: ${name}`);
    return commit;
  }

  /** The fast path's view of this train's objects. */
  readonly #objects: MergeObjects = {
    parentsOf: (commit) => this.#links.get(commit.sha) ?? this.#link(commit),
    commit: (sha) => this.#commit(sha),
    tree: (sha) => this.#tree(sha),
    writeTree: (entries) => {
      const sha = this.#writer.tree(entries);
      this.#reader.rememberTree(sha, entries);
      return sha;
    },
  };

  /** Links a commit to its parents once per train (merge base walks). */
  async #link(commit: CommitInfo): Promise<CommitInfo[]> {
    const parents: CommitInfo[] = [];
    for (const sha of commit.parents) {
      const parent =
        this.#writer.pendingCommit(sha) ??
        this.#reader.cachedCommit(sha) ??
        (await this.#reader.commit(sha));
      if (!parent) throw new MissingCommitError(sha);
      parents.push(parent);
    }
    this.#links.set(commit.sha, parents);
    return parents;
  }

  #tree(sha: string): Promise<TreeEntry[]> {
    const pending = this.#writer.pendingTree(sha);
    return pending ? Promise.resolve(pending) : this.#reader.tree(sha);
  }

  /** `git merge-tree` on the tip, once the train's objects are written. */
  async #gitSimulation(
    tipSha: string,
    sourceSha: string,
    source: string,
  ): Promise<MergeSimulation> {
    await this.#writer.flush();
    return simulateCommits(
      this.#config,
      { targetSha: tipSha, sourceSha },
      `${source} and ${this.target}`,
    );
  }
}

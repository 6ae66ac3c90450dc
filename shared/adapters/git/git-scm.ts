/**
 * The git CLI adapter of the Scm port, for the CLI and the local stack.
 * Needs git >= 2.38 (`merge-tree --write-tree`). It never checks anything
 * out: simulations run in memory and merges only write objects and one ref,
 * so it works the same on bare and non-bare repositories. Merge trains
 * (git-train.ts) merge a whole queue with a few long-lived processes.
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
  MergeTrain,
  Scm,
} from '../../ports/scm.js';
import {
  changesSinceBase,
  commitLog,
  commitTree,
  compareAndSwapRef,
  mergeTree,
  resolveCommit,
  resolveCommits,
  resolveTree,
  simulateCommits,
} from './git-commands.js';
import {
  BoundedCache,
  newObjectCaches,
  type ObjectCaches,
} from './git-objects.js';
import { countCoChanges } from './git-output.js';
import {
  assertObjectId,
  assertRefName,
  branchRef,
  checkMergeInput,
} from './git-refs.js';
import { GitMergeTrain } from './git-train.js';
import { type GitRunConfig, gitEnvironment } from './run-git.js';

/** How to reach the repository. */
export interface GitScmOptions {
  /** The repository: a work tree (or any folder in it) or a bare repo. */
  repoDir: string;
  /** The git executable; default `git` from PATH. */
  gitBinary?: string;
  /** Per git command; default 60 000 ms. A timeout is a TransientError. */
  timeoutMs?: number;
  /** Committer and author of merge commits; default: the repo's config. */
  identity?: { name: string; email: string };
  /** The environment git runs in; default `process.env` (scrubbed). */
  env?: NodeJS.ProcessEnv;
  /** Bigger commits are left out of co-change counts; default 500. */
  coChangeMaxFilesPerCommit?: number;
}

/** The original's coupling rule (reference §3): top 50 pairs, >= 2 each. */
const COUPLING = { minCount: 2, top: 50 };

/**
 * {@link Scm} over the git CLI.
 *
 * @example
 * ```ts
 * const scm = new GitScm({ repoDir: '/srv/repos/app' });
 * const sim = await scm.simulateMerge('feature/login', 'main');
 * ```
 */
export class GitScm implements Scm {
  readonly #config: GitRunConfig;
  readonly #maxFilesPerCommit: number;
  /** Parsed commits and trees, shared by this instance's merge trains. */
  readonly #caches: ObjectCaches = newObjectCaches();
  /** `${target}:${source}` -> the clean tree `simulateMerge` reported. */
  readonly #tested = new BoundedCache<string>(1_000);

  constructor(options: GitScmOptions) {
    const { identity } = options;
    this.#config = {
      repoDir: options.repoDir,
      gitBinary: options.gitBinary ?? 'git',
      timeoutMs: options.timeoutMs ?? 60_000,
      env: gitEnvironment(options.env ?? process.env),
      configArgs: identity ? identityArgs(identity.name, identity.email) : [],
    };
    this.#maxFilesPerCommit = options.coChangeMaxFilesPerCommit ?? 500;
  }

  /** {@inheritDoc Scm.simulateMerge} */
  async simulateMerge(
    source: string,
    target: string,
  ): Promise<MergeSimulation> {
    const [sourceSha, targetSha] = await this.#resolvePair(source, target);
    const simulation = await simulateCommits(
      this.#config,
      { targetSha, sourceSha },
      `${source} and ${target}`,
    );
    if (simulation.treeSha !== null) {
      this.#tested.set(`${targetSha}:${sourceSha}`, simulation.treeSha);
    }
    return simulation;
  }

  /** {@inheritDoc Scm.changedFiles} */
  async changedFiles(source: string, target: string): Promise<string[]> {
    const [sourceSha, targetSha] = await this.#resolvePair(source, target);
    const names = `${source} and ${target}`;
    const changes = await changesSinceBase(
      this.#config,
      targetSha,
      sourceSha,
      names,
    );
    return changes.files;
  }

  /** {@inheritDoc Scm.headSha} */
  async headSha(ref: string): Promise<string> {
    assertRefName(ref, 'ref');
    const sha = await resolveCommit(this.#config, ref);
    if (sha === null) throw new NotFoundError(`unknown ref: ${ref}`);
    return sha;
  }

  /** {@inheritDoc Scm.treeOf} */
  async treeOf(commitSha: string): Promise<string> {
    const sha = assertObjectId(commitSha, 'commitSha');
    const tree = await resolveTree(this.#config, sha);
    if (tree === null) throw new NotFoundError(`unknown commit: ${sha}`);
    return tree;
  }

  /** {@inheritDoc Scm.merge} */
  async merge(input: MergeInput): Promise<MergeResult> {
    const targetRef = branchRef(input.target);
    const { expected, treeSha } = checkMergeInput(input);
    const both = await resolveCommits(this.#config, targetRef, input.source);
    const current = both?.[0] ?? (await resolveCommit(this.#config, targetRef));
    if (current === null) {
      throw new NotFoundError(`unknown branch: ${input.target}`);
    }
    if (current !== expected) throw new ConflictError('target moved');
    const sourceSha = both?.[1] ?? (await this.headSha(input.source));
    // A tree this instance simulated for exactly these commits needs no
    // second merge-tree run.
    if (this.#tested.get(`${expected}:${sourceSha}`) !== treeSha) {
      await this.#assertTestedTree(expected, sourceSha, treeSha);
    }
    const mergedSha = await commitTree(this.#config, {
      treeSha,
      parents: [expected, sourceSha],
      message: input.message,
    });
    await compareAndSwapRef(this.#config, {
      name: targetRef,
      next: mergedSha,
      expected,
      reason: `converge: merge ${input.source} into ${input.target}`,
    });
    return { mergedSha };
  }

  /**
   * {@inheritDoc Scm.openTrain}
   * Close the train when done: it holds long-lived `cat-file` processes.
   */
  openTrain(target: string): Promise<MergeTrain> {
    return GitMergeTrain.open(this.#config, this.#caches, target);
  }

  /** {@inheritDoc Scm.coChangeHistory} */
  async coChangeHistory(maxCommits: number): Promise<CoChangePair[]> {
    const commits = await this.commitLog(maxCommits);
    return countCoChanges(commits, {
      ...COUPLING,
      maxFilesPerCommit: this.#maxFilesPerCommit,
    });
  }

  /** {@inheritDoc Scm.commitLog} */
  async commitLog(maxCommits: number): Promise<CommitLogEntry[]> {
    if (!Number.isSafeInteger(maxCommits) || maxCommits < 1) {
      throw new ValidationError('maxCommits must be a positive integer', [
        { path: 'maxCommits', message: 'must be a positive integer' },
      ]);
    }
    const head = await resolveCommit(this.#config, 'HEAD');
    if (head === null) return [];
    return commitLog(this.#config, head, maxCommits);
  }

  /** Both commits at once; when one is unknown, say which. */
  async #resolvePair(
    source: string,
    target: string,
  ): Promise<[string, string]> {
    assertRefName(source, 'source');
    assertRefName(target, 'target');
    const both = await resolveCommits(this.#config, source, target);
    if (both !== null) return both;
    return Promise.all([this.headSha(source), this.headSha(target)]);
  }

  /** The merge commit must carry exactly the tree that was simulated. */
  async #assertTestedTree(
    targetSha: string,
    sourceSha: string,
    treeSha: string,
  ): Promise<void> {
    const outcome = await mergeTree(this.#config, targetSha, sourceSha);
    if (!outcome.clean || outcome.treeSha !== treeSha) {
      throw new ConflictError(
        'source moved: the tested tree is not the merge of the current source',
      );
    }
  }
}

/** `-c` pairs that set the author and committer of merge commits. */
function identityArgs(name: string, email: string): string[] {
  return ['-c', `user.name=${name}`, '-c', `user.email=${email}`];
}

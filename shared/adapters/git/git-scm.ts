/**
 * The git CLI adapter of the Scm port, for the CLI and the local stack.
 * Needs git >= 2.38 (`merge-tree --write-tree`). It never checks anything
 * out: simulations run in memory and merges only write objects and one ref,
 * so it works the same on bare and non-bare repositories.
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
import {
  changesSinceBase,
  commitLog,
  commitTree,
  compareAndSwapRef,
  mergeTree,
  resolveCommit,
  resolveCommits,
  resolveTree,
} from './git-commands.js';
import { countCoChanges } from './git-output.js';
import {
  assertObjectId,
  assertRefName,
  branchRef,
  checkMergeInput,
} from './git-refs.js';
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
    // merge-tree needs no merge base, so it runs beside merge-base + diff.
    const [merged, changes] = await Promise.allSettled([
      mergeTree(this.#config, targetSha, sourceSha),
      changesSinceBase(
        this.#config,
        targetSha,
        sourceSha,
        `${source} and ${target}`,
      ),
    ]);
    // The diff's error (e.g. no common history) explains merge-tree's too.
    if (changes.status === 'rejected') throw changes.reason;
    if (merged.status === 'rejected') throw merged.reason;
    const outcome = merged.value;
    return {
      mergeable: outcome.clean,
      conflicts: outcome.conflicts,
      filesChanged: changes.value.files,
      sourceSha,
      targetSha,
      mergeBaseSha: changes.value.mergeBaseSha,
      treeSha: outcome.clean ? outcome.treeSha : null,
    };
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
    const current = await resolveCommit(this.#config, targetRef);
    if (current === null) {
      throw new NotFoundError(`unknown branch: ${input.target}`);
    }
    if (current !== expected) throw new ConflictError('target moved');
    const sourceSha = await this.headSha(input.source);
    await this.#assertTestedTree(expected, sourceSha, treeSha);
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

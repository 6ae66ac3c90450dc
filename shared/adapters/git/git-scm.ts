/**
 * The git CLI adapter of the Scm port, for the CLI and the local stack.
 * Needs git >= 2.38 (`merge-tree --write-tree`). It never checks anything
 * out: simulations run in memory and merges only write objects and one ref,
 * so it works the same on bare and non-bare repositories.
 */
import {
  ConflictError,
  NotFoundError,
  TransientError,
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
  countCoChanges,
  LOG_FIELD,
  LOG_RECORD,
  type MergeTreeOutcome,
  parseLog,
  parseMergeTree,
  parsePathList,
} from './git-output.js';
import {
  assertObjectId,
  assertRefName,
  branchRef,
  isObjectId,
} from './git-refs.js';
import {
  GitCommandError,
  type GitRunConfig,
  gitEnvironment,
  runGit,
} from './run-git.js';

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

const COUPLING_MIN_CO_CHANGES = 2;
const COUPLING_TOP_N = 50;

/** Rename detection matches GitHub's compare: one entry, the new path. */
const DIFF_FLAGS = ['-r', '-z', '--name-only', '--no-commit-id', '-M'];
const REV_PARSE = ['rev-parse', '--verify', '--quiet', '--end-of-options'];
const MERGE_TREE = [
  'merge-tree',
  '--write-tree',
  '--name-only',
  '--messages',
  '-z',
];
/** Merges list no files (`--diff-merges=off`) but count towards the limit. */
const LOG_FLAGS = [
  `--format=${LOG_RECORD}%H${LOG_FIELD}%an`,
  '-z',
  '--name-only',
  '-M',
  '--diff-merges=off',
  '--no-color',
  '--no-ext-diff',
  '--no-show-signature',
];

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
    const identity = options.identity;
    this.#config = {
      repoDir: options.repoDir,
      gitBinary: options.gitBinary ?? 'git',
      timeoutMs: options.timeoutMs ?? 60_000,
      env: gitEnvironment(options.env ?? process.env),
      configArgs: identity
        ? [
            '-c',
            `user.name=${identity.name}`,
            '-c',
            `user.email=${identity.email}`,
          ]
        : [],
    };
    this.#maxFilesPerCommit = options.coChangeMaxFilesPerCommit ?? 500;
  }

  /** {@inheritDoc Scm.simulateMerge} */
  async simulateMerge(
    source: string,
    target: string,
  ): Promise<MergeSimulation> {
    const { sourceSha, targetSha } = await this.#resolvePair(source, target);
    // merge-tree needs no merge base, so it runs beside merge-base -> diff.
    const [merged, changes] = await Promise.allSettled([
      this.#mergeTree(targetSha, sourceSha),
      this.#changesSinceBase(sourceSha, targetSha, source, target),
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
    const { sourceSha, targetSha } = await this.#resolvePair(source, target);
    const changes = await this.#changesSinceBase(
      sourceSha,
      targetSha,
      source,
      target,
    );
    return changes.files;
  }

  /** {@inheritDoc Scm.headSha} */
  async headSha(ref: string): Promise<string> {
    assertRefName(ref, 'ref');
    const sha = await this.#tryResolve(ref);
    if (sha === null) throw new NotFoundError(`unknown ref: ${ref}`);
    return sha;
  }

  /** {@inheritDoc Scm.merge} */
  async merge(input: MergeInput): Promise<MergeResult> {
    assertRefName(input.source, 'source');
    const targetRef = branchRef(input.target);
    const expected = assertObjectId(
      input.expectedTargetSha,
      'expectedTargetSha',
    );
    const treeSha = assertObjectId(input.treeSha, 'treeSha');
    if (input.message.trim().length === 0) {
      throw new ValidationError('merge message is blank', [
        { path: 'message', message: 'is blank' },
      ]);
    }
    const current = await this.#tryResolve(targetRef);
    if (current === null) {
      throw new NotFoundError(`unknown branch: ${input.target}`);
    }
    if (current !== expected) throw new ConflictError('target moved');
    const sourceSha = await this.headSha(input.source);
    await this.#assertTestedTree(expected, sourceSha, treeSha);
    const { stdout } = await runGit(this.#config, [
      'commit-tree',
      treeSha,
      '-p',
      expected,
      '-p',
      sourceSha,
      '-m',
      input.message,
    ]);
    const mergedSha = stdout.trim();
    await this.#compareAndSwap(targetRef, mergedSha, expected, input);
    return { mergedSha };
  }

  /** {@inheritDoc Scm.coChangeHistory} */
  async coChangeHistory(maxCommits: number): Promise<CoChangePair[]> {
    const commits = await this.commitLog(maxCommits);
    return countCoChanges(commits, {
      minCount: COUPLING_MIN_CO_CHANGES,
      top: COUPLING_TOP_N,
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
    const head = await this.#tryResolve('HEAD');
    if (head === null) return [];
    const { stdout } = await runGit(this.#config, [
      'log',
      `--max-count=${maxCommits}`,
      ...LOG_FLAGS,
      head,
      '--',
    ]);
    return parseLog(stdout);
  }

  /** Both commits from one rev-parse; on failure, find the missing one. */
  async #resolvePair(
    source: string,
    target: string,
  ): Promise<{ sourceSha: string; targetSha: string }> {
    assertRefName(source, 'source');
    assertRefName(target, 'target');
    const { stdout, exitCode } = await runGit(
      this.#config,
      [
        'rev-parse',
        '--end-of-options',
        `${source}^{commit}`,
        `${target}^{commit}`,
      ],
      [0, 128],
    );
    const [sourceSha, targetSha, ...extra] = stdout
      .split('\n')
      .filter(isObjectId);
    if (exitCode === 0 && sourceSha && targetSha && extra.length === 0) {
      return { sourceSha, targetSha };
    }
    const [s, t] = await Promise.all([
      this.headSha(source),
      this.headSha(target),
    ]);
    return { sourceSha: s, targetSha: t };
  }

  /** The merge base and the paths the source changed since it. */
  async #changesSinceBase(
    sourceSha: string,
    targetSha: string,
    source: string,
    target: string,
  ): Promise<{ mergeBaseSha: string; files: string[] }> {
    const [base, diff] = await Promise.all([
      runGit(this.#config, ['merge-base', targetSha, sourceSha], [0, 1]),
      runGit(
        this.#config,
        [
          'diff-tree',
          ...DIFF_FLAGS,
          '--merge-base',
          targetSha,
          sourceSha,
          '--',
        ],
        [0, 128],
      ),
    ]);
    if (base.exitCode === 1) {
      throw new ValidationError(
        `${source} and ${target} have no common history`,
      );
    }
    const mergeBaseSha = base.stdout.trim();
    if (diff.exitCode === 0) {
      return { mergeBaseSha, files: parsePathList(diff.stdout) };
    }
    // Criss-cross history: --merge-base refuses several bases, so diff from
    // the one `merge-base` picked (as `git diff target...source` does).
    return {
      mergeBaseSha,
      files: await this.#diffNames(mergeBaseSha, sourceSha),
    };
  }

  async #tryResolve(ref: string): Promise<string | null> {
    const { stdout, exitCode } = await runGit(
      this.#config,
      [...REV_PARSE, `${ref}^{commit}`],
      [0, 1],
    );
    return exitCode === 0 ? stdout.trim() : null;
  }

  async #mergeTree(
    targetSha: string,
    sourceSha: string,
  ): Promise<MergeTreeOutcome> {
    const { stdout, exitCode } = await runGit(
      this.#config,
      [...MERGE_TREE, targetSha, sourceSha],
      [0, 1],
    );
    return parseMergeTree(stdout, exitCode === 0);
  }

  async #diffNames(baseSha: string, sourceSha: string): Promise<string[]> {
    const { stdout } = await runGit(this.#config, [
      'diff-tree',
      ...DIFF_FLAGS,
      baseSha,
      sourceSha,
      '--',
    ]);
    return parsePathList(stdout);
  }

  /** The merge commit must carry exactly the tree that was simulated. */
  async #assertTestedTree(
    targetSha: string,
    sourceSha: string,
    treeSha: string,
  ): Promise<void> {
    const outcome = await this.#mergeTree(targetSha, sourceSha);
    if (!outcome.clean || outcome.treeSha !== treeSha) {
      throw new ConflictError(
        'source moved: the tested tree is not the merge of the current source',
      );
    }
  }

  async #compareAndSwap(
    targetRef: string,
    mergedSha: string,
    expected: string,
    input: MergeInput,
  ): Promise<void> {
    const reason = `converge: merge ${input.source} into ${input.target}`;
    try {
      await runGit(this.#config, [
        'update-ref',
        '-m',
        reason,
        targetRef,
        mergedSha,
        expected,
      ]);
    } catch (error) {
      if (!(error instanceof GitCommandError)) throw error;
      const now = await this.#tryResolve(targetRef);
      if (now !== expected) throw new ConflictError('target moved');
      // "Unable to create '<ref>.lock'": the path is not translated.
      if (!error.stderr.includes('.lock')) throw error;
      throw new TransientError(`${targetRef} is locked by another writer`, 1, {
        cause: error,
      });
    }
  }
}

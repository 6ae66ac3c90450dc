/**
 * One function per git invocation the git adapter makes, each returning
 * parsed, typed output and mapping the exit codes it expects. Refs reach
 * these functions already validated (git-refs.ts).
 */
import {
  ConflictError,
  TransientError,
  ValidationError,
} from '../../domain/errors.js';
import type { CommitLogEntry, MergeSimulation } from '../../ports/scm.js';
import {
  LOG_FIELD,
  LOG_RECORD,
  type MergeTreeOutcome,
  parseLog,
  parseMergeTree,
  parsePathList,
} from './git-output.js';
import { isObjectId } from './git-refs.js';
import { GitCommandError, type GitRunConfig, runGit } from './run-git.js';

/** Rename detection matches GitHub's compare: one entry, the new path. */
const DIFF_FLAGS = ['-r', '-z', '--name-only', '--no-commit-id', '-M'];
const REV_PARSE = ['rev-parse', '--verify', '--quiet', '--end-of-options'];
const MERGE_TREE = ['merge-tree', '--write-tree', '--name-only'];
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
 * The commit `ref` names, or null when it names none.
 *
 * @example
 * ```ts
 * const sha = await resolveCommit(config, 'main');
 * ```
 */
export async function resolveCommit(
  config: GitRunConfig,
  ref: string,
): Promise<string | null> {
  const { stdout, exitCode } = await runGit(
    config,
    [...REV_PARSE, `${ref}^{commit}`],
    [0, 1],
  );
  return exitCode === 0 ? stdout.trim() : null;
}

/** The tree of a commit, or null if the commit is unknown. */
export async function resolveTree(
  config: GitRunConfig,
  commitSha: string,
): Promise<string | null> {
  const { stdout, exitCode } = await runGit(
    config,
    [...REV_PARSE, `${commitSha}^{tree}`],
    [0, 1],
  );
  return exitCode === 0 ? stdout.trim() : null;
}

/**
 * Both commits from one `rev-parse`, or null if either is unknown (the
 * caller then resolves them one by one to name the missing one).
 */
export async function resolveCommits(
  config: GitRunConfig,
  first: string,
  second: string,
): Promise<[string, string] | null> {
  const { stdout, exitCode } = await runGit(
    config,
    [
      'rev-parse',
      '--end-of-options',
      `${first}^{commit}`,
      `${second}^{commit}`,
    ],
    [0, 128],
  );
  // Older git echoes `--end-of-options`: keep only the object ids.
  const shas = stdout.split('\n').filter(isObjectId);
  const [a, b] = shas;
  if (exitCode !== 0 || shas.length !== 2 || !a || !b) return null;
  return [a, b];
}

/**
 * `git merge-tree --write-tree` of `targetSha` (ours) and `sourceSha`.
 *
 * @throws {GitCommandError} git predates 2.38, or the merge cannot run.
 */
export async function mergeTree(
  config: GitRunConfig,
  targetSha: string,
  sourceSha: string,
): Promise<MergeTreeOutcome> {
  const { stdout, stderr, exitCode } = await runGit(
    config,
    [...MERGE_TREE, '--messages', '-z', targetSha, sourceSha],
    [0, 1, 129],
  );
  if (exitCode === 129) {
    // A usage error: this git has no `merge-tree --write-tree`.
    const message = 'git >= 2.38 is required (merge-tree --write-tree)';
    throw new GitCommandError(message, MERGE_TREE, exitCode, stderr);
  }
  return parseMergeTree(stdout, exitCode === 0);
}

/**
 * The merge base of the two commits and the paths `sourceSha` changed since
 * it (`target...source`, DECISIONS 5).
 *
 * @throws {ValidationError} the commits share no history.
 */
export async function changesSinceBase(
  config: GitRunConfig,
  targetSha: string,
  sourceSha: string,
  names = 'source and target',
): Promise<{ mergeBaseSha: string; files: string[] }> {
  const [base, diff] = await Promise.all([
    runGit(config, ['merge-base', targetSha, sourceSha], [0, 1]),
    runGit(
      config,
      ['diff-tree', ...DIFF_FLAGS, '--merge-base', targetSha, sourceSha, '--'],
      [0, 128],
    ),
  ]);
  if (base.exitCode === 1) {
    throw new ValidationError(`${names} have no common history`);
  }
  const mergeBaseSha = base.stdout.trim();
  if (diff.exitCode === 0) {
    return { mergeBaseSha, files: parsePathList(diff.stdout) };
  }
  // Criss-cross history: --merge-base refuses several bases, so diff from
  // the one `merge-base` picked (as `git diff target...source` does).
  const { stdout } = await runGit(config, [
    'diff-tree',
    ...DIFF_FLAGS,
    mergeBaseSha,
    sourceSha,
    '--',
  ]);
  return { mergeBaseSha, files: parsePathList(stdout) };
}

/**
 * The merge of `sourceSha` onto `targetSha` by git: `merge-tree` beside
 * `merge-base` + `diff-tree` (merge-tree needs no merge base).
 *
 * @throws {ValidationError} the commits share no history.
 * @throws {GitCommandError} git predates 2.38, or the merge cannot run.
 */
export async function simulateCommits(
  config: GitRunConfig,
  shas: { targetSha: string; sourceSha: string },
  names: string,
): Promise<MergeSimulation> {
  const { targetSha, sourceSha } = shas;
  const [merged, changes] = await Promise.allSettled([
    mergeTree(config, targetSha, sourceSha),
    changesSinceBase(config, targetSha, sourceSha, names),
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

/** Paths changed from `fromSha` to `toSha`, renames under the new path. */
export async function diffFiles(
  config: GitRunConfig,
  fromSha: string,
  toSha: string,
): Promise<string[]> {
  const args = ['diff-tree', ...DIFF_FLAGS, fromSha, toSha, '--'];
  const { stdout } = await runGit(config, args);
  return parsePathList(stdout);
}

/**
 * Writes a merge commit with exactly `treeSha` and the two parents, and
 * returns its SHA. No ref moves.
 */
export async function commitTree(
  config: GitRunConfig,
  input: { treeSha: string; parents: [string, string]; message: string },
): Promise<string> {
  const [first, second] = input.parents;
  const { stdout } = await runGit(config, [
    'commit-tree',
    input.treeSha,
    '-p',
    first,
    '-p',
    second,
    '-m',
    input.message,
  ]);
  return stdout.trim();
}

/**
 * Moves `ref` from `expected` to `next` only if it is still at `expected`.
 *
 * @throws {ConflictError} the ref moved; it is left as it is.
 * @throws {TransientError} another writer holds the ref's lock file.
 */
export async function compareAndSwapRef(
  config: GitRunConfig,
  ref: { name: string; next: string; expected: string; reason: string },
): Promise<void> {
  try {
    await runGit(config, [
      'update-ref',
      '-m',
      ref.reason,
      ref.name,
      ref.next,
      ref.expected,
    ]);
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    const now = await resolveCommit(config, ref.name);
    if (now !== ref.expected) throw new ConflictError('target moved');
    // "Unable to create '<ref>.lock'": the path is never translated.
    if (!error.stderr.includes('.lock')) throw error;
    throw new TransientError(`${ref.name} is locked by another writer`, 1, {
      cause: error,
    });
  }
}

/** The last `maxCommits` commits from `headSha`, newest first. */
export async function commitLog(
  config: GitRunConfig,
  headSha: string,
  maxCommits: number,
): Promise<CommitLogEntry[]> {
  const { stdout } = await runGit(config, [
    'log',
    `--max-count=${maxCommits}`,
    ...LOG_FLAGS,
    headSha,
    '--',
  ]);
  return parseLog(stdout);
}

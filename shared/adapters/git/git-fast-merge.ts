/**
 * The in-process fast path of a merge train's simulation: the merge base
 * walk and the trivial tree merge over objects read through `cat-file`,
 * used only where the result is certainly what `git merge-tree` reports.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MergeSimulation } from '../../ports/scm.js';
import { diffFiles } from './git-commands.js';
import {
  MissingCommitError,
  mergeBaseCandidates,
  type ParentSource,
} from './git-merge-base.js';
import { type CommitInfo, TREE_MODE, type TreeEntry } from './git-objects.js';
import { changedPaths, trivialTreeMerge } from './git-tree-merge.js';
import { type GitRunConfig, runGit } from './run-git.js';

/** How the fast path reaches objects (read, cached or still unwritten). */
export interface MergeObjects {
  parentsOf: ParentSource;
  /** @throws {NotFoundError} the commit does not exist. */
  commit(sha: string): Promise<CommitInfo>;
  tree(sha: string): Promise<TreeEntry[]>;
  /** Names a new tree (written later) and returns its id. */
  writeTree(entries: TreeEntry[]): string;
}

/**
 * False when commits may not be what `cat-file` shows (shallow history,
 * grafts, replace refs): then every simulation asks git.
 *
 * @example
 * ```ts
 * const fast = await fastPathAllowed(config);
 * ```
 */
export async function fastPathAllowed(config: GitRunConfig): Promise<boolean> {
  const [info, replaced] = await Promise.all([
    runGit(config, [
      'rev-parse',
      '--is-shallow-repository',
      '--git-path',
      'info/grafts',
    ]),
    runGit(config, [
      'for-each-ref',
      '--count=1',
      '--format=%(refname)',
      'refs/replace/',
    ]),
  ]);
  const [shallow = '', grafts = ''] = info.stdout.split('\n');
  return (
    shallow === 'false' &&
    replaced.stdout.trim() === '' &&
    !existsSync(resolve(config.repoDir, grafts))
  );
}

/**
 * The merge of `source` onto `tip` as `simulateMerge` reports it, or null
 * when git has to merge: several merge base candidates, an unreadable
 * commit, or a merge the trivial tree merge does not decide. The changed
 * files come from git only when renames could hide among them.
 *
 * @example
 * ```ts
 * const sim = (await fastMerge(objects, config, tip, source)) ?? byGit();
 * ```
 */
export async function fastMerge(
  objects: MergeObjects,
  config: GitRunConfig,
  tip: CommitInfo,
  source: CommitInfo,
): Promise<MergeSimulation | null> {
  let bases: string[];
  try {
    bases = await mergeBaseCandidates(objects.parentsOf, tip, source);
  } catch (error) {
    if (error instanceof MissingCommitError) return null;
    throw error;
  }
  const [baseSha] = bases;
  if (bases.length !== 1 || baseSha === undefined) return null;
  const base = await objects.commit(baseSha);
  const read = (sha: string) => objects.tree(sha);
  const treeSha = await trivialTreeMerge(
    read,
    async (entries) => objects.writeTree(entries),
    { base: base.tree, ours: tip.tree, theirs: source.tree },
  );
  if (treeSha === null) return null;
  const changes = await changedPaths(read, base.tree, source.tree);
  const filesChanged =
    changes.added && changes.deleted
      ? await diffFiles(config, base.sha, source.sha)
      : changes.paths;
  return {
    mergeable: true,
    conflicts: [],
    filesChanged,
    sourceSha: source.sha,
    targetSha: tip.sha,
    mergeBaseSha: base.sha,
    treeSha,
  };
}

/**
 * The directories worth reading ahead for `sources`: their root trees and
 * the top-level directories that differ from the tip's.
 */
export async function treesToReadAhead(
  objects: Pick<MergeObjects, 'tree'>,
  tip: CommitInfo,
  sources: readonly CommitInfo[],
): Promise<string[]> {
  const tipRoot = new Map(
    (await objects.tree(tip.tree)).map((e) => [e.name, e.sha]),
  );
  const subtrees: string[] = [];
  for (const commit of sources) {
    for (const entry of await objects.tree(commit.tree)) {
      const isDir = entry.mode === TREE_MODE;
      if (isDir && tipRoot.get(entry.name) !== entry.sha) {
        subtrees.push(entry.sha);
      }
    }
  }
  return subtrees;
}

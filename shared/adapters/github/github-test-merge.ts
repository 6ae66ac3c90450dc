/**
 * Test merges on a staging branch: GitHub's merge API decides whether a
 * source merges cleanly into a target tip and which tree results, without
 * touching the target branch.
 */
import {
  ConflictError,
  TransientError,
  ValidationError,
} from '../../domain/errors.js';
import type { GitHubOctokit } from './github-client.js';
import type { BoundCall, RepoCoordinates } from './github-log.js';

/** Whether the source merges cleanly, and the resulting tree. */
export interface TestMerge {
  mergeable: boolean;
  /** The merged tree; null when not mergeable. */
  treeSha: string | null;
  /**
   * The commit now at the tip of the staging branch: the test merge commit
   * (first parent `targetSha`, second `sourceSha`), or `targetSha` itself
   * when the source is already in the target; null when not mergeable.
   */
  commitSha: string | null;
}

/** What to merge where. */
export interface TestMergeInput {
  repo: RepoCoordinates;
  /** e.g. `converge/staging/main`; created on first use. */
  stagingBranch: string;
  targetSha: string;
  sourceSha: string;
  /** Message of the test merge commit; a default names both SHAs. */
  message?: string;
}

type MergeResponse = Awaited<
  ReturnType<GitHubOctokit['rest']['repos']['merge']>
>;

/**
 * Resets the staging branch to `targetSha` and asks GitHub to merge the
 * source into it: 201 is clean (its tree), 409 a conflict, 204 nothing to
 * merge (the source is already in the target, so the target's tree).
 *
 * @throws {TransientError} another simulation moved the staging branch
 *   between the reset and the merge (retry), or GitHub is unavailable.
 * @example
 * ```ts
 * const { mergeable, treeSha } = await testMerge(call, {
 *   repo, stagingBranch: 'converge/staging/main', targetSha, sourceSha,
 * });
 * ```
 */
export async function testMerge(
  call: BoundCall,
  input: TestMergeInput,
): Promise<TestMerge> {
  const { repo, stagingBranch, targetSha, sourceSha } = input;
  await resetBranch(call, repo, stagingBranch, targetSha);
  let response: MergeResponse;
  try {
    response = await call(
      'POST merges',
      (o) =>
        o.rest.repos.merge({
          ...repo,
          base: stagingBranch,
          head: sourceSha,
          commit_message:
            input.message ??
            `converge: test merge ${sourceSha} into ${targetSha}`,
        }),
      { conflictStatuses: [409] },
    );
  } catch (error) {
    if (error instanceof ConflictError) {
      return { mergeable: false, treeSha: null, commitSha: null };
    }
    throw error;
  }
  // Octokit types only the 201; GitHub answers 204 when nothing merges.
  const status: number = response.status;
  if (status === 204) {
    const treeSha = await treeOf(call, repo, targetSha);
    return { mergeable: true, treeSha, commitSha: targetSha };
  }
  if (response.data.parents[0]?.sha !== targetSha) {
    throw new TransientError(`staging branch ${stagingBranch} moved; retry`);
  }
  return {
    mergeable: true,
    treeSha: response.data.commit.tree.sha,
    commitSha: response.data.sha,
  };
}

async function treeOf(
  call: BoundCall,
  repo: RepoCoordinates,
  sha: string,
): Promise<string> {
  const { data } = await call('GET git/commits', (o) =>
    o.rest.git.getCommit({ ...repo, commit_sha: sha }),
  );
  return data.tree.sha;
}

/** Creates `heads/<branch>` at `sha`, or force-moves it there. */
async function resetBranch(
  call: BoundCall,
  repo: RepoCoordinates,
  branch: string,
  sha: string,
): Promise<void> {
  try {
    await call('PATCH git/refs (staging)', (o) =>
      o.rest.git.updateRef({
        ...repo,
        ref: `heads/${branch}`,
        sha,
        force: true,
      }),
    );
  } catch (error) {
    // 422 "Reference does not exist": the first simulation on this target.
    if (!(error instanceof ValidationError)) throw error;
    await call('POST git/refs (staging)', (o) =>
      o.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha }),
    );
  }
}

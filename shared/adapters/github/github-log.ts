/**
 * Repository coordinates and the commit history over the commits API, for
 * the GitHub Scm adapter.
 */
import { ConflictError, ValidationError } from '../../domain/errors.js';
import type { CommitLogEntry } from '../../ports/scm.js';
import type { GitHubOctokit } from './github-client.js';
import type { ErrorMapping } from './github-errors.js';

/** `{ owner, repo }`, as every Octokit repository method takes them. */
export interface RepoCoordinates {
  owner: string;
  repo: string;
}

const REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

/**
 * `owner/name` -> `{ owner, repo }`.
 * @throws {ValidationError} not `owner/name`.
 * @example
 * ```ts
 * parseRepo('acme/app'); // { owner: 'acme', repo: 'app' }
 * ```
 */
export function parseRepo(fullName: string): RepoCoordinates {
  const match = REPO.exec(fullName);
  if (!match?.[1] || !match[2]) {
    throw new ValidationError(
      `invalid repository ${JSON.stringify(fullName)}`,
      [{ path: 'repo', message: 'must be owner/name' }],
    );
  }
  return { owner: match[1], repo: match[2] };
}

/** A breaker-wrapped call, as `GitHubClient.call` bound to an installation. */
export type BoundCall = <T>(
  operation: string,
  fn: (octokit: GitHubOctokit) => Promise<T>,
  mapping?: ErrorMapping,
) => Promise<T>;

const PAGE_SIZE = 100;
/** Commit detail requests in flight at once. */
const DETAIL_CONCURRENCY = 8;

interface ListedCommit {
  sha: string;
  author: string;
  parents: number;
}

/**
 * The newest `limit` commits of the default branch with the files each
 * changed against its first parent (merges list none, as `git log
 * --diff-merges=off` does). Empty for an empty repository (409).
 */
export async function commitLog(
  call: BoundCall,
  repo: RepoCoordinates,
  limit: number,
): Promise<CommitLogEntry[]> {
  const listed = await listCommits(call, repo, limit);
  const entries: CommitLogEntry[] = [];
  for (let i = 0; i < listed.length; i += DETAIL_CONCURRENCY) {
    const batch = listed.slice(i, i + DETAIL_CONCURRENCY);
    entries.push(
      ...(await Promise.all(batch.map((c) => withFiles(call, repo, c)))),
    );
  }
  return entries;
}

async function listCommits(
  call: BoundCall,
  repo: RepoCoordinates,
  limit: number,
): Promise<ListedCommit[]> {
  const out: ListedCommit[] = [];
  for (let page = 1; out.length < limit; page += 1) {
    const perPage = Math.min(PAGE_SIZE, limit - out.length);
    let data: Awaited<
      ReturnType<GitHubOctokit['rest']['repos']['listCommits']>
    >['data'];
    try {
      ({ data } = await call('GET commits', (o) =>
        o.rest.repos.listCommits({ ...repo, per_page: perPage, page }),
      ));
    } catch (error) {
      // "Git Repository is empty."
      if (error instanceof ConflictError) return [];
      throw error;
    }
    for (const c of data.slice(0, perPage)) {
      const author = c.commit.author?.name ?? c.author?.login ?? '';
      out.push({ sha: c.sha, author, parents: c.parents.length });
    }
    if (data.length < perPage) break;
  }
  return out;
}

async function withFiles(
  call: BoundCall,
  repo: RepoCoordinates,
  commit: ListedCommit,
): Promise<CommitLogEntry> {
  if (commit.parents > 1)
    return { sha: commit.sha, author: commit.author, files: [] };
  const { data } = await call('GET commit', (o) =>
    o.rest.repos.getCommit({ ...repo, ref: commit.sha }),
  );
  const files = (data.files ?? []).map((f) => f.filename);
  return { sha: commit.sha, author: commit.author, files };
}

import type {
  FakeCheckRun,
  FakeCommit,
  FakeRepo,
  FakeStatus,
} from './fake-github-model.js';

/** What a repository route gets. */
export interface RouteContext {
  repo: FakeRepo;
  /** The decoded path parameters, by their names in the template. */
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

/** What a route answers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A repository endpoint the fake implements. */
export interface RepoRoute {
  /**
   * `METHOD /template` exactly as in GitHub's OpenAPI description (checked
   * at start-up); the template's parameters name {@link RouteContext.params}.
   */
  operation: string;
  handle(ctx: RouteContext): Reply;
}

const notFound: Reply = { status: 404, body: { message: 'Not Found' } };

function unprocessable(message: string): Reply {
  return { status: 422, body: { message } };
}

function text(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  return typeof value === 'string' ? value : '';
}

/** Files against the first parent; a root commit adds all; merges list none. */
function commitFiles(repo: FakeRepo, commit: FakeCommit) {
  const [first, ...rest] = commit.parents;
  if (rest.length > 0) return [];
  if (first !== undefined) return repo.changes(first, commit.sha);
  return Object.keys(repo.snapshot(commit.sha))
    .sort()
    .map((filename) => ({ filename, status: 'added' as const }));
}

function commitJson(repo: FakeRepo, commit: FakeCommit, withFiles = false) {
  return {
    sha: commit.sha,
    commit: {
      message: commit.message,
      tree: { sha: commit.tree },
      author: { name: commit.author, email: 'test@converge.local' },
    },
    parents: commit.parents.map((sha) => ({ sha })),
    ...(withFiles ? { files: commitFiles(repo, commit) } : {}),
  };
}

function gitCommitJson(commit: FakeCommit) {
  return {
    sha: commit.sha,
    tree: { sha: commit.tree },
    message: commit.message,
    parents: commit.parents.map((sha) => ({ sha })),
    author: { name: commit.author, email: 'test@converge.local' },
  };
}

function refJson(name: string, sha: string, repo: FakeRepo) {
  const type = repo.tags.has(sha) ? 'tag' : 'commit';
  return { ref: `refs/${name}`, object: { sha, type } };
}

function compare({ repo, params }: RouteContext): Reply {
  const [base = '', head = ''] = (params.basehead ?? '').split('...');
  const baseSha = repo.resolve(base);
  const headSha = repo.resolve(head);
  if (baseSha === null || headSha === null) return notFound;
  const mb = repo.mergeBase(baseSha, headSha);
  if (mb === null) return notFound;
  const aheadBy = repo
    .history(headSha)
    .filter((c) => !repo.isAncestor(c.sha, mb));
  const behindBy = repo
    .history(baseSha)
    .filter((c) => !repo.isAncestor(c.sha, mb));
  return {
    status: 200,
    body: {
      status:
        aheadBy.length === 0 && behindBy.length === 0
          ? 'identical'
          : 'diverged',
      ahead_by: aheadBy.length,
      behind_by: behindBy.length,
      merge_base_commit: { sha: mb },
      base_commit: { sha: baseSha },
      commits: aheadBy.reverse().map((c) => commitJson(repo, c)),
      files: repo.changes(mb, headSha),
    },
  };
}

function getRef({ repo, params }: RouteContext): Reply {
  const name = params.ref ?? '';
  const sha = repo.refs.get(name);
  return sha === undefined
    ? notFound
    : { status: 200, body: refJson(name, sha, repo) };
}

function createRef({ repo, body }: RouteContext): Reply {
  const name = text(body, 'ref').replace(/^refs\//, '');
  const sha = text(body, 'sha');
  if (repo.refs.has(name)) return unprocessable('Reference already exists');
  if (!repo.commits.has(sha)) return unprocessable('Object does not exist');
  repo.refs.set(name, sha);
  return { status: 201, body: refJson(name, sha, repo) };
}

function updateRef({ repo, params, body }: RouteContext): Reply {
  const name = params.ref ?? '';
  const current = repo.refs.get(name);
  const sha = text(body, 'sha');
  if (current === undefined) return unprocessable('Reference does not exist');
  if (!repo.commits.has(sha)) return unprocessable('Object does not exist');
  if (body.force !== true && !repo.isAncestor(current, sha)) {
    return unprocessable('Update is not a fast forward');
  }
  repo.refs.set(name, sha);
  return { status: 200, body: refJson(name, sha, repo) };
}

function merge({ repo, body }: RouteContext): Reply {
  const baseName = text(body, 'base');
  const baseSha = repo.refs.get(`heads/${baseName}`);
  const headSha = repo.resolve(text(body, 'head'));
  if (baseSha === undefined)
    return { status: 404, body: { message: 'Base does not exist' } };
  if (headSha === null)
    return { status: 404, body: { message: 'Head does not exist' } };
  if (repo.isAncestor(headSha, baseSha)) return { status: 204 };
  const mb = repo.mergeBase(baseSha, headSha);
  const result =
    mb === null ? { conflicts: [] } : repo.merge3(mb, baseSha, headSha);
  if (!('files' in result))
    return { status: 409, body: { message: 'Merge conflict' } };
  const message =
    text(body, 'commit_message') || `Merge ${headSha} into ${baseName}`;
  const commit = repo.createCommit(
    repo.writeTree(result.files),
    [baseSha, headSha],
    message,
  );
  repo.branch(baseName, commit.sha);
  return { status: 201, body: commitJson(repo, commit) };
}

function createCommit({ repo, body }: RouteContext): Reply {
  const tree = text(body, 'tree');
  const parents = Array.isArray(body.parents) ? body.parents.map(String) : [];
  if (!repo.trees.has(tree)) return unprocessable('Tree SHA does not exist');
  if (parents.some((p) => !repo.commits.has(p))) {
    return unprocessable('Parent SHA does not exist or is not a commit object');
  }
  const commit = repo.createCommit(tree, parents, text(body, 'message'));
  return { status: 201, body: gitCommitJson(commit) };
}

function getGitCommit({ repo, params }: RouteContext): Reply {
  const commit = repo.commits.get(params.commit_sha ?? '');
  return commit ? { status: 200, body: gitCommitJson(commit) } : notFound;
}

function getTag({ repo, params }: RouteContext): Reply {
  const tag = repo.tags.get(params.tag_sha ?? '');
  if (!tag) return notFound;
  return {
    status: 200,
    body: { sha: tag.sha, object: { sha: tag.object, type: 'commit' } },
  };
}

function page<T>(items: T[], query: URLSearchParams): T[] {
  const perPage = Number(query.get('per_page') ?? 30);
  const pageNo = Number(query.get('page') ?? 1);
  return items.slice((pageNo - 1) * perPage, pageNo * perPage);
}

function listCommits({ repo, query }: RouteContext): Reply {
  const start = repo.resolve(query.get('sha') ?? 'HEAD');
  if (start === null) return notFound;
  const commits = page(repo.history(start), query).map((c) =>
    commitJson(repo, c),
  );
  return { status: 200, body: commits };
}

function getCommit({ repo, params }: RouteContext): Reply {
  const sha = repo.resolve(params.ref ?? '');
  const commit = sha === null ? undefined : repo.commits.get(sha);
  return commit
    ? { status: 200, body: commitJson(repo, commit, true) }
    : notFound;
}

function latestBy<T extends { id: number }>(
  items: T[],
  key: (item: T) => string,
): T[] {
  const latest = new Map<string, T>();
  for (const item of items) {
    const seen = latest.get(key(item));
    if (!seen || item.id > seen.id) latest.set(key(item), item);
  }
  return [...latest.values()].sort((a, b) => b.id - a.id);
}

function listCheckRuns({ repo, params, query }: RouteContext): Reply {
  const sha = repo.resolve(params.ref ?? '');
  if (sha === null) return notFound;
  const name = query.get('check_name');
  let runs = repo.checkRuns.filter(
    (r) => r.head_sha === sha && (name === null || r.name === name),
  );
  if (query.get('filter') !== 'all') runs = latestBy(runs, (r) => r.name);
  return {
    status: 200,
    body: { total_count: runs.length, check_runs: page(runs, query) },
  };
}

function combinedStatus({ repo, params }: RouteContext): Reply {
  const sha = repo.resolve(params.ref ?? '');
  if (sha === null) return notFound;
  const statuses = latestBy(
    repo.statuses.filter((s) => s.sha === sha),
    (s) => s.context,
  );
  const states = statuses.map((s) => s.state);
  const state = states.some((s) => s === 'failure' || s === 'error')
    ? 'failure'
    : states.length === 0 || states.includes('pending')
      ? 'pending'
      : 'success';
  return {
    status: 200,
    body: { state, sha, statuses, total_count: statuses.length },
  };
}

function checkRunFields(body: Record<string, unknown>): Partial<FakeCheckRun> {
  const output = (body.output ?? {}) as Record<string, unknown>;
  const fields: Partial<FakeCheckRun> = {};
  if (typeof body.name === 'string') fields.name = body.name;
  if (typeof body.status === 'string')
    fields.status = body.status as FakeCheckRun['status'];
  if (typeof body.conclusion === 'string') fields.conclusion = body.conclusion;
  if (typeof body.external_id === 'string')
    fields.external_id = body.external_id;
  if (typeof body.details_url === 'string')
    fields.details_url = body.details_url;
  if (typeof body.output === 'object') {
    fields.output = {
      title: text(output, 'title'),
      summary: text(output, 'summary'),
    };
  }
  if (fields.conclusion) {
    fields.status = 'completed';
    fields.completed_at = '2030-01-01T00:00:01Z';
  }
  return fields;
}

function createCheckRun({ repo, body }: RouteContext): Reply {
  const sha = text(body, 'head_sha');
  if (!repo.commits.has(sha)) return unprocessable('No commit found for SHA');
  const run = repo.addCheckRun(sha, {
    name: text(body, 'name'),
    status: 'queued',
    ...checkRunFields(body),
  });
  return { status: 201, body: run };
}

function updateCheckRun({ repo, params, body }: RouteContext): Reply {
  const run = repo.checkRuns.find((r) => r.id === Number(params.check_run_id));
  if (!run) return notFound;
  Object.assign(run, checkRunFields(body));
  return { status: 200, body: run };
}

function createStatus({ repo, params, body }: RouteContext): Reply {
  const sha = params.sha ?? '';
  if (!repo.commits.has(sha)) return unprocessable('No commit found for SHA');
  const status = repo.addStatus(sha, {
    context: text(body, 'context') || 'default',
    state: text(body, 'state') as FakeStatus['state'],
    description: text(body, 'description') || null,
    target_url: text(body, 'target_url') || null,
  });
  return { status: 201, body: status };
}

function requiredChecks({ repo, params }: RouteContext): Reply {
  const contexts = repo.protection.get(params.branch ?? '');
  if (!contexts)
    return { status: 404, body: { message: 'Branch not protected' } };
  const checks = contexts.map((context) => ({ context, app_id: null }));
  return { status: 200, body: { strict: true, contexts, checks } };
}

function repoInfo({ repo }: RouteContext): Reply {
  return {
    status: 200,
    body: { full_name: repo.fullName, default_branch: repo.defaultBranch },
  };
}

const R = '/repos/{owner}/{repo}';

/**
 * Every repository endpoint the GitHub adapters call, first match wins (so
 * `/commits/{ref}/status` comes before the multi-segment `/commits/{ref}`).
 */
export const REPO_ROUTES: RepoRoute[] = [
  { operation: `GET ${R}`, handle: repoInfo },
  { operation: `GET ${R}/compare/{basehead}`, handle: compare },
  { operation: `GET ${R}/git/ref/{ref}`, handle: getRef },
  { operation: `POST ${R}/git/refs`, handle: createRef },
  { operation: `PATCH ${R}/git/refs/{ref}`, handle: updateRef },
  { operation: `POST ${R}/merges`, handle: merge },
  { operation: `POST ${R}/git/commits`, handle: createCommit },
  { operation: `GET ${R}/git/commits/{commit_sha}`, handle: getGitCommit },
  { operation: `GET ${R}/git/tags/{tag_sha}`, handle: getTag },
  { operation: `GET ${R}/commits`, handle: listCommits },
  { operation: `GET ${R}/commits/{ref}/check-runs`, handle: listCheckRuns },
  { operation: `GET ${R}/commits/{ref}/status`, handle: combinedStatus },
  { operation: `GET ${R}/commits/{ref}`, handle: getCommit },
  { operation: `POST ${R}/check-runs`, handle: createCheckRun },
  {
    operation: `PATCH ${R}/check-runs/{check_run_id}`,
    handle: updateCheckRun,
  },
  { operation: `POST ${R}/statuses/{sha}`, handle: createStatus },
  {
    operation: `GET ${R}/branches/{branch}/protection/required_status_checks`,
    handle: requiredChecks,
  },
];

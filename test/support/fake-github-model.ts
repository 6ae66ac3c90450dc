import { createHash } from 'node:crypto';

/** A tree as the fake keeps it: path -> file content. */
export type Snapshot = Record<string, string>;

/** One commit of the fake history. */
export interface FakeCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: string;
  /** Creation order; the commits list is newest (highest) first. */
  seq: number;
}

/** A check run as GitHub returns it (the fields Converge reads). */
export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  external_id: string | null;
  details_url: string | null;
  started_at: string;
  completed_at: string | null;
  output: { title: string | null; summary: string | null };
}

/** One commit status. */
export interface FakeStatus {
  id: number;
  sha: string;
  context: string;
  state: 'success' | 'failure' | 'pending' | 'error';
  description: string | null;
  target_url: string | null;
}

/** A path a compare or commit lists, with GitHub's status words. */
export interface FakeFileChange {
  filename: string;
  status: 'added' | 'removed' | 'modified';
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

const SHA = /^[0-9a-f]{40}$/;

/**
 * One repository of the fake GitHub: refs (`heads/main`, `tags/v1`),
 * commits with full snapshots, annotated tags, check runs, statuses and
 * branch protection. Trees are content-addressed, so the same files always
 * give the same tree SHA, as in git.
 *
 * @example
 * const repo = fake.createRepo('acme/app', { 'a.txt': 'a' });
 * const tip = repo.commitOn('main', { 'b.txt': 'b' });
 * repo.branch('feature', tip);
 */
export class FakeRepo {
  readonly defaultBranch = 'main';
  readonly refs = new Map<string, string>();
  readonly commits = new Map<string, FakeCommit>();
  readonly trees = new Map<string, Snapshot>();
  readonly tags = new Map<string, { sha: string; object: string }>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly statuses: FakeStatus[] = [];
  readonly protection = new Map<string, string[]>();
  #seq = 0;

  constructor(
    readonly fullName: string,
    files: Snapshot,
  ) {
    const root = this.createCommit(this.writeTree(files), [], 'initial');
    this.refs.set(`heads/${this.defaultBranch}`, root.sha);
  }

  /** Stores a snapshot; returns its (content) SHA. */
  writeTree(files: Snapshot): string {
    const entries = Object.entries(files).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const sha = sha1(`tree ${JSON.stringify(entries)}`);
    this.trees.set(sha, Object.fromEntries(entries));
    return sha;
  }

  /** Adds a commit object (no ref moves). */
  createCommit(
    tree: string,
    parents: string[],
    message: string,
    author = 'Converge Test',
  ): FakeCommit {
    this.#seq += 1;
    const seq = this.#seq;
    const sha = sha1(`commit ${seq} ${tree} ${parents.join(',')} ${message}`);
    const commit = { sha, tree, parents, message, author, seq };
    this.commits.set(sha, commit);
    return commit;
  }

  /**
   * Commits `changes` (content, or null to delete) on top of `branch` and
   * moves it; returns the new SHA.
   */
  commitOn(
    branch: string,
    changes: Record<string, string | null>,
    message = `change ${branch}`,
    author = 'Converge Test',
  ): string {
    const parent = this.refs.get(`heads/${branch}`);
    if (parent === undefined) throw new Error(`no branch ${branch}`);
    const files = { ...this.snapshot(parent) };
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) delete files[path];
      else files[path] = content;
    }
    const tree = this.writeTree(files);
    const commit = this.createCommit(tree, [parent], message, author);
    this.refs.set(`heads/${branch}`, commit.sha);
    return commit.sha;
  }

  /** Creates or moves `heads/<name>` to `sha`. */
  branch(name: string, sha: string): void {
    this.refs.set(`heads/${name}`, sha);
  }

  /** An annotated tag `tags/<name>` pointing at `sha`. */
  annotatedTag(name: string, sha: string): string {
    const tagSha = sha1(`tag ${name} ${sha}`);
    this.tags.set(tagSha, { sha: tagSha, object: sha });
    this.refs.set(`tags/${name}`, tagSha);
    return tagSha;
  }

  /** The files of a commit. */
  snapshot(sha: string): Snapshot {
    const commit = this.commits.get(sha);
    const tree = commit && this.trees.get(commit.tree);
    if (!tree) throw new Error(`no commit ${sha}`);
    return tree;
  }

  /** A commit SHA, a branch name, `heads/x`, `tags/x` or `HEAD`; else null. */
  resolve(ref: string): string | null {
    if (SHA.test(ref)) return this.commits.has(ref) ? ref : null;
    const name = ref === 'HEAD' ? `heads/${this.defaultBranch}` : ref;
    const direct =
      this.refs.get(name) ??
      this.refs.get(`heads/${name}`) ??
      this.refs.get(`tags/${name}`);
    if (direct === undefined) return null;
    return this.tags.get(direct)?.object ?? direct;
  }

  /** `sha` and everything reachable from it. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  /** True when `a` is `b` or an ancestor of it. */
  isAncestor(a: string, b: string): boolean {
    return this.ancestors(b).has(a);
  }

  /** The newest common ancestor, or null for unrelated histories. */
  mergeBase(a: string, b: string): string | null {
    const left = this.ancestors(a);
    let best: FakeCommit | null = null;
    for (const sha of this.ancestors(b)) {
      const commit = this.commits.get(sha);
      if (!left.has(sha) || !commit) continue;
      if (best === null || commit.seq > best.seq) best = commit;
    }
    return best?.sha ?? null;
  }

  /** Paths that differ between two commits, sorted. */
  changes(fromSha: string, toSha: string): FakeFileChange[] {
    const from = this.snapshot(fromSha);
    const to = this.snapshot(toSha);
    const paths = [...new Set([...Object.keys(from), ...Object.keys(to)])];
    const out: FakeFileChange[] = [];
    for (const filename of paths.sort()) {
      if (from[filename] === to[filename]) continue;
      if (from[filename] === undefined) out.push({ filename, status: 'added' });
      else if (to[filename] === undefined) {
        out.push({ filename, status: 'removed' });
      } else out.push({ filename, status: 'modified' });
    }
    return out;
  }

  /** A file-level three-way merge: the merged files or the conflicts. */
  merge3(
    baseSha: string,
    oursSha: string,
    theirsSha: string,
  ): { files: Snapshot } | { conflicts: string[] } {
    const base = this.snapshot(baseSha);
    const ours = this.snapshot(oursSha);
    const theirs = this.snapshot(theirsSha);
    const paths = new Set([
      ...Object.keys(base),
      ...Object.keys(ours),
      ...Object.keys(theirs),
    ]);
    const files: Snapshot = {};
    const conflicts: string[] = [];
    for (const path of [...paths].sort()) {
      const [b, o, t] = [base[path], ours[path], theirs[path]];
      let merged: string | undefined;
      if (o === t || t === b) merged = o;
      else if (o === b) merged = t;
      else {
        conflicts.push(path);
        continue;
      }
      if (merged !== undefined) files[path] = merged;
    }
    return conflicts.length > 0 ? { conflicts } : { files };
  }

  /** Newest first: `sha` and its ancestors, by creation order. */
  history(sha: string): FakeCommit[] {
    return [...this.ancestors(sha)]
      .map((s) => this.commits.get(s))
      .filter((c): c is FakeCommit => c !== undefined)
      .sort((a, b) => b.seq - a.seq);
  }

  /** Adds a check run on `sha` (as CI would). */
  addCheckRun(
    sha: string,
    run: Pick<FakeCheckRun, 'name' | 'status'> & Partial<FakeCheckRun>,
  ): FakeCheckRun {
    const full: FakeCheckRun = {
      id: this.checkRuns.length + 1,
      head_sha: sha,
      conclusion: null,
      external_id: null,
      details_url: null,
      started_at: '2030-01-01T00:00:00Z',
      completed_at: null,
      output: { title: null, summary: null },
      ...run,
    };
    this.checkRuns.push(full);
    return full;
  }

  /** Adds a commit status on `sha` (as CI would). */
  addStatus(
    sha: string,
    status: Pick<FakeStatus, 'context' | 'state'> & Partial<FakeStatus>,
  ): FakeStatus {
    const full: FakeStatus = {
      id: this.statuses.length + 1,
      sha,
      description: null,
      target_url: null,
      ...status,
    };
    this.statuses.push(full);
    return full;
  }
}

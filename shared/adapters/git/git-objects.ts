/**
 * Object reads for merge trains over one long-lived `cat-file --batch`.
 * Commits and trees are immutable, so parsed ones are cached (bounded)
 * across trains.
 */
import { type AnswerParser, GitBatch, parseLine } from './git-batch.js';
import { isObjectId } from './git-refs.js';
import { GitCommandError, type GitRunConfig } from './run-git.js';

/** A parsed commit: what merge-base walks and merges need. */
export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  /** Committer timestamp in seconds (0 when unreadable, as git does). */
  date: number;
}

/** One tree entry; `name` holds the raw bytes as latin1 text. */
export interface TreeEntry {
  mode: string;
  name: string;
  sha: string;
}

/** Git's tree entry mode of a directory. */
export const TREE_MODE = '40000';

/** A size-bounded map that forgets the oldest entries first. */
export class BoundedCache<V> {
  readonly #items = new Map<string, V>();
  constructor(readonly limit: number) {}

  get(key: string): V | undefined {
    return this.#items.get(key);
  }

  set(key: string, value: V): void {
    this.#items.set(key, value);
    if (this.#items.size <= this.limit) return;
    const oldest = this.#items.keys().next().value;
    if (oldest !== undefined) this.#items.delete(oldest);
  }
}

/** Parsed objects shared by every train of one GitScm. */
export interface ObjectCaches {
  commits: BoundedCache<CommitInfo>;
  trees: BoundedCache<TreeEntry[]>;
}

/** Caches sized for a busy branch: ~50k commits, ~5k trees. */
export function newObjectCaches(): ObjectCaches {
  return {
    commits: new BoundedCache(50_000),
    trees: new BoundedCache(5_000),
  };
}

interface RawObject {
  sha: string;
  type: string;
  data: Buffer;
}

/** One `cat-file --batch` answer: an object, or null if missing/ambiguous. */
const parseObject: AnswerParser<RawObject | null> = (buffer) => {
  const line = parseLine(buffer);
  if (!line) return null;
  const [sha, type, size] = line.value.split(' ');
  if (size === undefined || type === undefined || sha === undefined) {
    return { value: null, used: line.used };
  }
  const end = line.used + Number(size);
  if (buffer.length < end + 1) return null;
  const data = Buffer.from(buffer.subarray(line.used, end));
  return { value: { sha, type, data }, used: end + 1 };
};

/**
 * Parses a commit object's header.
 *
 * @example
 * ```ts
 * parseCommit(sha, Buffer.from('tree t\nparent p\ncommitter A <a> 5 +0000\n\nm\n'));
 * // { sha, tree: 't', parents: ['p'], date: 5 }
 * ```
 */
export function parseCommit(sha: string, data: Buffer): CommitInfo {
  const headerEnd = data.indexOf('\n\n');
  const header = data.toString(
    'utf8',
    0,
    headerEnd < 0 ? undefined : headerEnd,
  );
  let tree = '';
  const parents: string[] = [];
  let date = 0;
  for (const line of header.split('\n')) {
    if (line.startsWith('tree ')) tree = line.slice(5);
    else if (line.startsWith('parent ')) parents.push(line.slice(7));
    else if (line.startsWith('committer ')) {
      const stamp = line.slice(line.lastIndexOf('>') + 1).trim();
      const seconds = Number(stamp.split(' ')[0]);
      date = Number.isFinite(seconds) ? seconds : 0;
    }
  }
  return { sha, tree, parents, date };
}

/** Parses a binary tree object (`<mode> <name>\0<raw id>` entries). */
export function parseTree(data: Buffer, idBytes: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(32, at);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0) break;
    const mode = data.toString('latin1', at, space);
    const name = data.toString('latin1', space + 1, nul);
    const sha = data.toString('hex', nul + 1, nul + 1 + idBytes);
    entries.push({ mode, name, sha });
    at = nul + 1 + idBytes;
  }
  return entries;
}

/** `cat-file --batch` reads with the shared caches in front. */
export class GitObjectReader {
  readonly #batch: GitBatch;
  readonly #check: GitBatch;
  readonly #caches: ObjectCaches;
  /** Trees asked for and not answered yet: one request each. */
  readonly #reading = new Map<string, Promise<TreeEntry[]>>();

  constructor(config: GitRunConfig, caches: ObjectCaches) {
    this.#batch = new GitBatch(config, ['cat-file', '--batch']);
    this.#check = new GitBatch(config, ['cat-file', '--batch-check']);
    this.#caches = caches;
  }

  /** The ids among `shas` that the repository does not hold. */
  async missing(shas: readonly string[]): Promise<string[]> {
    const answers = await Promise.all(
      shas.map((sha) => this.#check.request(`${sha}\n`, parseLine)),
    );
    return shas.filter((sha, i) => !answers[i]?.startsWith(`${sha} `));
  }

  /** The commit `name` (a ref or SHA) peels to, or null if it names none. */
  async commit(name: string): Promise<CommitInfo | null> {
    const cached = isObjectId(name) ? this.#caches.commits.get(name) : null;
    if (cached) return cached;
    const raw = await this.#batch.request(`${name}^{commit}\n`, parseObject);
    if (raw?.type !== 'commit') return null;
    const info = parseCommit(raw.sha, raw.data);
    this.#caches.commits.set(info.sha, info);
    return info;
  }

  /**
   * The entries of a tree.
   * @throws {GitCommandError} the tree does not exist.
   */
  tree(sha: string): Promise<TreeEntry[]> {
    const cached = this.#caches.trees.get(sha);
    if (cached) return Promise.resolve(cached);
    let reading = this.#reading.get(sha);
    if (!reading) {
      reading = this.#readTree(sha).finally(() => this.#reading.delete(sha));
      this.#reading.set(sha, reading);
    }
    return reading;
  }

  /**
   * Reads the commits `names` peel to, in one write (null: none); for
   * reading ahead, so nothing is cached under the names.
   */
  commitsAhead(names: readonly string[]): Promise<(CommitInfo | null)[]> {
    const requests = names.map((name) => `${name}^{commit}\n`);
    const answers = this.#batch.requestAll(requests, parseObject);
    return Promise.all(
      answers.map(async (answer) => {
        const raw = await answer;
        if (raw?.type !== 'commit') return null;
        const info = parseCommit(raw.sha, raw.data);
        this.#caches.commits.set(info.sha, info);
        return info;
      }),
    );
  }

  /** Reads the trees not cached or asked for yet, in one write. */
  treesAhead(shas: readonly string[]): Promise<unknown> {
    const wanted = [...new Set(shas)].filter(
      (sha) => !this.#caches.trees.get(sha) && !this.#reading.has(sha),
    );
    const answers = this.#batch.requestAll(
      wanted.map((sha) => `${sha}\n`),
      parseObject,
    );
    const reads = wanted.map((sha, i) => {
      const reading = this.#treeFrom(sha, answers[i]).finally(() =>
        this.#reading.delete(sha),
      );
      this.#reading.set(sha, reading);
      return reading;
    });
    return Promise.allSettled(reads);
  }

  #readTree(sha: string): Promise<TreeEntry[]> {
    return this.#treeFrom(sha, this.#batch.request(`${sha}\n`, parseObject));
  }

  async #treeFrom(
    sha: string,
    answer: Promise<RawObject | null> | undefined,
  ): Promise<TreeEntry[]> {
    const raw = await answer;
    if (raw?.type !== 'tree') {
      throw new GitCommandError(
        `tree ${sha} is missing`,
        ['cat-file'],
        null,
        '',
      );
    }
    const entries = parseTree(raw.data, sha.length / 2);
    this.#caches.trees.set(sha, entries);
    return entries;
  }

  /** A commit already parsed, without asking git. */
  cachedCommit(sha: string): CommitInfo | undefined {
    return this.#caches.commits.get(sha);
  }

  /** Remembers an object this process wrote (no read needed later). */
  remember(commit: CommitInfo): void {
    this.#caches.commits.set(commit.sha, commit);
  }

  /** Remembers a tree this process wrote. */
  rememberTree(sha: string, entries: TreeEntry[]): void {
    this.#caches.trees.set(sha, entries);
  }

  async close(): Promise<void> {
    await Promise.all([this.#batch.close(), this.#check.close()]);
  }
}

/**
 * New trees and commits of a merge train: named in process (their ids are
 * the hash of their bytes) and handed to git in one `index-pack` or
 * `unpack-objects` per flush, so building a merge costs no git round trip. A flush checks that
 * git now holds every id, so an encoding mistake can never leave a ref
 * pointing at a missing object.
 */
import { spawn } from 'node:child_process';
import type { CommitInfo, GitObjectReader, TreeEntry } from './git-objects.js';
import { parseCommit } from './git-objects.js';
import {
  buildPack,
  type EncodedObject,
  hashOf,
  objectIdOf,
  treeBytes,
} from './git-pack.js';
import { GitCommandError, type GitRunConfig } from './run-git.js';

/**
 * From this many objects a flush keeps a pack (`index-pack`), below it
 * writes loose objects (`unpack-objects`): git's own rule for fetched
 * packs (`transfer.unpackLimit`, default 100).
 */
const UNPACK_LIMIT = 100;

/** Hands `pack` to `git index-pack` or `git unpack-objects`. */
function store(config: GitRunConfig, pack: Buffer, keep: boolean) {
  const args = keep ? ['index-pack', '--stdin'] : ['unpack-objects', '-q'];
  return new Promise<void>((resolve, reject) => {
    const child = spawn(
      config.gitBinary,
      ['-C', config.repoDir, ...config.configArgs, ...args],
      { env: config.env, stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), config.timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new GitCommandError(error.message, args, null, stderr));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else {
        const message = `git ${args[0]} failed (${code}): ${stderr.trim()}`;
        reject(new GitCommandError(message, args, code, stderr));
      }
    });
    child.stdin.end(pack);
  });
}

/**
 * Trees and commits waiting to be written; reads of them are answered
 * from here until the flush.
 *
 * @example
 * ```ts
 * const tree = writer.tree(entries);
 * const commit = writer.commit(text);
 * await writer.flush();
 * ```
 */
export class GitObjectWriter {
  readonly #config: GitRunConfig;
  readonly #reader: GitObjectReader;
  readonly #hash: 'sha1' | 'sha256';
  readonly #pending = new Map<string, EncodedObject>();
  readonly #trees = new Map<string, TreeEntry[]>();
  readonly #commits = new Map<string, CommitInfo>();

  constructor(config: GitRunConfig, reader: GitObjectReader, sampleId: string) {
    this.#config = config;
    this.#reader = reader;
    this.#hash = hashOf(sampleId);
  }

  /** Names a tree of `entries` (any order) and queues it for writing. */
  tree(entries: TreeEntry[]): string {
    const data = treeBytes(entries);
    const sha = objectIdOf('tree', data, this.#hash);
    if (!this.#pending.has(sha)) {
      this.#pending.set(sha, { kind: 'tree', data });
      this.#trees.set(sha, entries);
    }
    return sha;
  }

  /** Names a commit from its full text and queues it for writing. */
  commit(text: string): CommitInfo {
    const data = Buffer.from(text, 'utf8');
    const sha = objectIdOf('commit', data, this.#hash);
    const info = parseCommit(sha, data);
    this.#pending.set(sha, { kind: 'commit', data });
    this.#commits.set(sha, info);
    return info;
  }

  /** A queued tree, if it is one of ours. */
  pendingTree(sha: string): TreeEntry[] | undefined {
    return this.#trees.get(sha);
  }

  /** A queued commit, if it is one of ours. */
  pendingCommit(sha: string): CommitInfo | undefined {
    return this.#commits.get(sha);
  }

  /**
   * Writes every queued object with one git process, then checks git
   * holds each under the id it was given.
   * @throws {GitCommandError} git refused the objects, or named one
   *   differently (the objects are then unusable).
   */
  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const shas = [...this.#pending.keys()];
    const keep = shas.length >= UNPACK_LIMIT;
    // Stored, not compressed: loose objects are compressed by git, and a
    // kept pack is recompressed by the next `git gc`; zlib here would cost
    // the queue more than the disk space saved until then.
    const pack = buildPack([...this.#pending.values()], this.#hash, 0);
    await store(this.#config, pack, keep);
    const missing = await this.#reader.missing(shas);
    if (missing.length > 0) {
      const message = `git does not hold written objects: ${missing.join(', ')}`;
      throw new GitCommandError(message, ['unpack-objects'], null, '');
    }
    for (const sha of shas) {
      this.#pending.delete(sha);
      this.#trees.delete(sha);
      this.#commits.delete(sha);
    }
  }
}

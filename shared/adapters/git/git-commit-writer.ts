/**
 * Merge commits for a merge train, byte for byte what `git commit-tree -m`
 * writes, named in process instead of one `commit-tree` per commit. Identity comes from `git var` (config, `-c` identity and
 * `GIT_*` variables alike, strict as commit-tree is); a repository that
 * signs commits or sets a commit encoding keeps `commit-tree`.
 */
import { commitTree } from './git-commands.js';
import type { GitObjectWriter } from './git-object-writer.js';
import type { CommitInfo } from './git-objects.js';
import { type GitRunConfig, runGit } from './run-git.js';

interface Identity {
  author: string;
  committer: string;
  /** `name <email>` parts when the date is "now"; null for fixed dates. */
  authorName: string | null;
  committerName: string | null;
  zone: string;
}

/** `Name <email> 1700000000 +0100` -> `Name <email>` and `+0100`. */
function splitIdent(ident: string): { name: string; zone: string } {
  const close = ident.lastIndexOf('>');
  const [, zone = '+0000'] = ident
    .slice(close + 1)
    .trim()
    .split(' ');
  return { name: ident.slice(0, close + 1), zone };
}

async function readIdentity(config: GitRunConfig): Promise<Identity> {
  const [author, committer] = await Promise.all([
    runGit(config, ['var', 'GIT_AUTHOR_IDENT']),
    runGit(config, ['var', 'GIT_COMMITTER_IDENT']),
  ]);
  const a = author.stdout.trim();
  const c = committer.stdout.trim();
  const fixed = (name: string) => {
    const value = config.env[name];
    return value !== undefined && value !== '';
  };
  return {
    author: a,
    committer: c,
    authorName: fixed('GIT_AUTHOR_DATE') ? null : splitIdent(a).name,
    committerName: fixed('GIT_COMMITTER_DATE') ? null : splitIdent(c).name,
    zone: splitIdent(c).zone,
  };
}

/** How git spells false in a boolean setting. */
const FALSE_VALUES = ['', 'false', 'no', 'off', '0'];

/** True when commit-tree would sign or re-encode: keep commit-tree then. */
async function needsCommitTree(config: GitRunConfig): Promise<boolean> {
  const { stdout } = await runGit(
    config,
    [
      'config',
      '-z',
      '--get-regexp',
      '^(commit\\.gpgsign|i18n\\.commitencoding)$',
    ],
    [0, 1],
  );
  // `-z` records are `key\nvalue`, or just `key` for a bare (true) bool.
  for (const record of stdout.split('\0')) {
    if (record === '') continue;
    const [key = '', value] = record.split('\n');
    const setting = value?.trim().toLowerCase() ?? 'true';
    const special =
      key === 'commit.gpgsign'
        ? !FALSE_VALUES.includes(setting)
        : !['utf-8', 'utf8'].includes(setting);
    if (special) return true;
  }
  return false;
}

/**
 * Writes merge commits: `commit-tree`'s object without its process.
 *
 * @example
 * ```ts
 * const sha = await commits.write(tree, [tip, source], 'Merge x');
 * ```
 */
export class CommitWriter {
  readonly #config: GitRunConfig;
  readonly #objects: GitObjectWriter;
  #setup: Promise<Identity | null> | null = null;

  constructor(config: GitRunConfig, objects: GitObjectWriter) {
    this.#config = config;
    this.#objects = objects;
  }

  /**
   * Names (and queues) a commit of `treeSha` with `parents` (duplicates
   * dropped, as commit-tree does), dated `nowSeconds`.
   * @throws {GitCommandError} no identity is configured (as commit-tree).
   */
  async write(
    treeSha: string,
    parents: readonly [string, string],
    message: string,
    nowSeconds: number,
  ): Promise<CommitInfo> {
    this.#setup ??= this.#prepare();
    const identity = await this.#setup;
    const [first, second] = parents;
    const unique = first === second ? [first] : [first, second];
    if (identity === null) {
      // Signed or re-encoded: commit-tree writes it, over written objects.
      await this.#objects.flush();
      const sha = await commitTree(this.#config, {
        treeSha,
        parents: [first, second],
        message,
      });
      return { sha, tree: treeSha, parents: unique, date: nowSeconds };
    }
    const date = `${nowSeconds} ${identity.zone}`;
    const author = identity.authorName
      ? `${identity.authorName} ${date}`
      : identity.author;
    const committer = identity.committerName
      ? `${identity.committerName} ${date}`
      : identity.committer;
    const body = message.endsWith('\n') ? message : `${message}\n`;
    const text = [
      `tree ${treeSha}`,
      ...unique.map((p) => `parent ${p}`),
      `author ${author}`,
      `committer ${committer}`,
      '',
      body,
    ].join('\n');
    return this.#objects.commit(text);
  }

  async #prepare(): Promise<Identity | null> {
    const [special, identity] = await Promise.all([
      needsCommitTree(this.#config),
      readIdentity(this.#config),
    ]);
    return special ? null : identity;
  }
}

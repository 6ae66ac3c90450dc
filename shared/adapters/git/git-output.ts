/**
 * Pure parsers for the NUL-separated (`-z`) output of the git commands the
 * git adapter runs, and the co-change count built on `git log`.
 */
import type { CoChangePair, CommitLogEntry } from '../../ports/scm.js';

/** What `git merge-tree --write-tree --name-only --messages -z` reported. */
export interface MergeTreeOutcome {
  /** The result tree; for a conflicted merge it holds conflict markers. */
  treeSha: string;
  clean: boolean;
  /** Conflicted paths, sorted and unique; empty when clean. */
  conflicts: string[];
}

interface MergeMessage {
  paths: string[];
  type: string;
}

/**
 * Parses merge-tree output: `<tree>NUL`, the conflicted paths each followed
 * by NUL, an empty entry, then messages as `<n>NUL<path>{n}<type>NUL<text>NUL`.
 *
 * The conflicted-path list is git's own record of every path left unmerged,
 * whatever the message kind (content, add/add, modify/delete, rename/rename,
 * file location, ...). A `CONFLICT (...)` message whose paths are all absent
 * from it (a conflict with no unmerged index entry) still adds its paths, so
 * no conflict message is lost and none is counted twice.
 *
 * @example
 * ```ts
 * parseMergeTree('t\0a.txt\0\0' + '1\0a.txt\0CONFLICT (contents)\0msg\n\0', false);
 * // { treeSha: 't', clean: false, conflicts: ['a.txt'] }
 * ```
 */
export function parseMergeTree(
  stdout: string,
  clean: boolean,
): MergeTreeOutcome {
  const tokens = stdout.split('\0');
  const treeSha = (tokens[0] ?? '').trim();
  let index = 1;
  const conflicted = new Set<string>();
  while (index < tokens.length && tokens[index] !== '') {
    conflicted.add(tokens[index] ?? '');
    index += 1;
  }
  if (clean) return { treeSha, clean, conflicts: [] };
  for (const message of parseMessages(tokens, index + 1)) {
    const isConflict = message.type.startsWith('CONFLICT');
    if (isConflict && !message.paths.some((path) => conflicted.has(path))) {
      for (const path of message.paths) conflicted.add(path);
    }
  }
  return { treeSha, clean, conflicts: [...conflicted].sort() };
}

function parseMessages(tokens: string[], start: number): MergeMessage[] {
  const messages: MergeMessage[] = [];
  let index = start;
  while (index < tokens.length) {
    const count = Number(tokens[index]);
    if (tokens[index] === '' || !Number.isInteger(count) || count < 0) break;
    const paths = tokens.slice(index + 1, index + 1 + count);
    const type = tokens[index + 1 + count] ?? '';
    messages.push({ paths, type });
    index += count + 3;
  }
  return messages;
}

/**
 * Splits `-z` path output (`path NUL path NUL ...`) into sorted unique paths.
 *
 * @example
 * ```ts
 * parsePathList('b.ts\0a.ts\0'); // ['a.ts', 'b.ts']
 * ```
 */
export function parsePathList(stdout: string): string[] {
  const paths = stdout.split('\0').filter((path) => path.length > 0);
  return [...new Set(paths)].sort();
}

/** Starts each commit record in the `git log` format (ASCII RS). */
export const LOG_RECORD = '\x1e';
/** Separates the fields of a commit header (ASCII US). */
export const LOG_FIELD = '\x1f';

/**
 * Parses `git log -z --name-only --format=%x1e%H%x1f%an`: each record is
 * `<sha><US><author>NUL`, a newline, then its paths each followed by NUL.
 *
 * @example
 * ```ts
 * parseLog('\x1eabc\x1fAda\0\na.ts\0b.ts\0');
 * // [{ sha: 'abc', author: 'Ada', files: ['a.ts', 'b.ts'] }]
 * ```
 */
export function parseLog(stdout: string): CommitLogEntry[] {
  const entries: CommitLogEntry[] = [];
  for (const record of stdout.split(LOG_RECORD)) {
    if (record.length === 0) continue;
    const headerEnd = record.indexOf('\0');
    const header = headerEnd < 0 ? record : record.slice(0, headerEnd);
    const [sha = '', author = ''] = header.split(LOG_FIELD);
    let rest = headerEnd < 0 ? '' : record.slice(headerEnd + 1);
    if (rest.startsWith('\n')) rest = rest.slice(1);
    const files = rest.split('\0').filter((path) => path.length > 0);
    entries.push({ sha: sha.trim(), author, files });
  }
  return entries;
}

/** The original's coupling rule: top 50 pairs with at least 2 co-changes. */
export interface CoChangeRule {
  minCount: number;
  top: number;
  /**
   * Commits touching more files are left out: pair counting is quadratic,
   * and bulk commits (reformatting, vendoring) carry no coupling signal.
   */
  maxFilesPerCommit: number;
}

/**
 * Counts, for every pair of files, the commits that changed both; keeps the
 * pairs with at least `minCount`, ordered by count descending, then `a`,
 * then `b` (code-unit order), and returns the first `top`.
 *
 * @example
 * ```ts
 * countCoChanges([{ files: ['a', 'b'] }, { files: ['b', 'a'] }],
 *   { minCount: 2, top: 50, maxFilesPerCommit: 500 });
 * // [{ a: 'a', b: 'b', count: 2 }]
 * ```
 */
export function countCoChanges(
  commits: ReadonlyArray<{ files: readonly string[] }>,
  rule: CoChangeRule,
): CoChangePair[] {
  const counts = new Map<string, number>();
  for (const commit of commits) {
    const files = [...new Set(commit.files)].sort();
    if (files.length > rule.maxFilesPerCommit) continue;
    for (let i = 0; i < files.length; i += 1) {
      for (let j = i + 1; j < files.length; j += 1) {
        const key = `${files[i]}\0${files[j]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  const pairs: CoChangePair[] = [];
  for (const [key, count] of counts) {
    if (count < rule.minCount) continue;
    const [a = '', b = ''] = key.split('\0');
    pairs.push({ a, b, count });
  }
  return pairs.sort(comparePairs).slice(0, rule.top);
}

function comparePairs(x: CoChangePair, y: CoChangePair): number {
  if (x.count !== y.count) return y.count - x.count;
  if (x.a !== y.a) return x.a < y.a ? -1 : 1;
  if (x.b !== y.b) return x.b < y.b ? -1 : 1;
  return 0;
}

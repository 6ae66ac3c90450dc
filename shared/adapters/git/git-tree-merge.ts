/**
 * The in-process fast path of a merge train: a three-way merge of trees
 * that only succeeds where its result is certainly the one
 * `git merge-tree` (merge-ort) writes, and otherwise says "ask git".
 *
 * Per path, with base `b`, ours `o` (the train tip) and theirs `t` (the
 * source): `o == b` takes `t`; `t == b` takes `o`; two directories (new, or
 * a directory in the base) merge entry by entry; anything else is left to
 * git. So the fast path never merges file contents, never sees a path both
 * sides changed (not even identically: both deleting a file can be a
 * rename/delete conflict), and never sees a directory one side removed and
 * the other side changed (a directory rename would move the other side's
 * new files). Paths one side did not touch cannot take part in a rename
 * that changes the result, so taking the other side is what ort does.
 * A directory it rewrites must hold canonical modes only (git would
 * canonicalise them); a subtree it takes whole is kept as it is.
 */
import { TREE_MODE, type TreeEntry } from './git-objects.js';

/** Reads the entries of a tree. */
export type TreeSource = (sha: string) => Promise<TreeEntry[]>;
/** Writes a tree and returns its id. */
export type TreeSink = (entries: TreeEntry[]) => Promise<string>;

const CANONICAL_MODES = new Set([
  '100644',
  '100755',
  '120000',
  TREE_MODE,
  '160000',
]);

/** Git's `canon_mode`: the mode a rewritten tree stores for an entry. */
export function canonicalMode(mode: string): string {
  if (CANONICAL_MODES.has(mode)) return mode;
  const value = Number.parseInt(mode, 8);
  const kind = value & 0o170000;
  if (kind === 0o100000) return value & 0o100 ? '100755' : '100644';
  if (kind === 0o120000) return '120000';
  if (kind === 0o040000) return TREE_MODE;
  return '160000';
}

function isTree(entry: TreeEntry | undefined): entry is TreeEntry {
  return entry !== undefined && canonicalMode(entry.mode) === TREE_MODE;
}

function same(a: TreeEntry | undefined, b: TreeEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.sha !== b.sha) return false;
  return a.mode === b.mode || canonicalMode(a.mode) === canonicalMode(b.mode);
}

/** Trees whose entries all have canonical modes (checked once each). */
const CANONICAL = new WeakMap<readonly TreeEntry[], boolean>();

function canonicalEntries(entries: readonly TreeEntry[]): boolean {
  let canonical = CANONICAL.get(entries);
  if (canonical === undefined) {
    canonical = entries.every((entry) => CANONICAL_MODES.has(entry.mode));
    CANONICAL.set(entries, canonical);
  }
  return canonical;
}

/** Name lookups per tree; trees are immutable, their entry lists shared. */
const NAMES = new WeakMap<readonly TreeEntry[], Map<string, TreeEntry>>();

function byName(entries: readonly TreeEntry[]): Map<string, TreeEntry> {
  let names = NAMES.get(entries);
  if (!names) {
    names = new Map(entries.map((entry) => [entry.name, entry]));
    NAMES.set(entries, names);
  }
  return names;
}

const NEEDS_GIT = Symbol('needs git');
type Merged = TreeEntry | undefined | typeof NEEDS_GIT;

/**
 * Merges `theirs` into `ours` over `base` when the result is certain
 * (see the module comment) and returns the merged tree's id; null when git
 * has to merge. Only trees that change are written.
 *
 * @example
 * ```ts
 * const tree = await trivialTreeMerge(readTree, writeTree, base, tip, source);
 * if (tree === null) fallBackToMergeTree();
 * ```
 */
export async function trivialTreeMerge(
  read: TreeSource,
  write: TreeSink,
  trees: { base: string; ours: string; theirs: string },
): Promise<string | null> {
  if (trees.theirs === trees.base) return trees.ours;
  if (trees.ours === trees.base) return trees.theirs;
  const merged = await mergeDirectory(read, write, trees);
  if (merged === NEEDS_GIT) return null;
  return merged ?? write([]);
}

async function mergeDirectory(
  read: TreeSource,
  write: TreeSink,
  trees: { base: string | null; ours: string; theirs: string },
): Promise<string | undefined | typeof NEEDS_GIT> {
  const [base, ours, theirs] = await Promise.all([
    trees.base === null ? [] : read(trees.base),
    read(trees.ours),
    read(trees.theirs),
  ]);
  // Git stores a rewritten directory with canonical modes; an old tree
  // with others (e.g. 100664) is left to git rather than reasoned about.
  if (![base, ours, theirs].every(canonicalEntries)) return NEEDS_GIT;
  const [b, o, t] = [byName(base), byName(ours), byName(theirs)];
  // Where theirs equals the base, the result is ours: only the names
  // theirs changed need a rule (a big directory costs no work per entry).
  const changed = new Set<string>();
  for (const [name, entry] of t) {
    if (!same(entry, b.get(name))) changed.add(name);
  }
  for (const name of b.keys()) if (!t.has(name)) changed.add(name);
  const result = ours.filter((entry) => !changed.has(entry.name));
  for (const name of changed) {
    const merged = await mergeEntry(read, write, {
      base: b.get(name),
      ours: o.get(name),
      theirs: t.get(name),
    });
    if (merged === NEEDS_GIT) return NEEDS_GIT;
    if (merged) result.push(merged);
  }
  return result.length === 0 ? undefined : write(result);
}

function mergeEntry(
  read: TreeSource,
  write: TreeSink,
  entries: {
    base: TreeEntry | undefined;
    ours: TreeEntry | undefined;
    theirs: TreeEntry | undefined;
  },
): Merged | Promise<Merged> {
  const { base, ours, theirs } = entries;
  if (same(ours, base)) return theirs;
  if (same(theirs, base)) return ours;
  if (!isTree(ours) || !isTree(theirs)) return NEEDS_GIT;
  if (base !== undefined && !isTree(base)) return NEEDS_GIT;
  return mergeDirectory(read, write, {
    base: base?.sha ?? null,
    ours: ours.sha,
    theirs: theirs.sha,
  }).then((sha) => {
    if (sha === NEEDS_GIT) return NEEDS_GIT;
    return sha === undefined ? undefined : { ...ours, sha };
  });
}

/** The paths one side changed since the base, and the kinds of change. */
export interface PathChanges {
  /** Changed paths (UTF-8), sorted and unique, renames not detected. */
  paths: string[];
  /** Some path was added / deleted: with both, renames are possible. */
  added: boolean;
  deleted: boolean;
}

/**
 * The files that differ between two trees (`git diff-tree -r`), without
 * rename detection: `added` and `deleted` tell whether it could matter.
 *
 * @example
 * ```ts
 * const { paths } = await changedPaths(readTree, baseTree, sourceTree);
 * ```
 */
export async function changedPaths(
  read: TreeSource,
  from: string,
  to: string,
): Promise<PathChanges> {
  const changes: PathChanges = { paths: [], added: false, deleted: false };
  await diffDirectory(read, from, to, '', changes);
  const utf8 = changes.paths.map((p) =>
    Buffer.from(p, 'latin1').toString('utf8'),
  );
  return { ...changes, paths: [...new Set(utf8)].sort() };
}

async function diffDirectory(
  read: TreeSource,
  from: string | null,
  to: string | null,
  prefix: string,
  changes: PathChanges,
): Promise<void> {
  const [before, after] = await Promise.all([
    from === null ? [] : read(from),
    to === null ? [] : read(to),
  ]);
  const [b, a] = [byName(before), byName(after)];
  for (const name of new Set([...b.keys(), ...a.keys()])) {
    const [old, now] = [b.get(name), a.get(name)];
    if (same(old, now)) continue;
    await diffEntry(read, `${prefix}${name}`, { old, now }, changes);
  }
}

/** One changed name: a file change, a directory to descend, or both. */
async function diffEntry(
  read: TreeSource,
  path: string,
  entry: { old: TreeEntry | undefined; now: TreeEntry | undefined },
  changes: PathChanges,
): Promise<void> {
  const { old, now } = entry;
  const oldTree = isTree(old) ? old.sha : null;
  const newTree = isTree(now) ? now.sha : null;
  if (oldTree !== null || newTree !== null) {
    await diffDirectory(read, oldTree, newTree, `${path}/`, changes);
  }
  const oldFile = old !== undefined && oldTree === null;
  const newFile = now !== undefined && newTree === null;
  if (oldFile || newFile) changes.paths.push(path);
  if (oldFile && !newFile) changes.deleted = true;
  if (newFile && !oldFile) changes.added = true;
}

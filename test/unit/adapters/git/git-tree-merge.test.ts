import { describe, expect, it } from 'vitest';
import type { TreeEntry } from '../../../../shared/adapters/git/git-objects.js';
import {
  objectIdOf,
  treeBytes,
} from '../../../../shared/adapters/git/git-pack.js';
import {
  canonicalMode,
  changedPaths,
  trivialTreeMerge,
} from '../../../../shared/adapters/git/git-tree-merge.js';

const blob = (content: string) =>
  objectIdOf('commit', Buffer.from(content), 'sha1');

/** An in-memory object store of trees, built from nested objects. */
function store() {
  const trees = new Map<string, TreeEntry[]>();
  const write = async (entries: TreeEntry[]) => {
    const sha = objectIdOf('tree', treeBytes([...entries]), 'sha1');
    trees.set(sha, entries);
    return sha;
  };
  const read = async (sha: string) => {
    const entries = trees.get(sha);
    if (!entries) throw new Error(`no tree ${sha}`);
    return entries;
  };
  type Spec = { [name: string]: string | Spec };
  const tree = async (spec: Spec): Promise<string> => {
    const entries: TreeEntry[] = [];
    for (const [name, value] of Object.entries(spec)) {
      entries.push(
        typeof value === 'string'
          ? { mode: '100644', name, sha: blob(value) }
          : { mode: '40000', name, sha: await tree(value) },
      );
    }
    return write(entries);
  };
  /** The tree back as `path -> content id`. */
  const files = async (
    sha: string,
    prefix = '',
  ): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const e of await read(sha)) {
      if (e.mode === '40000')
        Object.assign(out, await files(e.sha, `${prefix}${e.name}/`));
      else out[`${prefix}${e.name}`] = e.sha;
    }
    return out;
  };
  return { read, write, tree, files };
}

describe('trivialTreeMerge', () => {
  it('merges changes to different files, also inside a directory both sides grew', async () => {
    // Prepare
    const s = store();
    const base = await s.tree({ 'a.txt': 'a', dir: { 'x.txt': 'x' } });
    const ours = await s.tree({
      'a.txt': 'A',
      dir: { 'x.txt': 'x', 'o.txt': 'o' },
    });
    const theirs = await s.tree({
      'a.txt': 'a',
      dir: { 'x.txt': 'x', 't.txt': 't' },
      'new.txt': 'n',
    });
    // Act
    const merged = await trivialTreeMerge(s.read, s.write, {
      base,
      ours,
      theirs,
    });
    // Assess
    expect(merged).not.toBeNull();
    expect(await s.files(merged ?? '')).toEqual({
      'a.txt': blob('A'),
      'dir/x.txt': blob('x'),
      'dir/o.txt': blob('o'),
      'dir/t.txt': blob('t'),
      'new.txt': blob('n'),
    });
  });

  it('takes the other side whole when one side did not change', async () => {
    // Prepare
    const s = store();
    const base = await s.tree({ 'a.txt': 'a' });
    const changed = await s.tree({ 'a.txt': 'b' });
    // Act
    const forward = await trivialTreeMerge(s.read, s.write, {
      base,
      ours: base,
      theirs: changed,
    });
    const back = await trivialTreeMerge(s.read, s.write, {
      base,
      ours: changed,
      theirs: base,
    });
    // Assess
    expect([forward, back]).toEqual([changed, changed]);
  });

  it('leaves a file both sides changed to git, even when they agree', async () => {
    // Prepare
    const s = store();
    const base = await s.tree({ 'a.txt': 'a', 'b.txt': 'b' });
    const ours = await s.tree({ 'a.txt': 'same', 'b.txt': 'b' });
    const theirs = await s.tree({ 'a.txt': 'same', 'b.txt': 'B' });
    // Act
    const merged = await trivialTreeMerge(s.read, s.write, {
      base,
      ours,
      theirs,
    });
    // Assess
    expect(merged).toBeNull();
  });

  it('leaves a file both sides deleted to git (a rename/delete may hide there)', async () => {
    // Prepare
    const s = store();
    const base = await s.tree({ 'a.txt': 'a', 'b.txt': 'b' });
    const ours = await s.tree({ 'b.txt': 'b', 'c.txt': 'a' });
    const theirs = await s.tree({ 'b.txt': 'b' });
    // Act
    const merged = await trivialTreeMerge(s.read, s.write, {
      base,
      ours,
      theirs,
    });
    // Assess
    expect(merged).toBeNull();
  });

  it('leaves a directory one side removed and the other changed to git (directory rename)', async () => {
    // Prepare
    const s = store();
    const base = await s.tree({ src: { 'a.ts': 'a' } });
    const ours = await s.tree({ lib: { 'a.ts': 'a' } });
    const theirs = await s.tree({ src: { 'a.ts': 'a', 'new.ts': 'n' } });
    // Act
    const merged = await trivialTreeMerge(s.read, s.write, {
      base,
      ours,
      theirs,
    });
    // Assess
    expect(merged).toBeNull();
  });

  it('leaves a file against a directory of the same name to git', async () => {
    // Prepare
    const s = store();
    const base = await s.tree({ 'a.txt': 'a' });
    const ours = await s.tree({ 'a.txt': 'a', x: 'file' });
    const theirs = await s.tree({ 'a.txt': 'a', x: { 'y.txt': 'y' } });
    // Act
    const merged = await trivialTreeMerge(s.read, s.write, {
      base,
      ours,
      theirs,
    });
    // Assess
    expect(merged).toBeNull();
  });

  it('leaves a directory with a non-canonical mode (old git) to git', async () => {
    // Prepare
    const s = store();
    const base = await s.tree({ 'a.txt': 'a' });
    const ours = await s.write([
      { mode: '100664', name: 'a.txt', sha: blob('a') },
      { mode: '100644', name: 'o.txt', sha: blob('o') },
    ]);
    const theirs = await s.tree({ 'a.txt': 'a', 't.txt': 't' });
    // Act
    const merged = await trivialTreeMerge(s.read, s.write, {
      base,
      ours,
      theirs,
    });
    // Assess
    expect(merged).toBeNull();
  });

  it('drops a directory whose files the two sides deleted between them', async () => {
    // Prepare
    const s = store();
    const base = await s.tree({
      'keep.txt': 'k',
      dir: { 'a.txt': 'a', 'b.txt': 'b' },
    });
    const ours = await s.tree({ 'keep.txt': 'k', dir: { 'b.txt': 'b' } });
    const theirs = await s.tree({ 'keep.txt': 'k', dir: { 'a.txt': 'a' } });
    // Act
    const merged = await trivialTreeMerge(s.read, s.write, {
      base,
      ours,
      theirs,
    });
    // Assess
    expect(await s.read(merged ?? '')).toEqual([
      { mode: '100644', name: 'keep.txt', sha: blob('k') },
    ]);
  });
});

describe('canonicalMode', () => {
  it('maps modes the way git stores them in a rewritten tree', () => {
    expect(
      ['100664', '100775', '100644', '120000', '040000', '40000', '160000'].map(
        canonicalMode,
      ),
    ).toEqual([
      '100644',
      '100755',
      '100644',
      '120000',
      '40000',
      '40000',
      '160000',
    ]);
  });
});

describe('changedPaths', () => {
  it('lists every changed file under its full path and says what kinds of change', async () => {
    // Prepare
    const s = store();
    const from = await s.tree({
      'a.txt': 'a',
      gone: { 'g.txt': 'g' },
      dir: { 'x.txt': 'x' },
    });
    const to = await s.tree({
      'a.txt': 'A',
      dir: { 'x.txt': 'x', sub: { 'y.txt': 'y' } },
    });
    // Act
    const changes = await changedPaths(s.read, from, to);
    // Assess
    expect(changes).toEqual({
      paths: ['a.txt', 'dir/sub/y.txt', 'gone/g.txt'],
      added: true,
      deleted: true,
    });
  });

  it('decodes names as UTF-8 like git diff-tree output', async () => {
    // Prepare
    const s = store();
    const name = Buffer.from('é.txt', 'utf8').toString('latin1');
    const from = await s.tree({});
    const to = await s.write([{ mode: '100644', name, sha: blob('x') }]);
    // Act
    const changes = await changedPaths(s.read, from, to);
    // Assess
    expect(changes).toEqual({ paths: ['é.txt'], added: true, deleted: false });
  });
});

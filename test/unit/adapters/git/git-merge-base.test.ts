import { describe, expect, it } from 'vitest';
import {
  MissingCommitError,
  mergeBaseCandidates,
} from '../../../../shared/adapters/git/git-merge-base.js';
import type { CommitInfo } from '../../../../shared/adapters/git/git-objects.js';

/** A commit graph from `name: [parents]` lines, dated by `dates`. */
function graph(
  edges: Record<string, string[]>,
  dates: Record<string, number> = {},
) {
  const commits = new Map<string, CommitInfo>();
  let clock = 0;
  for (const [sha, parents] of Object.entries(edges)) {
    clock += 10;
    commits.set(sha, { sha, tree: 't', parents, date: dates[sha] ?? clock });
  }
  const get = (sha: string): CommitInfo => {
    const commit = commits.get(sha);
    if (!commit) throw new Error(`no ${sha} in the graph`);
    return commit;
  };
  const parentsOf = (commit: CommitInfo) =>
    commit.parents.map((sha) => {
      const parent = commits.get(sha);
      if (!parent) throw new MissingCommitError(sha);
      return parent;
    });
  return { get, parentsOf };
}

describe('mergeBaseCandidates', () => {
  it('finds the fork point of two branches', async () => {
    // Prepare
    const g = graph({ r: [], a: ['r'], b: ['a'], x: ['a'], y: ['x'] });
    // Act
    const bases = await mergeBaseCandidates(
      g.parentsOf,
      g.get('b'),
      g.get('y'),
    );
    // Assess
    expect(bases).toEqual(['a']);
  });

  it('answers the ancestor itself when one commit contains the other', async () => {
    // Prepare
    const g = graph({ r: [], a: ['r'], b: ['a'] });
    // Act
    const down = await mergeBaseCandidates(g.parentsOf, g.get('b'), g.get('a'));
    const up = await mergeBaseCandidates(g.parentsOf, g.get('a'), g.get('b'));
    const same = await mergeBaseCandidates(g.parentsOf, g.get('a'), g.get('a'));
    // Assess
    expect([down, up, same]).toEqual([['a'], ['a'], ['a']]);
  });

  it('walks a merge train: each tip merges one more branch', async () => {
    // Prepare: m1..m3 merge f1..f3 onto main; s forks from the root.
    const g = graph({
      r: [],
      f1: ['r'],
      f2: ['r'],
      f3: ['r'],
      s: ['r'],
      m1: ['r', 'f1'],
      m2: ['m1', 'f2'],
      m3: ['m2', 'f3'],
    });
    // Act
    const bases = await mergeBaseCandidates(
      g.parentsOf,
      g.get('m3'),
      g.get('s'),
    );
    // Assess
    expect(bases).toEqual(['r']);
  });

  it('reports both bases of a criss-cross history', async () => {
    // Prepare: a and b each merged the other's first commit.
    const g = graph({
      r: [],
      a1: ['r'],
      b1: ['r'],
      a2: ['a1', 'b1'],
      b2: ['b1', 'a1'],
    });
    // Act
    const bases = await mergeBaseCandidates(
      g.parentsOf,
      g.get('a2'),
      g.get('b2'),
    );
    // Assess
    expect([...bases].sort()).toEqual(['a1', 'b1']);
  });

  it('is empty for unrelated histories', async () => {
    // Prepare
    const g = graph({ r: [], a: ['r'], q: [], b: ['q'] });
    // Act
    const bases = await mergeBaseCandidates(
      g.parentsOf,
      g.get('a'),
      g.get('b'),
    );
    // Assess
    expect(bases).toEqual([]);
  });

  it('keeps only the best base when an older one is reached first (date skew)', async () => {
    // Prepare: a is newer than its child c by its date; c is the base.
    const g = graph(
      { r: [], a: ['r'], c: ['a'], x: ['c'], y: ['c'] },
      { r: 1, a: 50, c: 2, x: 60, y: 70 },
    );
    // Act
    const bases = await mergeBaseCandidates(
      g.parentsOf,
      g.get('x'),
      g.get('y'),
    );
    // Assess
    expect(bases).toEqual(['c']);
  });

  it('fails with MissingCommitError when a parent cannot be read', async () => {
    // Prepare
    const g = graph({ a: ['gone'], b: ['gone'] });
    // Act
    const walking = mergeBaseCandidates(g.parentsOf, g.get('a'), g.get('b'));
    // Assess
    await expect(walking).rejects.toBeInstanceOf(MissingCommitError);
  });
});

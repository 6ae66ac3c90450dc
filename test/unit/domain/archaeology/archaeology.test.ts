import { afterEach, describe, expect, it } from 'vitest';
import { GitScm } from '../../../../shared/adapters/git/git-scm.js';
import {
  analyzeHistory,
  archaeology,
  writeSnapshot,
} from '../../../../shared/domain/archaeology/archaeology.js';
import { ValidationError } from '../../../../shared/domain/errors.js';
import type { CommitLogEntry, Scm } from '../../../../shared/ports/scm.js';
import { TestRepo } from '../../../support/git-repo.js';
import { TestClock } from '../../../support/test-clock.js';

const NOW = '2030-01-01T00:00:00.000Z';

function commits(spec: [author: string, files: string[], n?: number][]) {
  const out: CommitLogEntry[] = [];
  for (const [author, files, n = 1] of spec) {
    for (let i = 0; i < n; i += 1) {
      out.push({ sha: `${out.length}`.padStart(40, '0'), author, files });
    }
  }
  return out;
}

function logScm(log: CommitLogEntry[]): Scm & { asked: number[] } {
  const asked: number[] = [];
  const unused = () => Promise.reject(new Error('not used'));
  return {
    asked,
    simulateMerge: unused,
    changedFiles: unused,
    headSha: unused,
    treeOf: unused,
    merge: unused,
    coChangeHistory: unused,
    commitLog: async (max) => {
      asked.push(max);
      return log.slice(0, max);
    },
  };
}

describe('archaeology', () => {
  it('counts hotspots, co-change pairs and authors', () => {
    // Prepare
    const log = commits([
      ['ana', ['src/a.ts', 'src/b.ts'], 3],
      ['bo', ['src/a.ts', 'docs/x.md']],
      ['ana', ['src/c.ts']],
    ]);
    // Act
    const report = analyzeHistory(log, { top: 2 }, NOW);
    // Assess
    expect(report.commits).toBe(5);
    expect(report.hotspots).toEqual([
      { file: 'src/a.ts', changes: 4 },
      { file: 'src/b.ts', changes: 3 },
    ]);
    expect(report.coupling).toEqual([
      { a: 'src/a.ts', b: 'src/b.ts', count: 3 },
    ]);
    expect(report.authors).toEqual([
      { author: 'ana', commits: 4, files: 3 },
      { author: 'bo', commits: 1, files: 2 },
    ]);
  });

  it('counts authors with at least 5% of the commits in the bus factor', () => {
    // Prepare: 40 commits; 2 is exactly 5%, 1 is below.
    const log = commits([
      ['ana', ['a'], 30],
      ['bo', ['b'], 7],
      ['cy', ['c'], 2],
      ['di', ['d'], 1],
    ]);
    // Act / Assess
    expect(analyzeHistory(log, { top: 5 }, NOW).bus_factor).toBe(3);
    expect(analyzeHistory([], { top: 5 }, NOW).bus_factor).toBe(1);
  });

  it('keeps the top 50 pairs changed together at least twice', () => {
    // Prepare: one commit of 12 files (66 pairs) twice, one pair once more.
    const files = Array.from(
      { length: 12 },
      (_, i) => `f${`${i}`.padStart(2, '0')}`,
    );
    const log = commits([
      ['ana', files, 2],
      ['ana', ['f10', 'f11']],
      ['bo', ['x', 'y']],
    ]);
    // Act
    const { coupling } = analyzeHistory(log, { top: 5 }, NOW);
    // Assess
    expect(coupling).toHaveLength(50);
    expect(coupling[0]).toEqual({ a: 'f10', b: 'f11', count: 3 });
    expect(coupling.slice(1).every((p) => p.count === 2)).toBe(true);
    expect(coupling.some((p) => p.a === 'x')).toBe(false);
  });

  it('reads maxCommits commits and validates its options', async () => {
    // Prepare
    const scm = logScm(commits([['ana', ['a'], 10]]));
    const deps = { scm, clock: new TestClock() };
    // Act
    const report = await archaeology(deps, { maxCommits: 4 });
    // Assess
    expect(scm.asked).toEqual([4]);
    expect(report).toMatchObject({ commits: 4, max_commits: 4 });
    await expect(archaeology(deps, { top: 0 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(archaeology(deps, { maxCommits: 1.5 })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('writes the snapshot shape the coupling source reads', () => {
    // Prepare
    const report = analyzeHistory(
      commits([['ana', ['a', 'b'], 2]]),
      { top: 3 },
      NOW,
    );
    // Act
    const snapshot = writeSnapshot(report);
    // Assess
    expect(Object.keys(snapshot).sort()).toEqual([
      'authors',
      'bus_factor',
      'commits',
      'coupling',
      'generated_at',
      'hotspots',
    ]);
    expect(snapshot.coupling).toEqual([{ a: 'a', b: 'b', count: 2 }]);
  });

  describe('on a small crafted git repository', () => {
    let repo: TestRepo | undefined;
    afterEach(() => {
      repo?.remove();
    });

    it('finds the hotspot and a bus factor of the two main authors', async () => {
      // Prepare: ana 16 commits, bo 4, cy 1 of 21 (below 5%: 1/21 = 4.8%).
      const r = new TestRepo();
      repo = r;
      const as = (name: string) => {
        r.git('config', 'user.name', name);
      };
      as('ana');
      for (let i = 0; i < 16; i += 1) {
        r.commit({ 'core.py': `v${i}\n`, 'util.py': `u${i % 8}\n` });
      }
      as('bo');
      for (let i = 0; i < 4; i += 1) r.commit({ [`docs/${i}.md`]: 'x\n' });
      as('cy');
      r.commit({ 'core.py': 'cy\n' });
      // Act
      const report = await archaeology(
        { scm: new GitScm({ repoDir: r.dir }), clock: new TestClock() },
        { top: 2 },
      );
      // Assess
      expect(report.commits).toBe(21);
      expect(report.hotspots[0]).toEqual({ file: 'core.py', changes: 17 });
      expect(report.coupling[0]).toMatchObject({ a: 'core.py', b: 'util.py' });
      expect(report.authors.map((a) => a.author)).toEqual(['ana', 'bo', 'cy']);
      expect(report.bus_factor).toBe(2);
    });
  });
});

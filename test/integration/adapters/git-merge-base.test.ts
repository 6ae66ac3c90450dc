import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeBaseCandidates } from '../../../shared/adapters/git/git-merge-base.js';
import {
  type CommitInfo,
  GitObjectReader,
  newObjectCaches,
} from '../../../shared/adapters/git/git-objects.js';
import { gitEnvironment } from '../../../shared/adapters/git/run-git.js';
import { TestRepo } from '../../support/git-repo.js';

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * A random history of `count` commits: each has one or two earlier parents
 * (some have none: unrelated roots), and dates that sometimes go backwards.
 */
function history(repo: TestRepo, count: number, next: () => number): string[] {
  const lines: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    const date = 1_700_000_000 + n * 100 - Math.floor(next() * 3) * 250;
    const message = `c${n}`;
    lines.push(
      `commit refs/heads/c${n}`,
      `mark :${n}`,
      `committer t <t@t> ${date} +0000`,
      `data ${message.length}`,
      message,
    );
    const roll = next();
    if (n > 1 && roll > 0.05) {
      lines.push(`from :${1 + Math.floor(next() * (n - 1))}`);
      if (roll > 0.6 && n > 2) {
        lines.push(`merge :${1 + Math.floor(next() * (n - 1))}`);
      }
    }
    lines.push(`M 100644 inline f${n}`, 'data 2', 'x', '');
  }
  execFileSync('git', ['fast-import', '--quiet'], {
    cwd: repo.dir,
    input: `${lines.join('\n')}\n`,
  });
  return Array.from({ length: count }, (_, i) => `c${i + 1}`);
}

describe('mergeBaseCandidates on real histories', () => {
  let repo: TestRepo;
  let reader: GitObjectReader;

  beforeAll(() => {
    repo = new TestRepo();
    reader = new GitObjectReader(
      {
        repoDir: repo.dir,
        gitBinary: 'git',
        timeoutMs: 30_000,
        env: gitEnvironment(process.env),
        configArgs: [],
      },
      newObjectCaches(),
    );
  });
  afterAll(async () => {
    await reader.close();
    repo.remove();
  });

  it('agrees with `git merge-base --all` whenever it names one base', async () => {
    // Prepare
    const next = random(20_261_127);
    const refs = history(repo, 120, next);
    const commit = async (name: string): Promise<CommitInfo> => {
      const found = await reader.commit(name);
      if (!found) throw new Error(`no ${name}`);
      return found;
    };
    const parentsOf = (c: CommitInfo) => Promise.all(c.parents.map(commit));
    let single = 0;
    for (let i = 0; i < 150; i += 1) {
      const a = refs[Math.floor(next() * refs.length)] ?? 'c1';
      const b = refs[Math.floor(next() * refs.length)] ?? 'c1';
      // Act
      const candidates = await mergeBaseCandidates(
        parentsOf,
        await commit(a),
        await commit(b),
      );
      // Assess
      let all: string[] = [];
      try {
        all = repo.git('merge-base', '--all', a, b).split('\n');
      } catch {
        all = []; // unrelated histories: git exits 1
      }
      if (candidates.length === 1) {
        single += 1;
        expect(all).toEqual(candidates);
      }
      expect(candidates.length === 0).toBe(all.length === 0);
      for (const base of all) expect(candidates).toContain(base);
    }
    expect(single).toBeGreaterThan(50);
  });
});

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitScm } from '../../../shared/adapters/git/git-scm.js';
import {
  GitUnavailableError,
  gitEnvironment,
} from '../../../shared/adapters/git/run-git.js';
import {
  ConflictError,
  NotFoundError,
  TransientError,
  ValidationError,
} from '../../../shared/domain/errors.js';

const env = gitEnvironment(process.env);

/** Runs git in `dir` for test set-up; returns trimmed stdout. */
function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env,
  }).trim();
}

function write(dir: string, path: string, content: string): void {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

/** Writes the files, stages everything, commits; returns the new SHA. */
function commit(
  dir: string,
  message: string,
  files: Record<string, string>,
): string {
  for (const [path, content] of Object.entries(files))
    write(dir, path, content);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

function initRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Converge Test');
  git(dir, 'config', 'user.email', 'test@converge.local');
  git(dir, 'config', 'commit.gpgsign', 'false');
}

describe('GitScm', () => {
  let root: string;
  let repo: string;
  let scm: GitScm;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'converge-git-'));
    repo = join(root, 'repo');
    mkdirSync(repo);
    initRepo(repo);
    commit(repo, 'base', {
      'a.txt': 'one\ntwo\nthree\n',
      'shared.txt': 'base\n',
      'del.txt': 'keep me\n',
      'ren.txt': 'rename me\nwith enough lines\nto be detected\n',
      'src/app.ts': 'export const x = 1;\n',
    });
    scm = new GitScm({ repoDir: repo });
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  /** feature: adds b.txt, edits a.txt line 1; main: edits a.txt line 3. */
  function cleanBranches(): void {
    git(repo, 'checkout', '-q', '-b', 'feature');
    commit(repo, 'feature', {
      'b.txt': 'new\n',
      'a.txt': 'ONE\ntwo\nthree\n',
    });
    git(repo, 'checkout', '-q', 'main');
    commit(repo, 'main moves', { 'a.txt': 'one\ntwo\nTHREE\n' });
  }

  describe('Method: simulateMerge', () => {
    it('reports a clean merge with its tree, SHAs and changed files', async () => {
      // Prepare
      cleanBranches();
      const statusBefore = git(repo, 'status', '--porcelain');
      // Act
      const sim = await scm.simulateMerge('feature', 'main');
      // Assess
      expect(sim).toEqual({
        mergeable: true,
        conflicts: [],
        filesChanged: ['a.txt', 'b.txt'],
        sourceSha: git(repo, 'rev-parse', 'feature'),
        targetSha: git(repo, 'rev-parse', 'main'),
        mergeBaseSha: git(repo, 'merge-base', 'main', 'feature'),
        treeSha: git(repo, 'merge-tree', '--write-tree', 'main', 'feature'),
      });
      expect(git(repo, 'status', '--porcelain')).toBe(statusBefore);
      expect(git(repo, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    });

    it('parses every kind of conflict into file names', async () => {
      // Prepare
      git(repo, 'checkout', '-q', '-b', 'feature');
      commit(repo, 'feature', {
        'a.txt': 'one\nFEATURE\nthree\n',
        'added.txt': 'feature side\n',
        'del.txt': 'modified on feature\n',
      });
      git(repo, 'mv', 'ren.txt', 'ren-feature.txt');
      git(repo, 'commit', '-q', '-m', 'rename on feature');
      git(repo, 'checkout', '-q', 'main');
      commit(repo, 'main', {
        'a.txt': 'one\nMAIN\nthree\n',
        'added.txt': 'main side\n',
      });
      git(repo, 'rm', '-q', 'del.txt');
      git(repo, 'mv', 'ren.txt', 'ren-main.txt');
      git(repo, 'commit', '-q', '-m', 'delete and rename on main');
      // Act
      const sim = await scm.simulateMerge('feature', 'main');
      // Assess
      expect(sim.mergeable).toBe(false);
      expect(sim.treeSha).toBeNull();
      expect(sim.conflicts).toEqual([
        'a.txt', // content
        'added.txt', // add/add
        'del.txt', // modify/delete
        'ren-feature.txt', // rename/rename
        'ren-main.txt',
        'ren.txt',
      ]);
      expect(sim.filesChanged).toEqual([
        'a.txt',
        'added.txt',
        'del.txt',
        'ren-feature.txt',
      ]);
    });

    it('names a file placed by a directory rename (file location)', async () => {
      // Prepare
      git(repo, 'checkout', '-q', '-b', 'feature');
      commit(repo, 'feature', { 'src/new.ts': 'export const y = 2;\n' });
      git(repo, 'checkout', '-q', 'main');
      git(repo, 'mv', 'src', 'lib');
      git(repo, 'commit', '-q', '-m', 'move src to lib');
      // Act
      const sim = await scm.simulateMerge('feature', 'main');
      // Assess
      expect(sim.mergeable).toBe(false);
      expect(sim.conflicts).toEqual(['lib/new.ts']);
    });

    it('lists only the source side of the merge base (target...source)', async () => {
      // Prepare
      git(repo, 'checkout', '-q', '-b', 'feature');
      commit(repo, 'feature', { 'feature-only.txt': 'f\n' });
      git(repo, 'checkout', '-q', 'main');
      commit(repo, 'target only', { 'target-only.txt': 't\n' });
      // Act
      const sim = await scm.simulateMerge('feature', 'main');
      const changed = await scm.changedFiles('feature', 'main');
      // Assess
      expect(sim.filesChanged).toEqual(['feature-only.txt']);
      expect(changed).toEqual(['feature-only.txt']);
    });

    it('diffs from the best merge base of a criss-cross history', async () => {
      // Prepare: feature and main merge each other, so they have two bases.
      git(repo, 'checkout', '-q', '-b', 'feature');
      commit(repo, 'f1', { 'f1.txt': '1\n' });
      git(repo, 'checkout', '-q', 'main');
      commit(repo, 'm1', { 'm1.txt': '1\n' });
      git(repo, 'checkout', '-q', '-b', 'side');
      git(repo, 'merge', '-q', '--no-edit', 'feature');
      git(repo, 'checkout', '-q', 'feature');
      git(repo, 'merge', '-q', '--no-edit', 'main');
      commit(repo, 'f2', { 'f2.txt': '2\n' });
      git(repo, 'checkout', '-q', 'side');
      commit(repo, 's1', { 's1.txt': '1\n' });
      const bases = git(repo, 'merge-base', '--all', 'side', 'feature');
      const expected = git(repo, 'diff', '--name-only', 'side...feature');
      // Act
      const sim = await scm.simulateMerge('feature', 'side');
      // Assess
      expect(bases.split('\n')).toHaveLength(2);
      expect(sim.mergeBaseSha).toBe(git(repo, 'merge-base', 'side', 'feature'));
      expect(sim.filesChanged).toEqual(expected.split('\n'));
      expect(sim.mergeable).toBe(true);
    });

    it('lists a rename once, under its new path', async () => {
      // Prepare
      git(repo, 'checkout', '-q', '-b', 'feature');
      git(repo, 'mv', 'ren.txt', 'renamed.txt');
      git(repo, 'commit', '-q', '-m', 'rename');
      // Act
      const changed = await scm.changedFiles('feature', 'main');
      // Assess
      expect(changed).toEqual(['renamed.txt']);
    });

    it('throws NotFoundError for an unknown branch', async () => {
      await expect(scm.simulateMerge('nope', 'main')).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('refuses refs that git could read as options', async () => {
      for (const ref of ['--output=/tmp/x', '-p', 'a..b', 'x y', 'a~1']) {
        await expect(scm.simulateMerge(ref, 'main')).rejects.toBeInstanceOf(
          ValidationError,
        );
      }
    });

    it('throws ValidationError for branches with no common history', async () => {
      // Prepare
      git(repo, 'checkout', '-q', '--orphan', 'island');
      git(repo, 'rm', '-rqf', '.');
      commit(repo, 'island', { 'island.txt': 'alone\n' });
      // Act / Assess
      await expect(scm.simulateMerge('island', 'main')).rejects.toBeInstanceOf(
        ValidationError,
      );
    });
  });

  describe('Method: headSha', () => {
    it('resolves branches, HEAD and SHAs', async () => {
      const sha = git(repo, 'rev-parse', 'main');
      expect(await scm.headSha('main')).toBe(sha);
      expect(await scm.headSha('HEAD')).toBe(sha);
      expect(await scm.headSha('refs/heads/main')).toBe(sha);
      expect(await scm.headSha(sha)).toBe(sha);
    });

    it('throws NotFoundError for an unknown ref', async () => {
      await expect(scm.headSha('does-not-exist')).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('ignores GIT_DIR inherited from a hook', async () => {
      const hooked = new GitScm({
        repoDir: repo,
        env: { ...process.env, GIT_DIR: join(root, 'elsewhere') },
      });
      expect(await hooked.headSha('main')).toBe(git(repo, 'rev-parse', 'main'));
    });
  });

  describe('Method: merge', () => {
    it('commits exactly the simulated tree onto target + source, leaving the work tree and index alone', async () => {
      // Prepare
      cleanBranches();
      const sim = await scm.simulateMerge('feature', 'main');
      const indexBefore = readFileSync(join(repo, '.git', 'index'));
      const fileBefore = readFileSync(join(repo, 'a.txt'), 'utf8');
      // Act
      const { mergedSha } = await scm.merge({
        source: 'feature',
        target: 'main',
        expectedTargetSha: sim.targetSha,
        treeSha: sim.treeSha ?? '',
        message: 'converge: merge feature into main',
      });
      // Assess
      expect(git(repo, 'rev-parse', 'refs/heads/main')).toBe(mergedSha);
      expect(git(repo, 'rev-parse', `${mergedSha}^{tree}`)).toBe(sim.treeSha);
      expect(git(repo, 'rev-list', '--parents', '-n', '1', mergedSha)).toBe(
        `${mergedSha} ${sim.targetSha} ${sim.sourceSha}`,
      );
      expect(git(repo, 'log', '-1', '--format=%s%n%an', mergedSha)).toBe(
        'converge: merge feature into main\nConverge Test',
      );
      expect(readFileSync(join(repo, '.git', 'index'))).toEqual(indexBefore);
      expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe(fileBefore);
    });

    it('works in a bare repository', async () => {
      // Prepare
      cleanBranches();
      const bare = join(root, 'bare.git');
      execFileSync('git', ['clone', '-q', '--bare', repo, bare], { env });
      const bareScm = new GitScm({
        repoDir: bare,
        identity: { name: 'Merge Bot', email: 'bot@converge.local' },
      });
      const sim = await bareScm.simulateMerge('feature', 'main');
      // Act
      const { mergedSha } = await bareScm.merge({
        source: 'feature',
        target: 'refs/heads/main',
        expectedTargetSha: sim.targetSha,
        treeSha: sim.treeSha ?? '',
        message: 'merge in bare',
      });
      // Assess
      expect(git(bare, 'rev-parse', 'main')).toBe(mergedSha);
      expect(git(bare, 'rev-parse', `${mergedSha}^{tree}`)).toBe(sim.treeSha);
      expect(git(bare, 'log', '-1', '--format=%an <%ae>', mergedSha)).toBe(
        'Merge Bot <bot@converge.local>',
      );
    });

    it('throws ConflictError and leaves the ref alone when the target moved', async () => {
      // Prepare
      cleanBranches();
      const sim = await scm.simulateMerge('feature', 'main');
      const moved = commit(repo, 'main moves again', { 'late.txt': 'late\n' });
      // Act
      const merging = scm.merge({
        source: 'feature',
        target: 'main',
        expectedTargetSha: sim.targetSha,
        treeSha: sim.treeSha ?? '',
        message: 'too late',
      });
      // Assess
      await expect(merging).rejects.toBeInstanceOf(ConflictError);
      await expect(merging).rejects.toThrow('target moved');
      expect(git(repo, 'rev-parse', 'main')).toBe(moved);
    });

    it('throws ConflictError when the source moved after the simulation', async () => {
      // Prepare
      cleanBranches();
      const sim = await scm.simulateMerge('feature', 'main');
      git(repo, 'checkout', '-q', 'feature');
      commit(repo, 'feature grows', { 'c.txt': 'untested\n' });
      git(repo, 'checkout', '-q', 'main');
      // Act
      const merging = scm.merge({
        source: 'feature',
        target: 'main',
        expectedTargetSha: sim.targetSha,
        treeSha: sim.treeSha ?? '',
        message: 'untested source',
      });
      // Assess
      await expect(merging).rejects.toBeInstanceOf(ConflictError);
      expect(git(repo, 'rev-parse', 'main')).toBe(sim.targetSha);
    });

    it('throws TransientError when another writer holds the ref lock', async () => {
      // Prepare
      cleanBranches();
      const sim = await scm.simulateMerge('feature', 'main');
      writeFileSync(join(repo, '.git', 'refs', 'heads', 'main.lock'), '');
      // Act
      const merging = scm.merge({
        source: 'feature',
        target: 'main',
        expectedTargetSha: sim.targetSha,
        treeSha: sim.treeSha ?? '',
        message: 'locked',
      });
      // Assess
      await expect(merging).rejects.toBeInstanceOf(TransientError);
      expect(git(repo, 'rev-parse', 'main')).toBe(sim.targetSha);
    });

    it('validates its input before touching git', async () => {
      const base = {
        source: 'feature',
        target: 'main',
        expectedTargetSha: git(repo, 'rev-parse', 'main'),
        treeSha: git(repo, 'rev-parse', 'main^{tree}'),
        message: 'm',
      };
      for (const bad of [
        { target: 'HEAD' },
        { target: '-main' },
        { treeSha: 'abc' },
        { message: '  ' },
      ]) {
        await expect(scm.merge({ ...base, ...bad })).rejects.toBeInstanceOf(
          ValidationError,
        );
      }
      await expect(
        scm.merge({ ...base, target: 'missing' }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('Method: coChangeHistory', () => {
    it('counts pairs changed together, keeping those seen at least twice', async () => {
      // Prepare
      commit(repo, 'c1', { 'x.ts': '1', 'y.ts': '1' });
      commit(repo, 'c2', { 'x.ts': '2', 'y.ts': '2', 'z.ts': '2' });
      commit(repo, 'c3', { 'x.ts': '3', 'z.ts': '3' });
      commit(repo, 'c4', { 'y.ts': '4' });
      // Act
      const pairs = await scm.coChangeHistory(4);
      const recent = await scm.coChangeHistory(2);
      // Assess
      expect(pairs).toEqual([
        { a: 'x.ts', b: 'y.ts', count: 2 },
        { a: 'x.ts', b: 'z.ts', count: 2 },
      ]);
      expect(recent).toEqual([]);
    });

    it('lists commits newest first with author and files', async () => {
      // Prepare
      const sha = commit(repo, 'c1', { 'x.ts': '1', 'dir/y.ts': '1' });
      // Act
      const log = await scm.commitLog(1);
      // Assess
      expect(log).toEqual([
        { sha, author: 'Converge Test', files: ['dir/y.ts', 'x.ts'] },
      ]);
    });

    it('returns nothing for a repository with no commits', async () => {
      const empty = join(root, 'empty');
      mkdirSync(empty);
      initRepo(empty);
      const emptyScm = new GitScm({ repoDir: empty });
      expect(await emptyScm.coChangeHistory(10)).toEqual([]);
      await expect(emptyScm.headSha('HEAD')).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('rejects a non-positive commit count', async () => {
      await expect(scm.coChangeHistory(0)).rejects.toBeInstanceOf(
        ValidationError,
      );
    });
  });

  describe('Failures of git itself', () => {
    it('says clearly when git is not installed', async () => {
      const missing = new GitScm({
        repoDir: repo,
        gitBinary: join(root, 'no-such-git'),
      });
      const resolving = missing.headSha('main');
      await expect(resolving).rejects.toBeInstanceOf(GitUnavailableError);
      await expect(resolving).rejects.toThrow(/git not found/);
    });

    it('turns a command past its timeout into a TransientError', async () => {
      const slowGit = join(root, 'slow-git');
      writeFileSync(slowGit, '#!/bin/sh\nsleep 5\n');
      chmodSync(slowGit, 0o755);
      const slow = new GitScm({
        repoDir: repo,
        gitBinary: slowGit,
        timeoutMs: 200,
      });
      await expect(slow.headSha('main')).rejects.toBeInstanceOf(TransientError);
    });
  });
});

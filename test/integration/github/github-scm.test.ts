import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubClient } from '../../../shared/adapters/github/github-client.js';
import { GitHubScm } from '../../../shared/adapters/github/github-scm.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../../../shared/domain/errors.js';
import { FakeGitHub, type FakeRepo } from '../../support/fake-github.js';
import {
  closeAndCheckSpec,
  INSTALLATION_ID,
  testClient,
} from './github-harness.js';

describe('GitHubScm', () => {
  let fake: FakeGitHub;
  let repo: FakeRepo;
  let client: GitHubClient;
  let scm: GitHubScm;
  let base: string;

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    repo = fake.createRepo('acme/app', {
      'src/a.ts': 'a1',
      'src/b.ts': 'b1',
      'README.md': 'hi',
    });
    base = repo.resolve('main') ?? '';
    client = testClient(fake);
    scm = new GitHubScm({
      client,
      repo: 'acme/app',
      installationId: INSTALLATION_ID,
    });
  });

  afterEach(async () => {
    await closeAndCheckSpec(fake);
  });

  /** feature edits a.ts; main edits b.ts: a clean merge. */
  function divergeCleanly(): { source: string; target: string } {
    repo.branch('feature/x', base);
    const source = repo.commitOn('feature/x', {
      'src/a.ts': 'a2',
      'new.ts': 'n',
    });
    const target = repo.commitOn('main', { 'src/b.ts': 'b2' });
    return { source, target };
  }

  describe('simulateMerge', () => {
    it('reports a clean merge with the merged tree, leaving the target alone', async () => {
      // Prepare
      const { source, target } = divergeCleanly();

      // Act
      const sim = await scm.simulateMerge('feature/x', 'main');

      // Assess
      const expectedTree = repo.writeTree({
        'src/a.ts': 'a2',
        'src/b.ts': 'b2',
        'new.ts': 'n',
        'README.md': 'hi',
      });
      expect(sim).toEqual({
        mergeable: true,
        conflicts: [],
        filesChanged: ['new.ts', 'src/a.ts'],
        sourceSha: source,
        targetSha: target,
        mergeBaseSha: base,
        treeSha: expectedTree,
      });
      expect(repo.resolve('main')).toBe(target);
      expect(repo.refs.has('heads/converge/staging/main')).toBe(true);
    });

    it('reports a conflict with the files both sides changed', async () => {
      // Prepare
      repo.branch('feature/x', base);
      repo.commitOn('feature/x', { 'src/a.ts': 'mine', 'only-mine.ts': 'x' });
      repo.commitOn('main', { 'src/a.ts': 'theirs', 'src/b.ts': 'b2' });

      // Act
      const sim = await scm.simulateMerge('feature/x', 'main');

      // Assess
      expect(sim.mergeable).toBe(false);
      expect(sim.treeSha).toBeNull();
      expect(sim.conflicts).toEqual(['src/a.ts']);
      expect(sim.filesChanged).toEqual(['only-mine.ts', 'src/a.ts']);
    });

    it('treats a source already in the target as mergeable with the target tree (204)', async () => {
      // Prepare
      repo.branch('feature/x', base);
      const target = repo.commitOn('main', { 'src/b.ts': 'b2' });

      // Act
      const sim = await scm.simulateMerge('feature/x', 'main');

      // Assess
      expect(sim.mergeable).toBe(true);
      expect(sim.filesChanged).toEqual([]);
      expect(sim.treeSha).toBe(repo.commits.get(target)?.tree);
      expect(fake.count('POST', /\/merges$/)).toBe(1);
    });

    it('reuses the staging branch on the next simulation', async () => {
      // Prepare
      divergeCleanly();
      await scm.simulateMerge('feature/x', 'main');

      // Act
      const again = await scm.simulateMerge('feature/x', 'main');

      // Assess
      expect(again.mergeable).toBe(true);
      expect(fake.count('POST', /\/git\/refs$/)).toBe(1);
      expect(
        fake.count('PATCH', /\/git\/refs\/heads\/converge\/staging\/main$/),
      ).toBe(2);
    });

    it('refuses unrelated histories with ValidationError and unknown refs with NotFoundError', async () => {
      // Prepare
      const orphan = repo.createCommit(
        repo.writeTree({ x: 'y' }),
        [],
        'orphan',
      );
      repo.branch('orphan', orphan.sha);

      // Act
      const unrelated = scm.simulateMerge('orphan', 'main');
      const unknown = scm.simulateMerge('nope', 'main');

      // Assess
      await expect(unrelated).rejects.toBeInstanceOf(ValidationError);
      await expect(unknown).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('changedFiles and headSha', () => {
    it('lists the source changes since the merge base (target...source)', async () => {
      // Prepare
      divergeCleanly();

      // Act
      const files = await scm.changedFiles('feature/x', 'main');

      // Assess
      expect(files).toEqual(['new.ts', 'src/a.ts']);
    });

    it('resolves branches, full refs, SHAs, HEAD and annotated tags', async () => {
      // Prepare
      const { source, target } = divergeCleanly();
      repo.annotatedTag('v1', source);

      // Act
      const resolved = await Promise.all([
        scm.headSha('feature/x'),
        scm.headSha('refs/heads/main'),
        scm.headSha(source),
        scm.headSha('HEAD'),
        scm.headSha('v1'),
      ]);

      // Assess
      expect(resolved).toEqual([source, target, source, target, source]);
      await expect(scm.headSha('missing')).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(scm.headSha('-x')).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('merge', () => {
    it('fast-forwards the target to the tested merge commit on the staging branch', async () => {
      // Prepare
      const { source, target } = divergeCleanly();
      const sim = await scm.simulateMerge('feature/x', 'main');

      // Act
      const { mergedSha } = await scm.merge({
        source: 'feature/x',
        target: 'main',
        expectedTargetSha: sim.targetSha,
        treeSha: sim.treeSha ?? '',
        message: 'converge: merge feature/x',
      });

      // Assess
      expect(repo.resolve('main')).toBe(mergedSha);
      const commit = repo.commits.get(mergedSha);
      expect(commit?.tree).toBe(sim.treeSha);
      expect(commit?.parents).toEqual([target, source]);
      expect(commit?.message).toBe('converge: merge feature/x');
      expect(repo.resolve('converge/staging/main')).toBe(mergedSha);
      expect(fake.count('POST', /\/git\/commits$/)).toBe(0);
      expect(fake.count('PATCH', /\/git\/refs\/heads\/main$/)).toBe(1);
    });

    it('leaves the target where it is when the source is already in it', async () => {
      // Prepare
      repo.branch('feature/x', base);
      const target = repo.commitOn('main', { 'src/b.ts': 'b2' });
      const sim = await scm.simulateMerge('feature/x', 'main');

      // Act
      const { mergedSha } = await scm.merge({
        source: 'feature/x',
        target: 'main',
        expectedTargetSha: sim.targetSha,
        treeSha: sim.treeSha ?? '',
        message: 'converge: merge feature/x',
      });

      // Assess
      expect(mergedSha).toBe(target);
      expect(repo.resolve('main')).toBe(target);
      expect(fake.count('PATCH', /\/git\/refs\/heads\/main$/)).toBe(0);
    });

    it('refuses with ConflictError when the target moved, leaving the ref alone', async () => {
      // Prepare
      divergeCleanly();
      const sim = await scm.simulateMerge('feature/x', 'main');
      const moved = repo.commitOn('main', { 'later.ts': 'l' });

      // Act
      const merge = scm.merge({
        source: 'feature/x',
        target: 'main',
        expectedTargetSha: sim.targetSha,
        treeSha: sim.treeSha ?? '',
        message: 'm',
      });

      // Assess
      await expect(merge).rejects.toBeInstanceOf(ConflictError);
      expect(repo.resolve('main')).toBe(moved);
      expect(fake.count('POST', /\/git\/commits$/)).toBe(0);
      expect(fake.count('PATCH', /\/git\/refs\/heads\/main$/)).toBe(0);
    });

    it('loses the race safely: a push between read and update is a ConflictError', async () => {
      // Prepare
      divergeCleanly();
      const sim = await scm.simulateMerge('feature/x', 'main');
      let pushed = '';
      fake.beforeNext(/^PATCH .*\/git\/refs\/heads\/main$/, () => {
        pushed = repo.commitOn('main', { 'racer.ts': 'r' });
      });

      // Act
      const merge = scm.merge({
        source: 'feature/x',
        target: 'main',
        expectedTargetSha: sim.targetSha,
        treeSha: sim.treeSha ?? '',
        message: 'm',
      });

      // Assess: GitHub's fast-forward check refused the update (422).
      await expect(merge).rejects.toBeInstanceOf(ConflictError);
      expect(repo.resolve('main')).toBe(pushed);
    });

    it('refuses with ConflictError when the source moved since the test', async () => {
      // Prepare
      divergeCleanly();
      const sim = await scm.simulateMerge('feature/x', 'main');
      repo.commitOn('feature/x', { 'src/a.ts': 'a3' });

      // Act
      const merge = scm.merge({
        source: 'feature/x',
        target: 'main',
        expectedTargetSha: sim.targetSha,
        treeSha: sim.treeSha ?? '',
        message: 'm',
      });

      // Assess
      await expect(merge).rejects.toBeInstanceOf(ConflictError);
      expect(repo.resolve('main')).toBe(sim.targetSha);
    });

    it('validates its input and reports a missing target branch', async () => {
      // Prepare
      const sha = base;
      const input = {
        source: 'main',
        target: 'main',
        expectedTargetSha: sha,
        treeSha: sha,
      };

      // Act and Assess
      await expect(
        scm.merge({ ...input, message: ' ' }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        scm.merge({ ...input, treeSha: 'abc', message: 'm' }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        scm.merge({ ...input, target: 'gone', message: 'm' }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('history', () => {
    it('lists commits newest first with their files; merges list none', async () => {
      // Prepare
      const { source, target } = divergeCleanly();
      const sim = await scm.simulateMerge('feature/x', 'main');
      const { mergedSha } = await scm.merge({
        source: 'feature/x',
        target: 'main',
        expectedTargetSha: sim.targetSha,
        treeSha: sim.treeSha ?? '',
        message: 'merge',
      });

      // Act
      const log = await scm.commitLog(10);

      // Assess
      expect(log.map((c) => c.sha)).toEqual([mergedSha, target, source, base]);
      expect(log[0]?.files).toEqual([]);
      expect(log[1]).toEqual({
        sha: target,
        author: 'Converge Test',
        files: ['src/b.ts'],
      });
      expect(log[2]?.files).toEqual(['new.ts', 'src/a.ts']);
      expect(log[3]?.files).toEqual(['README.md', 'src/a.ts', 'src/b.ts']);
    });

    it('counts co-changes over a bounded history', async () => {
      // Prepare
      for (let i = 0; i < 3; i += 1) {
        repo.commitOn('main', {
          'src/a.ts': `a${i + 10}`,
          'src/b.ts': `b${i + 10}`,
        });
      }
      const bounded = new GitHubScm({
        client,
        repo: 'acme/app',
        installationId: INSTALLATION_ID,
        maxLogCommits: 2,
      });

      // Act
      const pairs = await scm.coChangeHistory(50);
      const few = await bounded.commitLog(50);

      // Assess
      expect(pairs).toEqual([{ a: 'src/a.ts', b: 'src/b.ts', count: 4 }]);
      expect(few).toHaveLength(2);
      await expect(scm.commitLog(0)).rejects.toBeInstanceOf(ValidationError);
    });
  });
});

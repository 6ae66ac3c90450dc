import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitScm } from '../../../shared/adapters/git/git-scm.js';
import { ConflictError, NotFoundError } from '../../../shared/domain/errors.js';
import type { MergeSimulation, MergeTrain } from '../../../shared/ports/scm.js';
import { TestRepo } from '../../support/git-repo.js';

/** Branch `feature` is set up by each case against the same `main`. */
type Scenario = (repo: TestRepo) => void;

function onFeature(repo: TestRepo, work: () => void): void {
  repo.git('checkout', '-q', '-b', 'feature');
  work();
  repo.git('checkout', '-q', 'main');
}

/** Cases for the fast path and for each reason to hand a merge to git. */
const SCENARIOS: Record<string, Scenario> = {
  'different files': (repo) => {
    repo.branch('feature', { 'b.txt': 'new\n', 'dir/x.txt': 'x\n' });
    repo.commit({ 'a.txt': 'main\n', 'dir/m.txt': 'm\n' });
  },
  'the same file, different lines': (repo) => {
    repo.branch('feature', { 'lines.txt': 'ONE\ntwo\nthree\nfour\n' });
    repo.commit({ 'lines.txt': 'one\ntwo\nthree\nFOUR\n' });
  },
  'a conflict': (repo) => {
    repo.branch('feature', { 'a.txt': 'feature\n' });
    repo.commit({ 'a.txt': 'main\n' });
  },
  'a rename on the source': (repo) => {
    onFeature(repo, () => {
      repo.git('mv', 'ren.txt', 'renamed.txt');
      repo.git('commit', '-q', '-m', 'rename');
    });
    repo.commit({ 'a.txt': 'main\n' });
  },
  'an edit of a file the target renamed': (repo) => {
    repo.branch('feature', {
      'ren.txt': 'rename me\nwith enough lines\nto be detected\nedited\n',
    });
    repo.git('mv', 'ren.txt', 'moved.txt');
    repo.git('commit', '-q', '-m', 'rename on main');
  },
  'a new file in a directory the target renamed': (repo) => {
    repo.branch('feature', { 'src/new.ts': 'export const y = 2;\n' });
    repo.git('mv', 'src', 'lib');
    repo.git('commit', '-q', '-m', 'move src to lib');
  },
  'a directory both sides created': (repo) => {
    repo.branch('feature', { 'both/f.txt': 'f\n' });
    repo.commit({ 'both/m.txt': 'm\n' });
  },
  'a mode change and a symlink': (repo) => {
    onFeature(repo, () => {
      chmodSync(join(repo.dir, 'a.txt'), 0o755);
      symlinkSync('a.txt', join(repo.dir, 'link'));
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'mode and link');
    });
    repo.commit({ 'b.txt': 'main\n' });
  },
  'a file both sides deleted': (repo) => {
    onFeature(repo, () => {
      repo.git('rm', '-q', 'del.txt');
      repo.git('commit', '-q', '-m', 'delete');
    });
    repo.git('rm', '-q', 'del.txt');
    repo.git('commit', '-q', '-m', 'delete too');
  },
  'a deletion against an addition elsewhere': (repo) => {
    onFeature(repo, () => {
      repo.git('rm', '-q', 'del.txt');
      repo.git('commit', '-q', '-m', 'delete');
    });
    repo.commit({ 'deep/er/new.txt': 'n\n' });
  },
  'a source already merged': (repo) => {
    repo.branch('feature', { 'b.txt': 'b\n' });
    repo.git('merge', '-q', '--no-ff', '--no-edit', 'feature');
    repo.commit({ 'c.txt': 'c\n' });
  },
  'a target that the source contains': (repo) => {
    repo.branch('feature', { 'b.txt': 'b\n' });
  },
  'a criss-cross history': (repo) => {
    repo.branch('feature', { 'f1.txt': '1\n' });
    repo.commit({ 'm1.txt': '1\n' });
    repo.git('checkout', '-q', '-b', 'side');
    repo.git('merge', '-q', '--no-edit', 'feature');
    repo.git('checkout', '-q', 'feature');
    repo.git('merge', '-q', '--no-edit', 'side~1');
    repo.commit({ 'f2.txt': '2\n' });
    repo.git('checkout', '-q', 'side');
    repo.commit({ 's1.txt': '1\n' });
    repo.git('checkout', '-q', 'main');
    repo.git('reset', '-q', '--hard', 'side');
  },
  'names outside ASCII, deep paths': (repo) => {
    repo.branch('feature', {
      'dir/sous-réper/été.txt': 'é\n',
      'a/b/c/d.txt': 'd\n',
    });
    repo.commit({ 'dir/ünïcode.txt': 'u\n' });
  },
};

describe('GitScm merge trains', () => {
  let repo: TestRepo;
  let scm: GitScm;
  const trains: MergeTrain[] = [];

  async function open(target = 'main'): Promise<MergeTrain> {
    const train = await scm.openTrain(target);
    trains.push(train);
    return train;
  }

  beforeEach(() => {
    repo = new TestRepo();
    repo.commit({
      'a.txt': 'a\n',
      'del.txt': 'keep me\n',
      'lines.txt': 'one\ntwo\nthree\nfour\n',
      'ren.txt': 'rename me\nwith enough lines\nto be detected\n',
      'src/app.ts': 'export const x = 1;\n',
    });
    scm = new GitScm({ repoDir: repo.dir });
  });

  afterEach(async () => {
    for (const train of trains.splice(0)) await train.close();
    repo.remove();
  });

  describe('simulate', () => {
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      it(`reports exactly what simulateMerge reports: ${name}`, async () => {
        // Prepare
        scenario(repo);
        const expected = await scm.simulateMerge('feature', 'main');
        const train = await open();
        // Act
        const simulation = await train.simulate('feature');
        // Assess
        expect(simulation).toEqual(expected);
      });
    }

    it('names a missing source like headSha does', async () => {
      const train = await open();
      await expect(train.simulate('nope')).rejects.toThrow(
        new NotFoundError('unknown ref: nope'),
      );
      await expect(train.headSha('nope')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('refuses to open on a branch that does not exist', async () => {
      await expect(scm.openTrain('missing')).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });
  });

  describe('stage and publish', () => {
    function branches(count: number): string[] {
      return Array.from({ length: count }, (_, n) => {
        repo.branch(`feature/${n}`, { [`files/${n}.txt`]: `${n}\n` });
        return `feature/${n}`;
      });
    }

    async function stageAll(train: MergeTrain, sources: string[]) {
      const sims: MergeSimulation[] = [];
      for (const source of sources) {
        const sim = await train.simulate(source);
        sims.push(sim);
        await train.stage({
          source: sim.sourceSha,
          target: 'main',
          expectedTargetSha: sim.targetSha,
          treeSha: sim.treeSha ?? '',
          message: `Merge ${source}`,
        });
      }
      return sims;
    }

    it('builds each merge on the previous one and moves the branch once', async () => {
      // Prepare
      const sources = branches(3);
      const before = repo.sha('main');
      const train = await open();
      // Act
      const sims = await stageAll(train, sources);
      const unpublished = repo.sha('main');
      const staged = train.tipSha;
      const hidden = () => repo.git('cat-file', '-e', staged);
      expect(hidden).toThrow();
      await train.publish();
      // Assess
      expect(unpublished).toBe(before);
      expect(repo.sha('main')).toBe(staged);
      expect(train.baseSha).toBe(staged);
      expect(sims[0]?.targetSha).toBe(before);
      const firstParents = repo
        .git('rev-list', '--first-parent', 'main')
        .split('\n');
      expect(firstParents.slice(1)).toEqual([
        sims[2]?.targetSha,
        sims[1]?.targetSha,
        before,
      ]);
      for (const sim of sims) {
        const tree = repo.git(
          'merge-tree',
          '--write-tree',
          sim.targetSha,
          sim.sourceSha,
        );
        expect(sim.treeSha).toBe(tree);
      }
      expect(repo.git('ls-tree', '-r', '--name-only', 'main', 'files')).toBe(
        'files/0.txt\nfiles/1.txt\nfiles/2.txt',
      );
      expect(repo.git('log', '-1', '--format=%s%n%an', 'main')).toBe(
        'Merge feature/2\nConverge Test',
      );
      expect(repo.git('fsck', '--strict', '--no-dangling')).toBe('');
    });

    it('merges disjoint changes without a git process per merge', async () => {
      // Prepare: a git wrapper that logs every process start.
      const log = join(repo.dir, '.git', 'starts.log');
      const wrapper = join(repo.dir, '.git', 'git-logged');
      writeFileSync(
        wrapper,
        `#!/bin/sh\necho "$*" >> '${log}'\nexec git "$@"\n`,
      );
      chmodSync(wrapper, 0o755);
      scm = new GitScm({ repoDir: repo.dir, gitBinary: wrapper });
      const sources = branches(5);
      const train = await open();
      writeFileSync(log, '');
      // Act
      await stageAll(train, sources);
      const staging = readFileSync(log, 'utf8').trim().split('\n');
      await train.publish();
      // Assess: cat-file, and `git var` / `git config` once for the identity
      const commands = staging.map((line) =>
        line.split(' ').find((w) => !w.startsWith('-') && !w.includes('/')),
      );
      expect(commands.sort()).toEqual(['cat-file', 'config', 'var', 'var']);
      expect(
        repo.git('ls-tree', '--name-only', 'main:files').split('\n'),
      ).toHaveLength(5);
    });

    it('refuses the swap when someone pushed to the target, and leaves it', async () => {
      // Prepare
      const sources = branches(2);
      const train = await open();
      await stageAll(train, sources);
      const pushed = repo.commit({ 'outside.txt': 'pushed\n' });
      // Act
      const publishing = train.publish();
      // Assess
      await expect(publishing).rejects.toBeInstanceOf(ConflictError);
      expect(repo.sha('main')).toBe(pushed);
      await expect(train.simulate('feature/0')).rejects.toBeInstanceOf(
        ConflictError,
      );
    });

    it('refuses a tree it did not simulate for the tip, and a stale tip', async () => {
      // Prepare
      const [source] = branches(1);
      const train = await open();
      const sim = await train.simulate(source ?? '');
      const input = {
        source: sim.sourceSha,
        target: 'main',
        expectedTargetSha: sim.targetSha,
        treeSha: repo.git('rev-parse', 'main^{tree}'),
        message: 'wrong tree',
      };
      // Act
      const wrongTree = train.stage(input);
      await expect(wrongTree).rejects.toThrow('source moved');
      const staleTip = train.stage({
        ...input,
        treeSha: sim.treeSha ?? '',
        expectedTargetSha: sim.sourceSha,
      });
      // Assess
      await expect(staleTip).rejects.toThrow('target moved');
      expect(train.tipSha).toBe(sim.targetSha);
    });

    it('writes a long train as one pack that git accepts', async () => {
      // Prepare
      const sources = branches(40);
      const packs = () =>
        readdirSync(join(repo.dir, '.git', 'objects', 'pack')).length;
      const before = packs();
      const train = await open();
      // Act
      await stageAll(train, sources);
      await train.publish();
      // Assess
      expect(packs()).toBe(before + 2);
      expect(
        repo.git('ls-tree', '--name-only', 'main:files').split('\n'),
      ).toHaveLength(40);
      expect(repo.git('fsck', '--strict', '--no-dangling')).toBe('');
    });

    it('writes the very commit `git commit-tree` writes', async () => {
      // Prepare: fixed dates make both commits comparable byte for byte.
      const dates = {
        GIT_AUTHOR_DATE: '1700000000 +0100',
        GIT_COMMITTER_DATE: '1700000000 +0100',
      };
      scm = new GitScm({
        repoDir: repo.dir,
        env: { ...process.env, ...dates },
        identity: { name: 'Merge Bot', email: 'bot@converge.local' },
      });
      const [source] = branches(1);
      const train = await open();
      const [sim] = await stageAll(train, [source ?? '']);
      await train.publish();
      // Act
      const expected = execFileSync(
        'git',
        [
          '-c',
          'user.name=Merge Bot',
          '-c',
          'user.email=bot@converge.local',
          'commit-tree',
          sim?.treeSha ?? '',
          '-p',
          sim?.targetSha ?? '',
          '-p',
          sim?.sourceSha ?? '',
          '-m',
          `Merge ${source}`,
        ],
        { cwd: repo.dir, env: { ...process.env, ...dates }, encoding: 'utf8' },
      ).trim();
      // Assess
      expect(repo.sha('main')).toBe(expected);
    });

    it('keeps commit-tree where the repository re-encodes commit messages', async () => {
      // Prepare
      repo.git('config', 'i18n.commitEncoding', 'ISO-8859-1');
      const [source] = branches(1);
      const train = await open();
      // Act
      await stageAll(train, [source ?? '']);
      await train.publish();
      // Assess
      expect(repo.git('cat-file', '-p', 'main')).toContain(
        'encoding ISO-8859-1',
      );
      expect(repo.git('fsck', '--strict', '--no-dangling')).toBe('');
    });
  });

  it('works in a SHA-256 repository', async () => {
    // Prepare
    repo.remove();
    repo = new TestRepo();
    rmSync(join(repo.dir, '.git'), { recursive: true, force: true });
    repo.git('init', '-q', '--object-format=sha256', '-b', 'main');
    repo.git('config', 'user.email', 'test@converge.local');
    repo.git('config', 'user.name', 'Converge Test');
    repo.commit({ 'a.txt': 'a\n' });
    repo.branch('feature', { 'b.txt': 'b\n' });
    repo.commit({ 'c.txt': 'c\n' });
    scm = new GitScm({ repoDir: repo.dir });
    const expected = await scm.simulateMerge('feature', 'main');
    const train = await open();
    // Act
    const sim = await train.simulate('feature');
    const { mergedSha } = await train.stage({
      source: sim.sourceSha,
      target: 'main',
      expectedTargetSha: sim.targetSha,
      treeSha: sim.treeSha ?? '',
      message: 'merge',
    });
    await train.publish();
    // Assess
    expect(sim).toEqual(expected);
    expect(mergedSha).toHaveLength(64);
    expect(repo.sha('main')).toBe(mergedSha);
    expect(repo.git('fsck', '--strict', '--no-dangling')).toBe('');
  });
});

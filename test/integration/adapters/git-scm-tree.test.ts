import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitScm } from '../../../shared/adapters/git/git-scm.js';
import {
  NotFoundError,
  ValidationError,
} from '../../../shared/domain/errors.js';
import { TestRepo } from '../../support/git-repo.js';

describe('GitScm.treeOf', () => {
  let repo: TestRepo;
  let scm: GitScm;
  beforeEach(() => {
    repo = new TestRepo();
    repo.commit({ 'a.txt': 'a\n' });
    scm = new GitScm({ repoDir: repo.dir });
  });
  afterEach(() => repo.remove());

  it('returns the tree of a commit', async () => {
    // Prepare
    const head = repo.sha('main');
    // Act
    const tree = await scm.treeOf(head);
    // Assess
    expect(tree).toBe(repo.git('rev-parse', 'main^{tree}'));
  });

  it('names an unknown commit and refuses what is not an object id', async () => {
    // Act / Assess
    await expect(scm.treeOf('0'.repeat(40))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(scm.treeOf('main')).rejects.toBeInstanceOf(ValidationError);
  });
});

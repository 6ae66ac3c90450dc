import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubChecks } from '../../../shared/adapters/github/github-checks.js';
import { NotFoundError } from '../../../shared/domain/errors.js';
import { FakeGitHub, type FakeRepo } from '../../support/fake-github.js';
import {
  closeAndCheckSpec,
  INSTALLATION_ID,
  testClient,
} from './github-harness.js';

describe('GitHubChecks', () => {
  let fake: FakeGitHub;
  let repo: FakeRepo;
  let checks: GitHubChecks;
  let head: string;

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    repo = fake.createRepo('acme/app');
    repo.branch('feature/x', repo.resolve('main') ?? '');
    head = repo.commitOn('feature/x', { 'a.ts': 'a' });
    checks = new GitHubChecks({
      client: testClient(fake),
      repo: 'acme/app',
      installationId: INSTALLATION_ID,
      names: { unit_tests: 'ci / test' },
    });
  });

  afterEach(async () => {
    await closeAndCheckSpec(fake);
  });

  it('reads check runs and statuses on the commit, one result per check in order', async () => {
    // Prepare
    repo.addCheckRun(head, {
      name: 'lint',
      status: 'completed',
      conclusion: 'success',
      started_at: '2030-01-01T00:00:00Z',
      completed_at: '2030-01-01T00:00:05Z',
    });
    repo.addCheckRun(head, {
      name: 'ci / test',
      status: 'completed',
      conclusion: 'failure',
    });
    repo.addStatus(head, {
      context: 'security_scan',
      state: 'success',
      description: 'clean',
    });
    repo.addStatus(head, { context: 'contract_tests', state: 'error' });

    // Act
    const results = await checks.run(
      ['lint', 'unit_tests', 'security_scan', 'contract_tests'],
      { sha: head },
    );

    // Assess
    expect(results.map((r) => [r.check, r.status])).toEqual([
      ['lint', 'passed'],
      ['unit_tests', 'failed'],
      ['security_scan', 'passed'],
      ['contract_tests', 'failed'],
    ]);
    expect(results[0]?.durationMs).toBe(5000);
    expect(results[2]?.details).toContain('clean');
  });

  it('reports checks still running or never reported as skipped with a pending detail', async () => {
    // Prepare
    repo.addCheckRun(head, { name: 'lint', status: 'in_progress' });
    repo.addStatus(head, { context: 'security_scan', state: 'pending' });

    // Act
    const results = await checks.run(
      ['lint', 'security_scan', 'integration_tests'],
      {
        sha: head,
      },
    );

    // Assess
    expect(results.map((r) => r.status)).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);
    for (const result of results) expect(result.details).toMatch(/^pending: /);
    expect(results[2]?.details).toContain('integration_tests');
  });

  it('uses the latest run of a re-run check and only the asked commit', async () => {
    // Prepare
    const other = repo.commitOn('feature/x', { 'b.ts': 'b' });
    repo.addCheckRun(head, {
      name: 'lint',
      status: 'completed',
      conclusion: 'failure',
    });
    repo.addCheckRun(head, {
      name: 'lint',
      status: 'completed',
      conclusion: 'success',
    });
    repo.addCheckRun(other, {
      name: 'lint',
      status: 'completed',
      conclusion: 'failure',
    });

    // Act
    const [onHead] = await checks.run(['lint'], { sha: head });
    const [onOther] = await checks.run(['lint'], { sha: other });

    // Assess
    expect(onHead?.status).toBe('passed');
    expect(onOther?.status).toBe('failed');
  });

  it('looks up a ref when no SHA is given, and says pending without either', async () => {
    // Prepare
    repo.addCheckRun(head, {
      name: 'lint',
      status: 'completed',
      conclusion: 'neutral',
    });

    // Act
    const [byRef] = await checks.run(['lint'], { ref: 'feature/x' });
    const [none] = await checks.run(['lint'], {});

    // Assess
    expect(byRef?.status).toBe('passed');
    expect(none).toEqual({
      check: 'lint',
      status: 'skipped',
      details: 'pending: no commit to look up',
      durationMs: 0,
    });
    await expect(
      checks.run(['lint'], { sha: 'f'.repeat(40) }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists the required checks of a protected branch, none for an unprotected one', async () => {
    // Prepare
    repo.protection.set('main', ['lint', 'ci / test']);

    // Act
    const required = await checks.requiredChecksOf('main');
    const unprotected = await checks.requiredChecksOf('feature/x');

    // Assess
    expect(required).toEqual(['ci / test', 'lint']);
    expect(unprotected).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubPublisher } from '../../../shared/adapters/github/github-publisher.js';
import {
  TransientError,
  ValidationError,
} from '../../../shared/domain/errors.js';
import type { DecisionToPublish } from '../../../shared/ports/publisher.js';
import { FakeGitHub, type FakeRepo } from '../../support/fake-github.js';
import {
  closeAndCheckSpec,
  INSTALLATION_ID,
  testClient,
} from './github-harness.js';

describe('GitHubPublisher', () => {
  let fake: FakeGitHub;
  let repo: FakeRepo;
  let publisher: GitHubPublisher;
  let head: string;

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    repo = fake.createRepo('acme/app');
    head = repo.commitOn('main', { 'a.ts': 'a' });
    publisher = new GitHubPublisher({ client: testClient(fake) });
  });

  afterEach(async () => {
    await closeAndCheckSpec(fake);
  });

  function decision(
    overrides: Partial<DecisionToPublish> = {},
  ): DecisionToPublish {
    return {
      repo: 'acme/app',
      installationId: INSTALLATION_ID,
      headSha: head,
      intentId: 'acme/app:pr-7',
      traceId: 'trace-0000000000000001',
      decision: 'blocked',
      reason: 'Checks failed: lint',
      reasons: ['Checks failed: lint', 'Risk gate: risk_score 81 > 70'],
      riskScore: 81.5,
      verdict: 'BLOCK',
      bombs: ['cascade', 'spread'],
      ...overrides,
    };
  }

  it('creates a check run and a commit status with the summary table', async () => {
    // Act
    const result = await publisher.publishDecision(decision());

    // Assess
    const [run] = repo.checkRuns;
    expect(result).toEqual({
      checkRunId: run?.id,
      statusContext: 'converge/gate',
    });
    expect(run).toMatchObject({
      name: 'Converge',
      head_sha: head,
      status: 'completed',
      conclusion: 'failure',
      external_id: 'acme/app:pr-7:trace-0000000000000001',
    });
    expect(run?.output.title).toBe('Converge: blocked (risk 81.5)');
    const summary = run?.output.summary ?? '';
    expect(summary).toContain('| Decision | **blocked** |');
    expect(summary).toContain('| Risk score | 81.5 |');
    expect(summary).toContain(
      '| Reasons | Checks failed: lint<br>Risk gate: risk_score 81 > 70 |',
    );
    expect(summary).toContain('| Bombs | cascade, spread |');
    expect(summary).toContain('| Trace id | `trace-0000000000000001` |');
    expect(repo.statuses).toEqual([
      expect.objectContaining({
        sha: head,
        context: 'converge/gate',
        state: 'failure',
        description: 'blocked: Checks failed: lint',
      }),
    ]);
  });

  it('updates its own check run when the same decision is published again', async () => {
    // Prepare
    const first = await publisher.publishDecision(
      decision({ decision: 'queued' }),
    );

    // Act
    const second = await publisher.publishDecision(
      decision({
        decision: 'validated',
        reason: 'All gates passed',
        reasons: [],
      }),
    );

    // Assess
    expect(second.checkRunId).toBe(first.checkRunId);
    expect(repo.checkRuns).toHaveLength(1);
    expect(repo.checkRuns[0]).toMatchObject({
      status: 'completed',
      conclusion: 'success',
    });
    expect(fake.count('POST', /\/check-runs$/)).toBe(1);
    expect(fake.count('PATCH', /\/check-runs\/\d+$/)).toBe(1);
    expect(repo.statuses.map((s) => s.state)).toEqual(['pending', 'success']);
  });

  it.each([
    ['validated', 'completed', 'success', 'success'],
    ['merged', 'completed', 'success', 'success'],
    ['rejected', 'completed', 'failure', 'failure'],
    ['merge_failed', 'completed', 'neutral', 'error'],
    ['queued', 'in_progress', null, 'pending'],
    ['pending', 'queued', null, 'pending'],
  ])(
    'shows %s as check %s/%s and status %s',
    async (word, status, conclusion, state) => {
      // Act
      await publisher.publishDecision(decision({ decision: word }));

      // Assess
      expect(repo.checkRuns[0]).toMatchObject({ status, conclusion });
      expect(repo.statuses[0]?.state).toBe(state);
    },
  );

  it('refuses a decision without an installation or with a malformed SHA', async () => {
    // Prepare
    const { installationId: _, ...noInstallation } = decision();

    // Act and Assess
    await expect(
      publisher.publishDecision(noInstallation),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      publisher.publishDecision(decision({ headSha: 'abc' })),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(fake.requests).toHaveLength(0);
  });

  it('falls back to the default installation', async () => {
    // Prepare
    const withDefault = new GitHubPublisher({
      client: testClient(fake),
      defaultInstallationId: 99,
    });
    const { installationId: _, ...noInstallation } = decision();

    // Act
    await withDefault.publishDecision(noInstallation);

    // Assess
    expect(fake.tokens.map((t) => t.installationId)).toEqual([99]);
  });

  it('fails with TransientError while GitHub answers 503', async () => {
    // Prepare
    fake.failNext(Number.POSITIVE_INFINITY, 503);

    // Act
    const publish = publisher.publishDecision(decision());

    // Assess
    await expect(publish).rejects.toBeInstanceOf(TransientError);
    expect(repo.checkRuns).toHaveLength(0);
  });
});

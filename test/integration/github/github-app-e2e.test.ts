import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventType } from '../../../shared/domain/event.js';
import { FakeGitHub, type FakeRepo } from '../../support/fake-github.js';
import { examplePayload } from '../webhooks/webhook-harness.js';
import { type GitHubAppStack, openGitHubAppStack } from './github-app-stack.js';
import { closeAndCheckSpec, INSTALLATION_ID, sleep } from './github-harness.js';

const REPO = 'Codertocat/Hello-World';

/** A real pull_request delivery for PR `n`, head `branch` at `sha`. */
function prPayload(
  action: 'opened' | 'synchronize' | 'closed',
  n: number,
  branch: string,
  sha: string,
  merged = false,
) {
  const payload = examplePayload('pull_request', action);
  payload.number = n;
  payload.pull_request.number = n;
  payload.pull_request.head.ref = branch;
  payload.pull_request.head.sha = sha;
  payload.pull_request.base.ref = 'master';
  payload.pull_request.merged = merged;
  if (payload.installation) payload.installation.id = INSTALLATION_ID;
  return payload;
}

describe('the GitHub App end to end, on the local GitHub-compatible server', () => {
  let fake: FakeGitHub;
  let repo: FakeRepo;
  let stack: GitHubAppStack;

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    repo = fake.createRepo(REPO, { 'README.md': '# Hello\n' });
    repo.branch('master', tip('main'));
    stack = await openGitHubAppStack(fake);
  });

  afterEach(async () => {
    await stack.close();
    // Every request Converge sent fits GitHub's OpenAPI description.
    await closeAndCheckSpec(fake);
  });

  /** The commit `ref` points at on the fake GitHub. */
  function tip(ref: string): string {
    const sha = repo.resolve(ref);
    if (sha === null) throw new Error(`no ref ${ref}`);
    return sha;
  }

  /** A branch off master adding `file`; returns its head SHA. */
  function pushBranch(branch: string, file: string): string {
    repo.branch(branch, tip('master'));
    return repo.commitOn(branch, { [file]: `${branch}\n` });
  }

  /**
   * CI finishes on `sha`: its check runs appear on GitHub and the
   * check_run.completed delivery reaches Converge, which advances the queue.
   */
  async function ciPasses(sha: string, deliveryId: string): Promise<void> {
    stack.clock.advance(1_000);
    for (const name of ['lint', 'test']) {
      repo.addCheckRun(sha, {
        name,
        status: 'completed',
        conclusion: 'success',
      });
    }
    const payload = examplePayload('check_run', 'completed');
    payload.check_run.head_sha = sha;
    payload.check_run.name = 'lint';
    payload.check_run.conclusion = 'success';
    payload.check_run.pull_requests = [];
    if (payload.installation) payload.installation.id = INSTALLATION_ID;
    const reply = await stack.deliver('check_run', payload, { deliveryId });
    expect(reply.status).toBe(202);
    await stack.drain();
  }

  /** Converge's own check runs on `sha`. */
  function convergeRuns(sha?: string) {
    return repo.checkRuns.filter(
      (r) => r.name === 'Converge' && (sha === undefined || r.head_sha === sha),
    );
  }

  async function eventsOf(intentId: string, type: EventType) {
    const page = await stack.store.events.query({ intentId, type });
    return page.items;
  }

  it('validates, publishes with the trace id, revalidates, merges by fast-forward and closes', async () => {
    // Prepare
    const intentId = `${REPO}:pr-2`;
    const head = pushBranch('changes', 'feature.txt');
    repo.commitOn('master', { 'other.txt': 'moved on\n' });

    // Act: opened
    const opened = await stack.deliver(
      'pull_request',
      prPayload('opened', 2, 'changes', head),
      { deliveryId: 'd-opened' },
    );
    await stack.drain();
    await ciPasses(head, 'ci-1');
    const beforeTick = convergeRuns(head).map((r) => r.external_id);
    const [validated] = await eventsOf(intentId, 'intent.validated');
    const published = await stack.tick();

    // Assess: intent validated, check run + status carry the trace id
    expect(opened.status).toBe(202);
    expect(validated).toBeDefined();
    const trace = validated?.traceId ?? '';
    // published right after the message that decided, not at the next tick
    expect(beforeTick).toContain(`${intentId}:${trace}`);
    const runs = convergeRuns(head);
    const first = runs.find((r) => r.external_id === `${intentId}:${trace}`);
    expect(first?.output.summary).toContain(trace);
    expect(first?.conclusion).toBe('success');
    const gate = repo.statuses.filter(
      (s) => s.sha === head && s.context === 'converge/gate',
    );
    expect(
      gate.map((s) => [s.state, s.description?.split(':')[0]]),
    ).toContainEqual(['success', 'validated']);
    expect(published.outbox?.retrying).toBe(0);

    // Act: synchronize (a new head)
    const head2 = repo.commitOn('changes', { 'second.txt': 'more\n' });
    const sync = await stack.deliver(
      'pull_request',
      prPayload('synchronize', 2, 'changes', head2),
      { deliveryId: 'd-sync' },
    );
    await stack.drain();
    await ciPasses(head2, 'ci-2');

    // Assess: revalidated on the new head
    expect(sync.status).toBe(202);
    const sims = await eventsOf(intentId, 'simulation.completed');
    expect(sims.map((e) => e.payload.source_sha)).toContain(head2);
    const tested = sims.find((e) => e.payload.source_sha === head2);
    const testedTree = tested?.payload.tree_sha;
    const before = repo.resolve('master');

    // Act: the queue merges
    stack.deps.env.CONVERGE_AUTO_MERGE = true;
    await stack.tick();

    // Assess: master fast-forwarded to the tested merge commit itself
    const intent = await stack.store.intents.get(intentId);
    expect(intent?.status).toBe('MERGED');
    const merged = repo.commits.get(tip('master'));
    expect(merged?.parents).toEqual([before, head2]);
    expect(merged?.tree).toBe(testedTree);
    expect(repo.resolve('converge/staging/master')).toBe(merged?.sha);
    expect(fake.count('POST', /\/git\/commits$/)).toBe(0);
    const decisions = convergeRuns(head2).map((r) => r.output.title);
    expect(decisions.some((t) => t?.includes('merged'))).toBe(true);

    // Act: GitHub reports the PR closed as merged; the delivery is replayed
    const closed = prPayload('closed', 2, 'changes', head2, true);
    await stack.deliver('pull_request', closed, { deliveryId: 'd-closed' });
    await stack.drain();
    const eventsBefore = await stack.store.events.count({ intentId });
    const replay = await stack.deliver('pull_request', closed, {
      deliveryId: 'd-closed',
    });
    const drained = await stack.drain();

    // Assess
    expect((await stack.store.intents.get(intentId))?.status).toBe('MERGED');
    expect(replay).toEqual({ status: 200, json: { duplicate: true } });
    expect(drained.handled).toBe(0);
    expect(await stack.store.events.count({ intentId })).toBe(eventsBefore);
  });

  it('rejects a PR closed unmerged, refuses a bad signature, and ignores a replay', async () => {
    // Prepare
    const intentId = `${REPO}:pr-3`;
    const head = pushBranch('topic', 'topic.txt');
    await stack.deliver('pull_request', prPayload('opened', 3, 'topic', head), {
      deliveryId: 'o-3',
    });
    await stack.drain();
    await ciPasses(head, 'ci-3');
    const closed = prPayload('closed', 3, 'topic', head, false);

    // Act
    const forged = await stack.deliver('pull_request', closed, {
      deliveryId: 'c-3',
      signature: `sha256=${'0'.repeat(64)}`,
    });
    const afterForged = await stack.drain();
    const statusAfterForged = (await stack.store.intents.get(intentId))?.status;
    const real = await stack.deliver('pull_request', closed, {
      deliveryId: 'c-3',
    });
    await stack.drain();
    const replay = await stack.deliver('pull_request', closed, {
      deliveryId: 'c-3',
    });

    // Assess
    expect(forged.status).toBe(401);
    expect(afterForged.handled).toBe(0);
    expect(['VALIDATED', 'QUEUED']).toContain(statusAfterForged);
    expect(real.status).toBe(202);
    expect((await stack.store.intents.get(intentId))?.status).toBe('REJECTED');
    expect(replay.json).toEqual({ duplicate: true });
    expect((await stack.drain()).handled).toBe(0);
  });

  it('publishes every decision once after GitHub comes back, with the queue intact', async () => {
    // Prepare: three PRs validated while GitHub is up
    const prs = [4, 5, 6];
    for (const n of prs) {
      const head = pushBranch(`b-${n}`, `f-${n}.txt`);
      await stack.deliver(
        'pull_request',
        prPayload('opened', n, `b-${n}`, head),
        {
          deliveryId: `o-${n}`,
        },
      );
      await stack.drain();
      await ciPasses(head, `ci-${n}`);
    }
    const statuses = async () =>
      Promise.all(
        prs.map(
          async (n) =>
            (await stack.store.intents.get(`${REPO}:pr-${n}`))?.status,
        ),
      );
    const validated = await statuses();

    // Act: GitHub is unreachable for several ticks, then comes back
    stack.deps.env.CONVERGE_AUTO_MERGE = true;
    await fake.down();
    const during: (Awaited<ReturnType<GitHubAppStack['tick']>> | Error)[] = [];
    for (let i = 0; i < 4; i += 1) {
      stack.clock.advance(120_000);
      during.push(await stack.tick().catch((error: Error) => error));
    }
    const whileDown = await statuses();
    await fake.up();
    await sleep(150);
    stack.clock.advance(3_600_000);
    await stack.tick();
    stack.clock.advance(3_600_000);
    await stack.tick();

    // Assess: nothing published during the outage, nothing lost after
    expect(validated.every((s) => s === 'VALIDATED' || s === 'QUEUED')).toBe(
      true,
    );
    expect(
      during.every(
        (r) => r instanceof Error || (r.outbox?.published ?? 0) === 0,
      ),
    ).toBe(true);
    expect(whileDown.every((s) => s === 'VALIDATED' || s === 'QUEUED')).toBe(
      true,
    );
    expect(await statuses()).toEqual(['MERGED', 'MERGED', 'MERGED']);
    expect(await stack.store.outbox.pending()).toEqual([]);
    const decided = await stack.store.events.query({
      type: 'github.decision_published',
    });
    // one check run per (intent, trace), updated by each decision of the trace
    const externalIds = convergeRuns().map((r) => r.external_id);
    expect(new Set(externalIds).size).toBe(externalIds.length);
    const runIds = new Set(decided.items.map((e) => e.payload.check_run_id));
    expect([...runIds].sort()).toEqual(
      convergeRuns()
        .map((r) => r.id)
        .sort(),
    );
    // one commit status per published decision: none lost, none twice
    expect(repo.statuses).toHaveLength(decided.items.length);
    expect(decided.items.length).toBeGreaterThanOrEqual(prs.length * 3);
    const titles = convergeRuns().map((r) => r.output.title ?? '');
    expect(titles.filter((t) => t.includes('merged'))).toHaveLength(prs.length);
  });
});

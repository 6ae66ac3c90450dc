import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConvergeEvent, EventType } from '../../../shared/domain/event.js';
import { buildEvent } from '../../../shared/domain/event.js';
import type { IntentStatus } from '../../../shared/domain/intent.js';
import {
  examplePayload,
  openWebhookStack,
  type WebhookStack,
} from './webhook-harness.js';

const REPO = 'Codertocat/Hello-World';
const PR = `${REPO}:pr-2`;
const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

/** The example push to `refs/heads/master` (the others are tag pushes). */
const branchPush = () =>
  examplePayload('push', undefined, (e) => e.ref === 'refs/heads/master');

describe('GitHub events keep intents in sync', () => {
  let stack: WebhookStack;

  beforeEach(async () => {
    stack = await openWebhookStack();
  });

  afterEach(async () => {
    await stack.close();
  });

  /** Delivers a payload and runs the github-event message it enqueued. */
  async function handle(name: string, payload: unknown) {
    const reply = await stack.deliver(name, payload);
    expect(reply.status).toBe(202);
    return stack.drain(['github-event']);
  }

  async function eventsOf(intentId: string, type: EventType) {
    const page = await stack.store.events.query({ intentId, type });
    return page.items;
  }

  /** Moves an intent straight in the store (test setup only). */
  async function setStatus(id: string, to: IntentStatus): Promise<void> {
    const intent = await stack.store.intents.get(id);
    if (!intent) throw new Error(`no intent ${id}`);
    const event: ConvergeEvent = buildEvent(
      { type: 'intent.status_changed', intentId: id },
      stack.deps.ids,
      stack.clock.nowIso(),
    );
    await stack.store.intents.transition({
      id,
      to,
      expectedVersion: intent.version,
      event,
      force: true,
    });
  }

  it('creates {owner/repo}:pr-{n} READY with its technical fields on opened, and asks for validation', async () => {
    // Act
    const sent = await handle(
      'pull_request',
      examplePayload('pull_request', 'opened'),
    );
    // Assess
    const intent = await stack.store.intents.get(PR);
    expect(intent).toMatchObject({
      status: 'READY',
      source: 'changes',
      target: 'master',
      tenantId: 'Codertocat',
      createdBy: 'github-webhook',
      originType: 'integration',
      semantic: {
        problem_statement: 'Update the README with new information.',
      },
      technical: {
        repo: REPO,
        pr_number: 2,
        installation_id: 1,
        head_sha: HEAD,
        initial_base_commit: HEAD,
        source_ref: 'changes',
        target_ref: 'master',
        webhook_event: 'pull_request.opened',
      },
    });
    expect(await eventsOf(PR, 'intent.created')).toHaveLength(1);
    expect(sent).toEqual([
      {
        groupId: `Codertocat:${REPO}:master`,
        message: {
          kind: 'validate-intent',
          intentId: PR,
          traceId: expect.stringMatching(/^trace-gh-delivery-/),
        },
      },
    ]);
  });

  it('marks an intent opened by a bot as an agent change', async () => {
    const payload = examplePayload('pull_request', 'opened');
    payload.sender.login = 'dependabot[bot]';
    payload.sender.type = 'Bot';
    await handle('pull_request', payload);
    expect((await stack.store.intents.get(PR))?.originType).toBe('agent');
  });

  it('requeues a VALIDATED intent to READY on synchronize, with the new head', async () => {
    await handle('pull_request', examplePayload('pull_request', 'opened'));
    await setStatus(PR, 'VALIDATED');
    const sync = examplePayload('pull_request', 'synchronize');
    sync.pull_request.head.sha = 'f'.repeat(40);
    const sent = await handle('pull_request', sync);
    const intent = await stack.store.intents.get(PR);
    expect(intent?.status).toBe('READY');
    expect(intent?.technical).toMatchObject({
      head_sha: 'f'.repeat(40),
      initial_base_commit: 'f'.repeat(40),
      webhook_event: 'pull_request.synchronize',
    });
    const [requeued] = await eventsOf(PR, 'intent.requeued');
    expect(requeued?.payload).toMatchObject({ trigger: 'push' });
    expect(sent.map((t) => t.message.kind)).toEqual(['validate-intent']);
  });

  it('marks the intent MERGED when the PR is closed merged', async () => {
    await handle('pull_request', examplePayload('pull_request', 'opened'));
    const closed = examplePayload('pull_request', 'closed');
    closed.pull_request.merged = true;
    closed.pull_request.merge_commit_sha = 'a'.repeat(40);
    await handle('pull_request', closed);
    expect((await stack.store.intents.get(PR))?.status).toBe('MERGED');
    const [merged] = await eventsOf(PR, 'intent.merged');
    expect(merged?.payload).toMatchObject({
      trigger: 'github_pr_closed',
      merged_commit: 'a'.repeat(40),
    });
  });

  it('marks the intent REJECTED when the PR is closed unmerged, and READY again on reopen', async () => {
    await handle('pull_request', examplePayload('pull_request', 'opened'));
    const closed = examplePayload('pull_request', 'closed');
    closed.pull_request.merged = false;
    await handle('pull_request', closed);
    expect((await stack.store.intents.get(PR))?.status).toBe('REJECTED');
    const [rejected] = await eventsOf(PR, 'intent.rejected');
    expect(rejected?.payload).toMatchObject({ trigger: 'github_pr_closed' });
    const sent = await handle(
      'pull_request',
      examplePayload('pull_request', 'reopened'),
    );
    const reopened = await stack.store.intents.get(PR);
    expect(reopened).toMatchObject({ status: 'READY', retries: 0 });
    expect(sent.map((t) => t.message.kind)).toEqual(['validate-intent']);
  });

  it('keeps two repositories with the same PR number apart', async () => {
    // Prepare
    const other = examplePayload('pull_request', 'opened');
    other.repository.full_name = 'Octocat/Other';
    other.repository.owner.login = 'Octocat';
    // Act
    await handle('pull_request', examplePayload('pull_request', 'opened'));
    await handle('pull_request', other);
    const closed = examplePayload('pull_request', 'closed');
    closed.pull_request.merged = false;
    await handle('pull_request', closed);
    // Assess
    expect((await stack.store.intents.get(PR))?.status).toBe('REJECTED');
    expect(await stack.store.intents.get('Octocat/Other:pr-2')).toMatchObject({
      status: 'READY',
      tenantId: 'Octocat',
      technical: { repo: 'Octocat/Other', pr_number: 2 },
    });
  });

  it('requeues only the pushed repository intents whose source is the branch', async () => {
    // Prepare: the same branch name in two repositories of one owner
    const sibling = examplePayload('pull_request', 'opened');
    sibling.repository.full_name = 'Codertocat/Sibling';
    await handle('pull_request', examplePayload('pull_request', 'opened'));
    await handle('pull_request', sibling);
    await setStatus(PR, 'VALIDATED');
    await setStatus('Codertocat/Sibling:pr-2', 'VALIDATED');
    const push = branchPush();
    push.ref = 'refs/heads/changes';
    push.after = 'b'.repeat(40);
    // Act
    const sent = await handle('push', push);
    // Assess
    const pushed = await stack.store.intents.get(PR);
    expect(pushed?.status).toBe('READY');
    expect(pushed?.technical.initial_base_commit).toBe('b'.repeat(40));
    const [requeued] = await eventsOf(PR, 'intent.requeued');
    expect(requeued?.payload).toMatchObject({ trigger: 'push_revalidation' });
    const untouched = await stack.store.intents.get('Codertocat/Sibling:pr-2');
    expect(untouched?.status).toBe('VALIDATED');
    expect(sent).toEqual([
      {
        groupId: `Codertocat:${REPO}:master`,
        message: {
          kind: 'process-branch',
          tenantId: 'Codertocat',
          repo: REPO,
          target: 'master',
        },
      },
    ]);
  });

  it('asks the queue to work a target branch that was pushed', async () => {
    await handle('pull_request', examplePayload('pull_request', 'opened'));
    const sent = await handle('push', branchPush());
    expect(sent.map((t) => t.message)).toEqual([
      {
        kind: 'process-branch',
        tenantId: 'Codertocat',
        repo: REPO,
        target: 'master',
      },
    ]);
    expect((await stack.store.intents.get(PR))?.status).toBe('READY');
  });

  it('creates {repo}:mg-{sha12} on merge_group checks_requested and rejects it when destroyed', async () => {
    // Prepare
    const requested = examplePayload('merge_group', 'checks_requested');
    const id = 'octo-org/octo-repo:mg-2ffea6db159f';
    // Act
    const sent = await handle('merge_group', requested);
    // Assess
    expect(await stack.store.intents.get(id)).toMatchObject({
      status: 'READY',
      source:
        'gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64',
      target: 'main',
      createdBy: 'github-merge-queue',
      technical: { installation_id: 1, repo: 'octo-org/octo-repo' },
    });
    expect(await eventsOf(id, 'merge_group.checks_requested')).toHaveLength(1);
    expect(sent.map((t) => t.message.kind)).toEqual(['validate-intent']);
    const destroyed = { ...requested, action: 'destroyed', reason: 'dequeued' };
    await handle('merge_group', destroyed);
    expect((await stack.store.intents.get(id))?.status).toBe('REJECTED');
    const [gone] = await eventsOf(id, 'merge_group.destroyed');
    expect(gone?.payload).toMatchObject({ reason: 'dequeued' });
  });

  it('ignores an incomplete payload without failing the message', async () => {
    const incomplete = {
      ...examplePayload('merge_group', 'checks_requested'),
      merge_group: { head_ref: 'refs/heads/x' },
    };
    const sent = await handle('merge_group', incomplete);
    expect(sent).toEqual([]);
    expect((await stack.store.intents.list()).items).toEqual([]);
    expect(await stack.bus.deadLetters()).toEqual([]);
    expect(await stack.store.events.count({ type: 'webhook.received' })).toBe(
      1,
    );
  });

  it('records a completed check run on its intent and asks the queue to react', async () => {
    await handle('pull_request', examplePayload('pull_request', 'opened'));
    const sent = await handle(
      'check_run',
      examplePayload('check_run', 'completed'),
    );
    const [check] = await eventsOf(PR, 'check.completed');
    expect(check?.payload).toMatchObject({
      sha: HEAD,
      name: 'Octocoders-linter',
      conclusion: expect.any(String),
    });
    expect(sent.map((t) => t.message.kind)).toEqual(['process-branch']);
  });

  it('records a commit status on the intent whose head it is', async () => {
    await handle('pull_request', examplePayload('pull_request', 'opened'));
    const status = examplePayload('status');
    status.sha = HEAD;
    await handle('status', status);
    const [check] = await eventsOf(PR, 'check.completed');
    expect(check?.payload).toMatchObject({
      sha: HEAD,
      name: 'default',
      conclusion: 'success',
      source: 'status',
    });
  });

  it('records installation changes as github.installation_updated', async () => {
    await handle('installation', examplePayload('installation', 'created'));
    const page = await stack.store.events.query({
      type: 'github.installation_updated',
    });
    expect(page.items[0]?.payload).toMatchObject({
      event: 'installation',
      action: 'created',
      installation_id: expect.any(Number),
    });
  });
});

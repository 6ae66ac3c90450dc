import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubClient } from '../../../shared/adapters/github/github-client.js';
import { GitHubPublisher } from '../../../shared/adapters/github/github-publisher.js';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import { decisionOutbox } from '../../../shared/domain/engine/validate-intent.js';
import type { EventType } from '../../../shared/domain/event.js';
import type { JsonObject } from '../../../shared/domain/intent.js';
import {
  OUTBOX_LOCK,
  outboxBackoffMs,
  type PublishOutboxDeps,
  publishPending,
} from '../../../shared/domain/outbox/publish-outbox.js';
import { FakeGitHub, type FakeRepo } from '../../support/fake-github.js';
import { anIntent, SequentialIds } from '../../support/fixtures.js';
import { TestClock } from '../../support/test-clock.js';
import {
  closeAndCheckSpec,
  INSTALLATION_ID,
  sleep,
  testClient,
} from './github-harness.js';

const CHECK_RUNS = /\/check-runs$/;
const STATUSES = /\/statuses\/[0-9a-f]+$/;

describe('publishPending', () => {
  let fake: FakeGitHub;
  let repo: FakeRepo;
  let head: string;
  let clock: TestClock;
  let store: SqliteStore;
  let client: GitHubClient;
  let deps: PublishOutboxDeps;
  let ids: SequentialIds;

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    repo = fake.createRepo('acme/app');
    head = repo.commitOn('main', { 'a.ts': 'a' });
    clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
    client = testClient(fake);
    ids = new SequentialIds(1000);
    deps = {
      store,
      publisher: new GitHubPublisher({ client }),
      clock,
      ids,
    };
  });

  afterEach(async () => {
    await store.close();
    await closeAndCheckSpec(fake);
  });

  /** A GitHub intent and one decision entry, as the engine writes them. */
  async function enqueueDecision(
    n: number,
    payload: JsonObject = {},
    technical: JsonObject = {},
  ): Promise<string> {
    const intent = anIntent({
      id: `acme/app:pr-${n}`,
      technical: {
        repo: 'acme/app',
        pr_number: n,
        installation_id: String(INSTALLATION_ID),
        head_sha: head,
        ...technical,
      },
    });
    if (!(await store.intents.get(intent.id)))
      await store.intents.create(intent);
    const entry = decisionOutbox(
      { ids },
      intent,
      {
        decision: 'validated',
        reason: 'All gates passed',
        risk_score: 12,
        ...payload,
      },
      `trace-${String(n).padStart(16, '0')}`,
    );
    if (!entry) throw new Error('not a GitHub intent');
    await store.outbox.enqueue(entry);
    return entry.id;
  }

  async function eventsOf(type: EventType) {
    return (await store.events.query({ type })).items;
  }

  it('publishes each due decision once and records it', async () => {
    // Prepare
    const id = await enqueueDecision(1);

    // Act
    const first = await publishPending(deps, { limit: 10, maxAttempts: 3 });
    const second = await publishPending(deps, { limit: 10, maxAttempts: 3 });

    // Assess
    expect(first.published).toEqual([id]);
    expect(second.published).toEqual([]);
    expect((await store.outbox.get(id))?.doneAt).toBe(clock.nowIso());
    expect(repo.checkRuns).toHaveLength(1);
    expect(repo.checkRuns[0]?.external_id).toBe(
      'acme/app:pr-1:trace-0000000000000001',
    );
    const [event] = await eventsOf('github.decision_published');
    expect(event).toMatchObject({
      intentId: 'acme/app:pr-1',
      traceId: 'trace-0000000000000001',
      payload: {
        outbox_id: id,
        decision: 'validated',
        check_run_id: repo.checkRuns[0]?.id,
        status_context: 'converge/gate',
        attempts: 1,
      },
    });
  });

  it('keeps decisions pending with backoff while GitHub is down, then publishes all exactly once', async () => {
    // Prepare: five decisions, GitHub answering 503 to everything.
    const entryIds: string[] = [];
    for (let n = 1; n <= 5; n += 1) entryIds.push(await enqueueDecision(n));
    fake.failNext(Number.POSITIVE_INFINITY, 503);

    // Act: the first run fails every entry; the breaker opens on the fifth.
    const down = await publishPending(deps, { limit: 10, maxAttempts: 3 });

    // Assess
    expect(down.retrying).toEqual(entryIds);
    expect(client.circuitState).toBe('open');
    for (const id of entryIds) {
      const entry = await store.outbox.get(id);
      expect(entry?.doneAt).toBeNull();
      expect(entry?.attempts).toBe(1);
      expect(entry?.lastError).toMatch(/^transient: GitHub .*503/);
      const delay = Date.parse(entry?.nextAttemptAt ?? '') - clock.now();
      expect(delay).toBeGreaterThanOrEqual(2_500);
      expect(delay).toBeLessThanOrEqual(5_000);
    }
    expect(await eventsOf('github.decision_publish_failed')).toHaveLength(5);

    // Act: nothing is due before the backoff ends.
    const early = await publishPending(deps);

    // Assess
    expect(early.retrying).toEqual([]);

    // Act: due again while the circuit is open: no request leaves.
    clock.advance(5_000);
    const sent = fake.requests.length;
    const open = await publishPending(deps, { limit: 10, maxAttempts: 3 });

    // Assess
    expect(open.retrying).toEqual(entryIds);
    expect(fake.requests.length).toBe(sent);
    const second = await store.outbox.get(entryIds[0] ?? '');
    expect(second?.attempts).toBe(2);
    expect(second?.lastError).toMatch(/circuit open/);

    // Act: GitHub recovers; the breaker half-opens and closes.
    fake.clearFaults();
    await sleep(120);
    clock.advance(15 * 60_000);
    const recovered = await publishPending(deps, { limit: 10, maxAttempts: 3 });

    // Assess: all published, exactly once, none lost.
    expect(recovered.published).toEqual(entryIds);
    expect(client.circuitState).toBe('closed');
    expect(fake.count('POST', CHECK_RUNS, true)).toBe(5);
    expect(fake.count('POST', STATUSES, true)).toBe(5);
    expect(repo.checkRuns).toHaveLength(5);
    expect(await store.outbox.pending()).toEqual([]);
    expect(await eventsOf('github.decision_published')).toHaveLength(5);
  });

  it('does not duplicate the check run when a retry follows a partial publication', async () => {
    // Prepare: the check run is created, then the status call fails.
    const id = await enqueueDecision(1);
    fake.failNext(Number.POSITIVE_INFINITY, 503, { match: STATUSES });
    const failed = await publishPending(deps, { maxAttempts: 3 });
    fake.clearFaults();
    clock.advance(60_000);

    // Act
    const retried = await publishPending(deps, { maxAttempts: 3 });

    // Assess
    expect(failed.retrying).toEqual([id]);
    expect(retried.published).toEqual([id]);
    expect(repo.checkRuns).toHaveLength(1);
    expect(fake.count('POST', CHECK_RUNS)).toBe(1);
    expect(fake.count('PATCH', /\/check-runs\/\d+$/)).toBe(1);
    expect(repo.statuses).toHaveLength(1);
  });

  it('waits for GitHub to come back when it refuses connections', async () => {
    // Prepare
    const id = await enqueueDecision(1);
    await fake.down();

    // Act
    const whileDown = await publishPending(deps);
    await fake.up();
    clock.advance(60_000);
    const afterUp = await publishPending(deps);

    // Assess
    expect(whileDown.retrying).toEqual([id]);
    expect(afterUp.published).toEqual([id]);
  });

  it('dead-letters a permanently failing decision after maxAttempts', async () => {
    // Prepare: the repository does not exist on GitHub (404).
    const id = await enqueueDecision(1, {}, { repo: 'acme/gone' });

    // Act
    const first = await publishPending(deps, { maxAttempts: 2 });
    clock.advance(60_000);
    const second = await publishPending(deps, { maxAttempts: 2 });
    clock.advance(60_000);
    const third = await publishPending(deps, { maxAttempts: 2 });

    // Assess
    expect(first.retrying).toEqual([id]);
    expect(second.deadLettered).toEqual([id]);
    expect(third).toMatchObject({
      published: [],
      retrying: [],
      deadLettered: [],
    });
    const entry = await store.outbox.get(id);
    expect(entry?.doneAt).not.toBeNull();
    expect(entry?.attempts).toBe(2);
    expect(entry?.lastError).toMatch(/^not_found: /);
    const failures = await eventsOf('github.decision_publish_failed');
    expect(failures.map((e) => e.payload.dead_lettered)).toEqual([true, false]);
  });

  it('dead-letters an entry whose intent or head commit cannot be resolved', async () => {
    // Prepare
    const noHead = await enqueueDecision(1, {}, { head_sha: null });
    await store.outbox.enqueue({
      id: 'decision-orphan',
      kind: 'github.decision',
      tenantId: null,
      payload: { intent_id: 'acme/app:pr-404', decision: 'blocked' },
    });

    // Act
    const run = await publishPending(deps, { maxAttempts: 1 });

    // Assess
    expect(run.deadLettered.sort()).toEqual(['decision-orphan', noHead].sort());
    expect((await store.outbox.get(noHead))?.lastError).toMatch(
      /^validation_failed: /,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('holds later decisions of an intent behind its failed earlier one', async () => {
    // Prepare: the first decision names a commit GitHub does not have.
    const stale = await enqueueDecision(1, { source_sha: 'e'.repeat(40) });
    const later = await enqueueDecision(1, { decision: 'merged' });
    const other = await enqueueDecision(2);

    // Act
    const run = await publishPending(deps, { maxAttempts: 5 });

    // Assess
    expect(run).toMatchObject({
      retrying: [stale],
      deferred: [later],
      published: [other],
    });
    const [s, l] = [
      await store.outbox.get(stale),
      await store.outbox.get(later),
    ];
    expect(l?.nextAttemptAt).toBe(s?.nextAttemptAt);
    expect(l?.doneAt).toBeNull();
  });

  it('leaves other kinds alone and does nothing while another run holds the lock', async () => {
    // Prepare
    await store.outbox.enqueue({
      id: 'mail-1',
      kind: 'email',
      tenantId: null,
      payload: {},
    });
    await enqueueDecision(1);
    await store.locks.acquire(OUTBOX_LOCK, 'someone-else', 60_000);

    // Act
    const busy = await publishPending(deps);
    await store.locks.release(OUTBOX_LOCK, 'someone-else');
    const run = await publishPending(deps);

    // Assess
    expect(busy.busy).toBe(true);
    expect(run.skipped).toEqual(['mail-1']);
    expect(run.published).toHaveLength(1);
    expect((await store.outbox.get('mail-1'))?.attempts).toBe(0);
    expect(await store.locks.info(OUTBOX_LOCK)).toBeNull();
  });
});

describe('outboxBackoffMs', () => {
  it('doubles from the base, caps at the maximum and jitters the upper half', () => {
    expect(outboxBackoffMs(1, 0, 5_000, 900_000)).toBe(2_500);
    expect(outboxBackoffMs(1, 1, 5_000, 900_000)).toBe(5_000);
    expect(outboxBackoffMs(3, 0.5, 5_000, 900_000)).toBe(15_000);
    expect(outboxBackoffMs(30, 1, 5_000, 900_000)).toBe(900_000);
  });
});

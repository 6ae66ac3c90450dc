import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/scheduler.js';
import { MemoryBus } from '../../shared/adapters/memory-bus/memory-bus.js';
import { SqliteStore } from '../../shared/adapters/sqlite/sqlite-store.js';
import { parseEnv } from '../../shared/config/env.js';
import { decisionOutbox } from '../../shared/domain/engine/validate-intent.js';
import type { Intent } from '../../shared/domain/intent.js';
import type {
  DecisionToPublish,
  Publisher,
} from '../../shared/ports/publisher.js';
import { createDeps } from '../../shared/runtime/create-deps.js';
import { type Deps, setDeps } from '../../shared/runtime/deps.js';
import { scrapeMetrics } from '../../shared/runtime/metrics-exposition.js';
import { anEvent, anIntent, SequentialIds } from '../support/fixtures.js';
import { TestRepo } from '../support/git-repo.js';
import { TestClock } from '../support/test-clock.js';

const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'converge-scheduler',
  functionVersion: '$LATEST',
  invokedFunctionArn:
    'arn:aws:lambda:us-east-1:123456789012:function:converge-scheduler',
  memoryLimitInMB: '512',
  awsRequestId: 'aws-req-sched',
  logGroupName: '/aws/lambda/converge-scheduler',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

const DAY_MS = 86_400_000;

/** A publisher that records what it was asked to show. */
class RecordingPublisher implements Publisher {
  readonly published: DecisionToPublish[] = [];
  async publishDecision(input: DecisionToPublish) {
    this.published.push(input);
    return { statusContext: 'converge/gate' };
  }
}

describe('scheduler (EventBridge tasks)', () => {
  let repo: TestRepo;
  let clock: TestClock;
  let store: SqliteStore;
  let deps: Deps;

  async function open(overrides: Partial<Deps> = {}): Promise<void> {
    const env = parseEnv({
      CONVERGE_REPO_DIR: repo.dir,
      CONVERGE_DB_PATH: ':memory:',
      CONVERGE_SKIP_CHECKS: 'true',
    });
    deps = await createDeps(env, {
      clock,
      store,
      ids: new SequentialIds(),
      ...overrides,
    });
    setDeps(deps);
  }

  async function addIntent(input: Partial<Intent>): Promise<Intent> {
    clock.advance(1000);
    return store.intents.create(
      anIntent({ createdAt: clock.nowIso(), ...input }),
    );
  }

  beforeEach(async () => {
    repo = new TestRepo();
    repo.commit({ 'README.md': '# demo\n' }, 'initial');
    clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
    await open();
  });
  afterEach(async () => {
    await store.close();
    repo.remove();
  });

  it('queue-tick on SQS fans out one process-branch message per branch, once a minute', async () => {
    // Prepare
    const bus = new MemoryBus({ clock });
    await open({ bus });
    deps.env = { ...deps.env, CONVERGE_BUS: 'sqs' };
    await addIntent({
      id: 'a-1',
      tenantId: 'acme',
      technical: { repo: 'acme/api' },
    });
    await addIntent({
      id: 'a-2',
      tenantId: 'acme',
      technical: { repo: 'acme/api' },
    });
    await addIntent({
      id: 'g-1',
      tenantId: 'globex',
      technical: { repo: 'globex/web' },
    });
    // Act
    const report = await handler({ task: 'queue-tick' }, context);
    await handler({ task: 'queue-tick' }, context);
    // Assess
    expect(report).toMatchObject({ task: 'queue-tick', branches: 2 });
    const received = await bus.receive(10);
    expect(received.map((m) => m.groupId).sort()).toEqual([
      'acme:acme/api:main',
      'globex:globex/web:main',
    ]);
    expect((await store.intents.get('a-1'))?.status).toBe('READY');
  });

  it('queue-tick on SQS also publishes the due outbox entries (retries included)', async () => {
    // Prepare: a decision stored by the queue processor, not yet published
    const publisher = new RecordingPublisher();
    const bus = new MemoryBus({ clock });
    await open({ bus, publisher });
    deps.env = { ...deps.env, CONVERGE_BUS: 'sqs' };
    const intent = await addIntent({
      id: 'acme/app:pr-7',
      technical: {
        repo: 'acme/app',
        installation_id: 42,
        head_sha: 'f'.repeat(40),
      },
    });
    const entry = decisionOutbox(
      deps,
      intent,
      { decision: 'validated', reason: 'All gates passed', risk_score: 3 },
      'a'.repeat(32),
    );
    if (!entry) throw new Error('a GitHub intent has an outbox entry');
    await store.outbox.enqueue(entry);
    // Act
    const report = await handler({ task: 'queue-tick' }, context);
    // Assess
    expect(report).toMatchObject({ outbox: { published: 1, retrying: 0 } });
    expect(publisher.published.map((d) => d.decision)).toEqual(['validated']);
    expect(await store.outbox.pending()).toEqual([]);
  });

  it('rejects an unknown task without touching the store', async () => {
    // Act / Assess
    await expect(handler({ task: 'vacuum' }, context)).rejects.toThrow(
      'Invalid scheduled event',
    );
    expect(await store.events.count()).toBe(0);
  });

  it('health-snapshot records one snapshot for all tenants and one per tenant with intents', async () => {
    // Prepare
    await addIntent({ id: 'a-1', tenantId: 'acme' });
    await addIntent({ id: 'g-1', tenantId: 'globex' });
    await addIntent({ id: 'a-2', tenantId: 'acme' });
    // Act
    const report = await handler({ task: 'health-snapshot' }, context);
    // Assess
    expect(report).toEqual({
      task: 'health-snapshot',
      tenants: [null, 'acme', 'globex'],
    });
    const page = await store.events.query({ type: 'health.snapshot' });
    expect(page.items.map((e) => e.tenantId).sort()).toEqual([
      'acme',
      'globex',
      null,
    ]);
  });

  it('retention prunes events older than CONVERGE_RETENTION_DAYS (90) and keeps the rest', async () => {
    // Prepare
    const now = clock.now();
    const at = (days: number) => new Date(now - days * DAY_MS).toISOString();
    await store.events.append(anEvent({ id: 'old', timestamp: at(91) }));
    await store.events.append(anEvent({ id: 'recent', timestamp: at(89) }));
    // Act
    const report = await handler({ task: 'retention' }, context);
    // Assess
    expect(report).toEqual({ task: 'retention', before: at(90), pruned: 1 });
    const left = await store.events.query();
    expect(left.items.map((e) => e.id)).toEqual(['recent']);
  });

  it('queue-tick validates and merges a READY intent in the git repository', async () => {
    // Prepare
    repo.branch('feature/a', { 'a.py': 'print(1)\n' });
    await addIntent({
      id: 'i-1',
      source: 'feature/a',
      status: 'READY',
      technical: {},
    });
    // Act
    const report = await handler({ task: 'queue-tick' }, context);
    // Assess
    expect(report).toMatchObject({
      task: 'queue-tick',
      branches: 1,
      busy: 0,
      decisions: [{ intentId: 'i-1', decision: 'merged' }],
      outbox: null,
    });
    expect((await store.intents.get('i-1'))?.status).toBe('MERGED');
    expect(repo.git('log', '-1', '--format=%s', 'main')).toContain('i-1');
    const text = scrapeMetrics(deps);
    expect(text).toContain('converge_intents_validated_total 1');
    expect(text).toContain('converge_intents_merged_total 1');
    expect(text).toContain('converge_queue_depth 1');
  });

  it('queue-tick publishes the decision outbox when a publisher is wired', async () => {
    // Prepare
    const publisher = new RecordingPublisher();
    await open({ publisher });
    const head = repo.branch('feature/a', { 'a.py': 'print(1)\n' });
    await addIntent({
      id: 'acme/app:pr-1',
      source: 'feature/a',
      status: 'READY',
      technical: { repo: 'acme/app', installation_id: 42, head_sha: head },
    });
    // Act
    const report = await handler({ task: 'queue-tick' }, context);
    // Assess
    expect(report).toMatchObject({
      decisions: [{ intentId: 'acme/app:pr-1', decision: 'merged' }],
      outbox: { retrying: 0, deadLettered: 0, busy: false },
    });
    expect(publisher.published.map((d) => d.decision)).toEqual([
      'validated',
      'queued',
      'merged',
    ]);
    expect(publisher.published[0]).toMatchObject({
      repo: 'acme/app',
      installationId: 42,
      headSha: head,
    });
    expect(await store.outbox.pending()).toEqual([]);
  });
});

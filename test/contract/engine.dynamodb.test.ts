import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  afterAll,
  afterEach,
  beforeEach,
  describe,
  expect,
  inject,
  it,
  vi,
} from 'vitest';
import { queueProcessorHandler } from '../../functions/queue-processor.js';
import { DynamoDbStore } from '../../shared/adapters/dynamodb/dynamodb-store.js';
import { GitScm } from '../../shared/adapters/git/git-scm.js';
import { MakeChecks } from '../../shared/adapters/make/make-checks.js';
import { parseEnv } from '../../shared/config/env.js';
import { processQueue } from '../../shared/domain/engine/process-queue.js';
import { validateIntent } from '../../shared/domain/engine/validate-intent.js';
import type { EventType } from '../../shared/domain/event.js';
import { type Intent, newIntent } from '../../shared/domain/intent.js';
import { DEFAULT_POLICY_CONFIG } from '../../shared/domain/policy/index.js';
import type { Deps } from '../../shared/runtime/deps.js';
import {
  createTestTable,
  deleteTestTable,
  localClient,
} from '../support/dynamodb-local.js';
import { SequentialIds } from '../support/fixtures.js';
import { TestRepo } from '../support/git-repo.js';
import { TestClock } from '../support/test-clock.js';

const client = localClient(inject('dynamodbEndpoint'));
afterAll(() => client.destroy());
const PASSING_MAKEFILE = 'lint:\n\t@true\ntest:\n\t@true\n';
const run = { tenantId: null, target: 'main', holder: 'worker-1' };

/** The SQS FIFO event of events/, as the Lambda event source delivers it. */
const fixture = JSON.parse(
  readFileSync(
    new URL('../../events/sqs-fifo-validate-intent.json', import.meta.url),
    'utf8',
  ),
) as SQSEvent;

function recordOf(overrides: Partial<SQSRecord>): SQSRecord {
  const [base] = fixture.Records;
  if (base === undefined) throw new Error('fixture has no record');
  return { ...base, ...overrides };
}

const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'converge-queue-processor',
  functionVersion: '$LATEST',
  invokedFunctionArn:
    'arn:aws:lambda:us-east-1:123456789012:function:converge-queue-processor',
  memoryLimitInMB: '512',
  awsRequestId: 'aws-req-ddb',
  logGroupName: '/aws/lambda/converge-queue-processor',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

describe('engine on DynamoDB Local with a real git repository', () => {
  let repo: TestRepo;
  let clock: TestClock;
  let store: DynamoDbStore;
  let tableName: string;
  let deps: Deps;

  beforeEach(async () => {
    repo = new TestRepo();
    repo.commit(
      {
        'README.md': '# demo\n',
        'shared.py': 'base\n',
        Makefile: PASSING_MAKEFILE,
      },
      'initial',
    );
    clock = new TestClock();
    tableName = await createTestTable(client);
    store = new DynamoDbStore({
      client,
      tableName,
      clock,
      retryBaseDelayMs: 5,
    });
    deps = {
      env: parseEnv({
        CONVERGE_DB_BACKEND: 'dynamodb',
        TABLE_NAME: tableName,
        CONVERGE_REPO_DIR: repo.dir,
        CONVERGE_SKIP_CHECKS: '1',
      }),
      store,
      clock,
      ids: new SequentialIds(),
      scm: new GitScm({ repoDir: repo.dir }),
      checks: new MakeChecks({ cwd: repo.dir, timeoutMs: 20_000 }),
      policy: DEFAULT_POLICY_CONFIG,
    };
  });

  afterEach(async () => {
    await store.close();
    await deleteTestTable(client, tableName);
    repo.remove();
  });

  async function addIntent(
    input: Partial<Intent> & { id: string; source: string },
  ): Promise<Intent> {
    clock.advance(1000);
    const intent = {
      ...newIntent(input, clock.nowIso()),
      ...input,
      version: 1,
    };
    return store.intents.create(intent);
  }

  async function treeOf(intentId: string, type: EventType): Promise<unknown> {
    const page = await store.events.query({ intentId, type });
    return page.items[0]?.payload.tree_sha;
  }

  it('validates, queues and merges exactly the tested tree', async () => {
    // Prepare
    repo.branch('feature/a', { 'a.py': 'print(1)\n' });
    await addIntent({ id: 'A', source: 'feature/a' });
    // Act
    const outcome = await validateIntent(deps, 'A');
    const result = await processQueue(deps, { ...run, autoConfirm: true });
    // Assess
    expect(outcome.decision).toBe('validated');
    expect(result.decisions).toMatchObject([
      { intentId: 'A', decision: 'merged' },
    ]);
    expect((await store.intents.get('A'))?.status).toBe('MERGED');
    const tested = await treeOf('A', 'intent.validated');
    expect(await treeOf('A', 'intent.merged')).toBe(tested);
    expect(repo.git('rev-parse', 'main^{tree}')).toBe(tested);
    expect(repo.sha('main')).toBe(result.decisions[0]?.mergedSha);
  });

  it('merges the first of two conflicting intents and requeues the second (invariant 2)', async () => {
    // Prepare
    repo.branch('feature/a', { 'shared.py': 'from a\n' });
    repo.branch('feature/b', { 'shared.py': 'from b\n' });
    await addIntent({
      id: 'A',
      source: 'feature/a',
      status: 'VALIDATED',
      priority: 1,
    });
    await addIntent({
      id: 'B',
      source: 'feature/b',
      status: 'VALIDATED',
      priority: 2,
    });
    // Act
    const result = await processQueue(deps, {
      ...run,
      skipChecks: true,
      autoConfirm: true,
    });
    // Assess
    const [a, b] = result.decisions;
    expect(a).toMatchObject({ intentId: 'A', decision: 'merged' });
    expect(b).toMatchObject({ intentId: 'B', decision: 'requeued' });
    expect(b?.reason).toContain('conflict');
    const intentB = await store.intents.get('B');
    expect(intentB?.status).toBe('READY');
    expect(intentB?.retries).toBeGreaterThanOrEqual(1);
    expect((await store.intents.get('A'))?.status).toBe('MERGED');
    expect(repo.git('show', 'main:shared.py')).toBe('from a');
  });

  describe('queue processor with an SQS FIFO event', () => {
    const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
    const handlerFor = (
      metrics = new Metrics({ namespace: 'Converge', serviceName: 'test' }),
    ) => queueProcessorHandler({ deps: async () => deps, logger, metrics });

    beforeEach(async () => {
      repo.branch('feature/sqs', { 'sqs.py': 'x\n' });
      await addIntent({ id: 'acme/app:pr-1', source: 'feature/sqs' });
    });

    it('processes a validate-intent message', async () => {
      const response = await handlerFor()(fixture, context);
      expect(response.batchItemFailures).toEqual([]);
      expect((await store.intents.get('acme/app:pr-1'))?.status).toBe(
        'VALIDATED',
      );
      const page = await store.events.query({
        intentId: 'acme/app:pr-1',
        type: 'intent.validated',
      });
      expect(page.items.map((e) => e.traceId)).toEqual(['trace-sqs-1']);
    });

    it('acknowledges a poison message and goes on with the group', async () => {
      const event: SQSEvent = {
        Records: [
          recordOf({ messageId: 'bad-1', body: '{"kind":"unknown"}' }),
          recordOf({ messageId: 'bad-2', body: 'not json' }),
          recordOf({ messageId: 'ok-1' }),
        ],
      };
      const metrics = new Metrics({ namespace: 'Converge', serviceName: 't' });
      const addMetric = vi.spyOn(metrics, 'addMetric');
      const response = await handlerFor(metrics)(event, context);
      expect(response.batchItemFailures).toEqual([]);
      const poison = addMetric.mock.calls.filter(
        ([name]) => name === 'PoisonMessage',
      );
      expect(poison).toHaveLength(2);
      expect((await store.intents.get('acme/app:pr-1'))?.status).toBe(
        'VALIDATED',
      );
    });

    it('processes a duplicate message id once', async () => {
      const handler = handlerFor();
      const first = await handler(fixture, context);
      const again = await handler(fixture, context);
      const inBatch = await handler(
        { Records: [recordOf({}), recordOf({})] },
        context,
      );
      expect(first.batchItemFailures).toEqual([]);
      expect(again.batchItemFailures).toEqual([]);
      expect(inBatch.batchItemFailures).toEqual([]);
      const page = await store.events.query({
        intentId: 'acme/app:pr-1',
        type: 'intent.validated',
      });
      expect(page.items).toHaveLength(1);
    });
  });
});

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { queueProcessorHandler } from '../../functions/queue-processor.js';
import { queueLockName } from '../../shared/domain/engine/process-queue.js';
import { newIntent } from '../../shared/domain/intent.js';
import type { BusMessage } from '../../shared/ports/bus.js';
import type {
  DecisionToPublish,
  Publisher,
} from '../../shared/ports/publisher.js';
import type { Deps } from '../../shared/runtime/deps.js';
import type { TestRepo } from '../support/git-repo.js';
import { makeDeps } from './webhooks/webhook-harness.js';

const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'converge-queue-processor',
  functionVersion: '$LATEST',
  invokedFunctionArn:
    'arn:aws:lambda:us-east-1:123456789012:function:converge-queue-processor',
  memoryLimitInMB: '512',
  awsRequestId: 'aws-req-qp',
  logGroupName: '/aws/lambda/converge-queue-processor',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

let sequence = 0;

/** An SQS FIFO record as the Lambda event source delivers it. */
function sqsRecord(
  messageId: string,
  groupId: string,
  body: BusMessage | string,
): SQSRecord {
  sequence += 1;
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1893456000000',
      SenderId: 'AIDATEST',
      ApproximateFirstReceiveTimestamp: '1893456000000',
      SequenceNumber: String(sequence).padStart(20, '0'),
      MessageGroupId: groupId,
      MessageDeduplicationId: `dedup-${messageId}`,
    },
    messageAttributes: {},
    md5OfBody: 'not-checked',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:converge-bus.fifo',
    awsRegion: 'us-east-1',
  };
}

/** A github-event whose handling is observable: one installation event. */
function installationEvent(deliveryId: string): BusMessage {
  return {
    kind: 'github-event',
    deliveryId,
    name: 'installation',
    payload: {
      action: 'created',
      installation: { id: 42, account: { login: 'acme' } },
      repositories: [{ full_name: 'acme/app' }],
    },
  };
}

describe('queue processor (SQS FIFO, partial batch responses)', () => {
  let deps: Deps;
  let repo: TestRepo;
  let logger: Logger;
  let metrics: Metrics;
  let handler: ReturnType<typeof queueProcessorHandler>;

  beforeEach(() => {
    ({ deps, repo } = makeDeps());
    logger = new Logger({ serviceName: 'converge-test', logLevel: 'SILENT' });
    metrics = new Metrics({ namespace: 'Converge', serviceName: 'test' });
    handler = queueProcessorHandler({
      deps: async () => deps,
      logger,
      metrics,
    });
  });

  afterEach(async () => {
    await deps.store.close();
    repo.remove();
  });

  async function installationsRecorded(): Promise<string[]> {
    const page = await deps.store.events.query({
      type: 'github.installation_updated',
    });
    return page.items.map((e) => String(e.evidence.delivery_id));
  }

  it('fails a transient record and the rest of its group; the other group is processed', async () => {
    // Prepare: branch A's lock is held elsewhere, so its process-branch is transient
    const branch = { tenantId: 'acme', repo: 'acme/app', target: 'main' };
    await deps.store.locks.acquire(
      queueLockName('acme', 'acme/app', 'main'),
      'someone-else',
      60_000,
    );
    const event: SQSEvent = {
      Records: [
        sqsRecord('a-1', 'group-a', { kind: 'process-branch', ...branch }),
        sqsRecord('b-1', 'group-b', installationEvent('gh-b-1')),
        sqsRecord('a-2', 'group-a', installationEvent('gh-a-2')),
      ],
    };
    // Act
    const response = await handler(event, context);
    // Assess
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'a-1' },
      { itemIdentifier: 'a-2' },
    ]);
    expect(await installationsRecorded()).toEqual(['gh-b-1']);
    // The failed record's claim was released: a redelivery is processed.
    await deps.store.locks.forceRelease(
      queueLockName('acme', 'acme/app', 'main'),
    );
    const retry = await handler(
      { Records: [event.Records[0], event.Records[2]].filter((r) => !!r) },
      context,
    );
    expect(retry.batchItemFailures).toEqual([]);
    expect((await installationsRecorded()).sort()).toEqual([
      'gh-a-2',
      'gh-b-1',
    ]);
  });

  it('acknowledges an invalid body as poison: logged with its messageId and counted', async () => {
    // Prepare
    const error = vi.spyOn(logger, 'error');
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const event: SQSEvent = {
      Records: [
        sqsRecord('bad-1', 'group-a', '{"kind":"unknown"}'),
        sqsRecord('bad-2', 'group-a', 'not json'),
        sqsRecord('ok-1', 'group-a', installationEvent('gh-ok-1')),
      ],
    };
    // Act
    const response = await handler(event, context);
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(error).toHaveBeenCalledWith(
      'poison message acknowledged',
      expect.objectContaining({ messageId: 'bad-1' }),
    );
    expect(error).toHaveBeenCalledWith(
      'poison message acknowledged',
      expect.objectContaining({ messageId: 'bad-2' }),
    );
    expect(addMetric).toHaveBeenCalledWith('PoisonMessage', 'Count', 1);
    expect(await installationsRecorded()).toEqual(['gh-ok-1']);
  });

  it('acknowledges a message about a missing intent as poison', async () => {
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const response = await handler(
      {
        Records: [
          sqsRecord('gone-1', 'g', {
            kind: 'validate-intent',
            intentId: 'acme/app:pr-404',
          }),
        ],
      },
      context,
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(addMetric).toHaveBeenCalledWith('PoisonMessage', 'Count', 1);
  });

  it('publishes the outbox through the wired publisher on publish-outbox', async () => {
    // Prepare
    const published: DecisionToPublish[] = [];
    const publisher: Publisher = {
      publishDecision: async (input) => {
        published.push(input);
        return { checkRunId: 7, statusContext: 'converge/risk-gate' };
      },
    };
    const intent = newIntent(
      {
        id: 'acme/app:pr-7',
        source: 'feature',
        tenantId: 'acme',
        technical: {
          repo: 'acme/app',
          installation_id: 42,
          head_sha: 'c'.repeat(40),
        },
      },
      deps.clock.nowIso(),
    );
    await deps.store.intents.create(intent);
    await deps.store.outbox.enqueue({
      id: 'decision-1',
      kind: 'github.decision',
      tenantId: 'acme',
      payload: { intent_id: intent.id, decision: 'validated', trace_id: 't-1' },
    });
    deps.publisher = publisher;
    try {
      // Act
      const response = await handler(
        {
          Records: [
            sqsRecord('pub-1', 'outbox', {
              kind: 'publish-outbox',
              outboxId: 'decision-1',
            }),
          ],
        },
        context,
      );
      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(published).toEqual([
        expect.objectContaining({
          repo: 'acme/app',
          intentId: intent.id,
          decision: 'validated',
          installationId: 42,
        }),
      ]);
      expect(
        (await deps.store.outbox.get('decision-1'))?.doneAt,
      ).not.toBeNull();
    } finally {
      delete deps.publisher;
    }
  });

  it('processes a redelivered message id once', async () => {
    const record = sqsRecord('dup-1', 'group-a', installationEvent('gh-dup'));
    const first = await handler({ Records: [record] }, context);
    const again = await handler({ Records: [record] }, context);
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    expect(await installationsRecorded()).toEqual(['gh-dup']);
  });
});

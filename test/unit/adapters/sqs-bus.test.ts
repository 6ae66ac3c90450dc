import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidMessageContents,
  KmsThrottled,
  MessageNotInflight,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  RequestThrottled,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SqsBus, SqsConsumer } from '../../../shared/adapters/sqs/sqs-bus.js';
import {
  TransientError,
  ValidationError,
} from '../../../shared/domain/errors.js';
import type { BusEntry, BusMessage } from '../../../shared/ports/bus.js';

const QUEUE_URL = 'http://127.0.0.1:1/000000000000/bus.fifo';
const DLQ_URL = 'http://127.0.0.1:1/000000000000/bus-dlq.fifo';
const META = { $metadata: {} };

const message: BusMessage = {
  kind: 'process-branch',
  tenantId: 't1',
  repo: 'o/r',
  target: 'main',
};
const opts = { groupId: 't1:o/r:main', dedupId: 'job-1' };

const serviceError = (
  name: string,
  fault: 'client' | 'server',
  status: number,
) =>
  new SQSServiceException({
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
    message: name,
  });

const entries = (count: number, payloadBytes = 0): BusEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    message: {
      kind: 'github-event',
      deliveryId: `d${i}`,
      name: 'push',
      payload: 'x'.repeat(payloadBytes),
    },
    groupId: 'g',
    dedupId: `dedup-${i}`,
  }));

const sqs = mockClient(SQSClient);
const client = new SQSClient({});

beforeEach(() => {
  sqs.reset();
});
afterAll(() => {
  sqs.restore();
});

describe('SqsBus', () => {
  const bus = new SqsBus({ client, queueUrl: QUEUE_URL });

  it('sends a JSON body with the group and dedup ids', async () => {
    // Prepare
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });
    // Act
    await bus.send(message, opts);
    // Assess
    expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody: JSON.stringify(message),
      MessageGroupId: opts.groupId,
      MessageDeduplicationId: opts.dedupId,
    });
  });

  it.each([
    ['RequestThrottled', new RequestThrottled({ message: 'slow', ...META })],
    ['KmsThrottled', new KmsThrottled({ message: 'kms', ...META })],
    ['ThrottlingException', serviceError('ThrottlingException', 'client', 400)],
    ['HTTP 429', serviceError('TooManyRequests', 'client', 429)],
    ['InternalError (5xx)', serviceError('InternalError', 'server', 500)],
    ['ServiceUnavailable', serviceError('ServiceUnavailable', 'server', 503)],
    [
      'a socket timeout',
      Object.assign(new Error('t'), { name: 'TimeoutError' }),
    ],
  ])('maps %s to TransientError with the cause kept', async (_, error) => {
    // Prepare
    sqs.on(SendMessageCommand).rejects(error);
    // Act
    const sent = bus.send(message, opts);
    // Assess
    await expect(sent).rejects.toBeInstanceOf(TransientError);
    await expect(sent).rejects.toMatchObject({ cause: error });
  });

  it('maps refused message contents to ValidationError', async () => {
    // Prepare
    sqs
      .on(SendMessageCommand)
      .rejects(new InvalidMessageContents({ message: 'bad', ...META }));
    // Act + Assess
    await expect(bus.send(message, opts)).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('lets configuration faults through unchanged', async () => {
    // Prepare
    const missing = new QueueDoesNotExist({ message: 'gone', ...META });
    sqs.on(SendMessageCommand).rejects(missing);
    // Act + Assess
    await expect(bus.send(message, opts)).rejects.toBe(missing);
  });

  it('validates before calling SQS', async () => {
    // Act + Assess
    await expect(
      bus.send(message, { groupId: 'g', dedupId: '' }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('sends a batch in chunks of 10, in order', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    // Act
    await bus.sendBatch(entries(23));
    // Assess
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    const batches = calls.map((c) => c.args[0].input.Entries ?? []);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batches.flat().map((e) => e.MessageDeduplicationId)).toEqual(
      entries(23).map((e) => e.dedupId),
    );
    expect(batches[2]?.map((e) => e.Id)).toEqual(['0', '1', '2']);
    expect(batches[0]?.[0]?.MessageGroupId).toBe('g');
  });

  it('also chunks by the total body size', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    // Act
    await bus.sendBatch(entries(3, 100 * 1024));
    // Assess
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([2, 1]);
  });

  it('sends nothing for an empty batch', async () => {
    // Act
    await bus.sendBatch([]);
    // Assess
    expect(sqs.calls()).toHaveLength(0);
  });

  it('turns a partial batch failure into TransientError naming the ids', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [
        { Id: '3', SenderFault: false, Code: 'InternalError' },
        { Id: '7', SenderFault: false, Code: 'RequestThrottled' },
      ],
    });
    // Act
    const sent = bus.sendBatch(entries(15));
    // Assess
    await expect(sent).rejects.toBeInstanceOf(TransientError);
    await expect(sent).rejects.toThrow(
      /2 of 10 entries: dedup-3 \(InternalError\), dedup-7 \(RequestThrottled\)/,
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });

  it('maps a throttled batch call to TransientError', async () => {
    // Prepare
    sqs
      .on(SendMessageBatchCommand)
      .rejects(new RequestThrottled({ message: 'slow', ...META }));
    // Act + Assess
    await expect(bus.sendBatch(entries(2))).rejects.toBeInstanceOf(
      TransientError,
    );
  });
});

describe('SqsConsumer', () => {
  it('receives with system attributes and maps each message', async () => {
    // Prepare
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [
        {
          MessageId: 'm1',
          ReceiptHandle: 'r1',
          Body: '{}',
          Attributes: { ApproximateReceiveCount: '3', MessageGroupId: 'g' },
        },
        { MessageId: 'no-receipt', Body: '{}' },
      ],
    });
    const consumer = new SqsConsumer({ client, queueUrl: QUEUE_URL });
    // Act
    const received = await consumer.receive(5, 1_500);
    // Assess
    expect(received).toEqual([
      {
        messageId: 'm1',
        receipt: 'r1',
        groupId: 'g',
        body: '{}',
        receiveCount: 3,
      },
    ]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      MaxNumberOfMessages: 5,
      VisibilityTimeout: 2,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: [
        'ApproximateReceiveCount',
        'MessageGroupId',
      ],
    });
  });

  it('maps a throttled receive to TransientError', async () => {
    // Prepare
    sqs
      .on(ReceiveMessageCommand)
      .rejects(new RequestThrottled({ message: 'slow', ...META }));
    const consumer = new SqsConsumer({ client, queueUrl: QUEUE_URL });
    // Act + Assess
    await expect(consumer.receive(1)).rejects.toBeInstanceOf(TransientError);
  });

  it('treats stale receipts as no-ops but maps throttling', async () => {
    // Prepare
    const consumer = new SqsConsumer({ client, queueUrl: QUEUE_URL });
    sqs
      .on(DeleteMessageCommand)
      .rejectsOnce(new ReceiptHandleIsInvalid({ message: 'old', ...META }))
      .rejectsOnce(serviceError('InternalError', 'server', 500));
    sqs
      .on(ChangeMessageVisibilityCommand)
      .rejects(new MessageNotInflight({ message: 'old', ...META }));
    // Act + Assess
    await expect(consumer.ack('stale')).resolves.toBeUndefined();
    await expect(consumer.ack('r')).rejects.toBeInstanceOf(TransientError);
    await expect(consumer.nack('stale', 1_500)).resolves.toBeUndefined();
    expect(
      sqs.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input,
    ).toEqual({
      QueueUrl: QUEUE_URL,
      ReceiptHandle: 'stale',
      VisibilityTimeout: 2,
    });
  });

  it('peeks the redrive target and makes the dead letters visible again', async () => {
    // Prepare
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn:
            'arn:aws:sqs:us-east-1:000000000000:bus-dlq.fifo',
          maxReceiveCount: 2,
        }),
      },
    });
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: DLQ_URL });
    sqs
      .on(ReceiveMessageCommand, { QueueUrl: DLQ_URL })
      .resolvesOnce({
        Messages: [{ MessageId: 'm1', ReceiptHandle: 'r1', Body: '{}' }],
      })
      .resolves({});
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const consumer = new SqsConsumer({ client, queueUrl: QUEUE_URL });
    // Act
    const dead = await consumer.deadLetters();
    await consumer.deadLetters();
    // Assess
    expect(dead).toEqual([
      { messageId: 'm1', groupId: '', body: '{}', receiveCount: 1 },
    ]);
    expect(sqs.commandCalls(GetQueueUrlCommand)).toHaveLength(1);
    expect(sqs.commandCalls(GetQueueUrlCommand)[0]?.args[0].input).toEqual({
      QueueName: 'bus-dlq.fifo',
      QueueOwnerAWSAccountId: '000000000000',
    });
    expect(
      sqs.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input,
    ).toEqual({ QueueUrl: DLQ_URL, ReceiptHandle: 'r1', VisibilityTimeout: 0 });
  });

  it('has no dead letters without a redrive policy, and retries a failed lookup', async () => {
    // Prepare
    sqs
      .on(GetQueueAttributesCommand)
      .rejectsOnce(new RequestThrottled({ message: 'slow', ...META }))
      .resolves({ Attributes: {} });
    const consumer = new SqsConsumer({ client, queueUrl: QUEUE_URL });
    // Act + Assess
    await expect(consumer.deadLetters()).rejects.toBeInstanceOf(TransientError);
    await expect(consumer.deadLetters()).resolves.toEqual([]);
  });

  it('reads an explicitly given DLQ without looking it up', async () => {
    // Prepare
    sqs.on(ReceiveMessageCommand).resolves({});
    const consumer = new SqsConsumer({
      client,
      queueUrl: QUEUE_URL,
      deadLetterQueueUrl: DLQ_URL,
    });
    // Act
    await consumer.deadLetters();
    // Assess
    expect(sqs.commandCalls(GetQueueAttributesCommand)).toHaveLength(0);
    expect(
      sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input.QueueUrl,
    ).toBe(DLQ_URL);
  });
});

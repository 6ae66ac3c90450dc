import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type {
  BusConsumer,
  DeliveredMessage,
  ReceivedMessage,
} from '../../ports/bus.js';
import { checkDuration, checkReceive, MAX_BATCH } from '../../ports/bus.js';
import { callSqs, isStaleReceipt } from './sqs-errors.js';
import { loadSqsSdk } from './sqs-sdk.js';

/** Options of {@link SqsConsumer}. */
export interface SqsConsumerOptions {
  client: SQSClient;
  /** URL of the FIFO queue to consume. */
  queueUrl: string;
  /** The DLQ; by default resolved from the queue's RedrivePolicy. */
  deadLetterQueueUrl?: string;
  /** Long polling per receive, 0..20 s (default 0: answer at once). */
  waitTimeSeconds?: number;
}

/** How long a dead-letter peek hides what it has seen. */
const PEEK_HOLD_SECONDS = 30;
/** Upper bound of receive rounds per peek (10 messages each). */
const PEEK_ROUNDS = 100;

const toSeconds = (ms: number): number => Math.ceil(ms / 1000);

function toDelivered(message: Message): DeliveredMessage {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    groupId: attributes.MessageGroupId ?? '',
    body: message.Body ?? '',
    receiveCount: Number(attributes.ApproximateReceiveCount ?? '1'),
  };
}

/**
 * {@link BusConsumer} on an SQS FIFO queue, for tests and tools (deployed
 * handlers get their records from Lambda's event source). Visibility is in
 * whole seconds (rounded up); dead letters are read from the redrive target.
 *
 * @example
 * ```ts
 * const consumer = new SqsConsumer({ client, queueUrl });
 * const [received] = await consumer.receive(1, 30_000);
 * if (received) await consumer.ack(received.receipt);
 * ```
 */
export class SqsConsumer implements BusConsumer {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly waitTimeSeconds: number;
  private deadLetterQueueUrl: Promise<string | undefined> | undefined;

  constructor(options: SqsConsumerOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
    this.waitTimeSeconds = options.waitTimeSeconds ?? 0;
    if (options.deadLetterQueueUrl !== undefined) {
      this.deadLetterQueueUrl = Promise.resolve(options.deadLetterQueueUrl);
    }
  }

  /** See {@link BusConsumer.receive}. */
  async receive(
    max: number,
    visibilityMs?: number,
  ): Promise<ReceivedMessage[]> {
    checkReceive(max, visibilityMs);
    const messages = await this.receiveFrom(
      this.queueUrl,
      max,
      visibilityMs === undefined ? undefined : toSeconds(visibilityMs),
      this.waitTimeSeconds,
    );
    return messages.flatMap((message) =>
      message.ReceiptHandle === undefined
        ? []
        : [{ ...toDelivered(message), receipt: message.ReceiptHandle }],
    );
  }

  /** See {@link BusConsumer.ack}. */
  async ack(receipt: string): Promise<void> {
    const { DeleteMessageCommand } = await loadSqsSdk();
    await this.ignoringStale('DeleteMessage', () =>
      this.client.send(
        new DeleteMessageCommand({
          QueueUrl: this.queueUrl,
          ReceiptHandle: receipt,
        }),
      ),
    );
  }

  /** See {@link BusConsumer.nack}. */
  async nack(receipt: string, delayMs = 0): Promise<void> {
    checkDuration('delayMs', delayMs);
    await this.release(this.queueUrl, receipt, toSeconds(delayMs));
  }

  /**
   * See {@link BusConsumer.deadLetters}. A peek: receives everything it can
   * from the DLQ, then makes it visible again. FIFO group locking means a
   * peek may see only the head of each message group, and `receiveCount`
   * is SQS's count, which the peek itself increments.
   */
  async deadLetters(): Promise<DeliveredMessage[]> {
    const url = await this.deadLetterQueue();
    if (url === undefined) return [];
    const seen = new Map<string, Message>();
    for (let round = 0; round < PEEK_ROUNDS; round += 1) {
      const batch = await this.receiveFrom(
        url,
        MAX_BATCH,
        PEEK_HOLD_SECONDS,
        0,
      );
      if (batch.length === 0) break;
      for (const message of batch) seen.set(message.MessageId ?? '', message);
    }
    for (const message of seen.values()) {
      if (message.ReceiptHandle !== undefined) {
        await this.release(url, message.ReceiptHandle, 0);
      }
    }
    return [...seen.values()].map(toDelivered);
  }

  private async receiveFrom(
    queueUrl: string,
    max: number,
    visibilitySeconds: number | undefined,
    waitTimeSeconds: number,
  ): Promise<Message[]> {
    const { ReceiveMessageCommand } = await loadSqsSdk();
    const output = await callSqs('ReceiveMessage', () =>
      this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max,
          VisibilityTimeout: visibilitySeconds,
          WaitTimeSeconds: waitTimeSeconds,
          MessageSystemAttributeNames: [
            'ApproximateReceiveCount',
            'MessageGroupId',
          ],
        }),
      ),
    );
    return output.Messages ?? [];
  }

  private async release(
    queueUrl: string,
    receipt: string,
    seconds: number,
  ): Promise<void> {
    const { ChangeMessageVisibilityCommand } = await loadSqsSdk();
    await this.ignoringStale('ChangeMessageVisibility', () =>
      this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: receipt,
          VisibilityTimeout: seconds,
        }),
      ),
    );
  }

  private async ignoringStale(
    action: string,
    call: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await callSqs(action, call);
    } catch (error) {
      if (!isStaleReceipt(error)) throw error;
    }
  }

  /** The DLQ URL, resolved once; a failed resolution is retried later. */
  private deadLetterQueue(): Promise<string | undefined> {
    this.deadLetterQueueUrl ??= this.resolveDeadLetterQueueUrl().catch(
      (error: unknown) => {
        this.deadLetterQueueUrl = undefined;
        throw error;
      },
    );
    return this.deadLetterQueueUrl;
  }

  private async resolveDeadLetterQueueUrl(): Promise<string | undefined> {
    const { GetQueueAttributesCommand } = await loadSqsSdk();
    const output = await callSqs('GetQueueAttributes', () =>
      this.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.queueUrl,
          AttributeNames: ['RedrivePolicy'],
        }),
      ),
    );
    const policy = output.Attributes?.RedrivePolicy;
    if (policy === undefined) return undefined;
    const parsed: unknown = JSON.parse(policy);
    const arn: unknown =
      typeof parsed === 'object' && parsed !== null
        ? Reflect.get(parsed, 'deadLetterTargetArn')
        : undefined;
    // arn:aws:sqs:<region>:<account>:<name>
    const [, , , , account, name] =
      typeof arn === 'string' ? arn.split(':') : [];
    if (name === undefined) return undefined;
    const { GetQueueUrlCommand } = await loadSqsSdk();
    const found = await callSqs('GetQueueUrl', () =>
      this.client.send(
        new GetQueueUrlCommand({
          QueueName: name,
          QueueOwnerAWSAccountId: account,
        }),
      ),
    );
    return found.QueueUrl;
  }
}

import type {
  SendMessageBatchRequestEntry,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { TransientError } from '../../domain/errors.js';
import type {
  Bus,
  BusEntry,
  BusMessage,
  SendOptions,
} from '../../ports/bus.js';
import {
  encodeBusMessage,
  MAX_BATCH,
  MAX_BODY_BYTES,
} from '../../ports/bus.js';
import { callSqs } from './sqs-errors.js';
import { loadSqsSdk } from './sqs-sdk.js';

export { SqsConsumer, type SqsConsumerOptions } from './sqs-consumer.js';

/** Options of {@link SqsBus}. */
export interface SqsBusOptions {
  /** Built (and traced) by the composition root; never created here. */
  client: SQSClient;
  /** URL of the FIFO queue (`….fifo`). */
  queueUrl: string;
}

interface Encoded extends SendOptions {
  body: string;
  bytes: number;
}

/**
 * The bus on an SQS FIFO queue: JSON bodies with MessageGroupId and
 * MessageDeduplicationId; batches go out in chunks of at most 10 entries
 * and MAX_BODY_BYTES total, one chunk after the other so a group keeps its
 * order across chunks.
 *
 * @example
 * ```ts
 * const bus = new SqsBus({ client: new SQSClient({}), queueUrl });
 * await bus.send(message, { groupId: groupIdOf(message), dedupId: jobId });
 * ```
 */
export class SqsBus implements Bus {
  private readonly client: SQSClient;
  private readonly queueUrl: string;

  constructor(options: SqsBusOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
  }

  /** See {@link Bus.send}. */
  async send(message: BusMessage, opts: SendOptions): Promise<void> {
    const body = encodeBusMessage(message, opts);
    const { SendMessageCommand } = await loadSqsSdk();
    await callSqs('SendMessage', () =>
      this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: body,
          MessageGroupId: opts.groupId,
          MessageDeduplicationId: opts.dedupId,
        }),
      ),
    );
  }

  /**
   * See {@link Bus.sendBatch}. Every entry is validated before the first
   * chunk is sent; a failed chunk stops the ones after it.
   * @throws {TransientError} also when SQS reports failed entries; the
   *   message names their dedupIds and codes.
   */
  async sendBatch(entries: readonly BusEntry[]): Promise<void> {
    const encoded = entries.map((entry): Encoded => {
      const body = encodeBusMessage(entry.message, entry);
      return {
        body,
        bytes: Buffer.byteLength(body, 'utf8'),
        groupId: entry.groupId,
        dedupId: entry.dedupId,
      };
    });
    for (const chunk of chunksOf(encoded)) await this.sendChunk(chunk);
  }

  private async sendChunk(chunk: Encoded[]): Promise<void> {
    const entries: SendMessageBatchRequestEntry[] = chunk.map((e, i) => ({
      Id: String(i),
      MessageBody: e.body,
      MessageGroupId: e.groupId,
      MessageDeduplicationId: e.dedupId,
    }));
    const { SendMessageBatchCommand } = await loadSqsSdk();
    const result = await callSqs('SendMessageBatch', () =>
      this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: entries,
        }),
      ),
    );
    const failed = result.Failed ?? [];
    if (failed.length === 0) return;
    const named = failed.map((f) => {
      const entry = chunk[Number(f.Id)];
      return `${entry?.dedupId ?? `#${f.Id}`} (${f.Code ?? 'unknown'})`;
    });
    throw new TransientError(
      `SQS SendMessageBatch failed for ${failed.length} of ${chunk.length} entries: ${named.join(', ')}`,
    );
  }
}

/** Splits entries into SQS batches: <= 10 entries, <= MAX_BODY_BYTES. */
function chunksOf(entries: Encoded[]): Encoded[][] {
  const chunks: Encoded[][] = [];
  let current: Encoded[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const full =
      current.length === MAX_BATCH || bytes + entry.bytes > MAX_BODY_BYTES;
    if (full && current.length > 0) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += entry.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

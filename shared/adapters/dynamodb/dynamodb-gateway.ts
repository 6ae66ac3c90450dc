import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  DeleteCommandInput,
  DeleteCommandOutput,
  DynamoDBDocumentClient,
  PutCommandInput,
  QueryCommandInput,
  QueryCommandOutput,
  TransactWriteCommandInput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../../domain/errors.js';
import { isRetryable } from './dynamodb-errors.js';
import type { TableKey } from './keys.js';

/** A stored item as plain data. */
export type Item = Record<string, unknown>;

type TransactItem = NonNullable<
  TransactWriteCommandInput['TransactItems']
>[number];
type WithoutTable<T> = Omit<NonNullable<T>, 'TableName'>;

/** One write of a transaction; the gateway adds the table name. */
export type TxWrite =
  | { Put: WithoutTable<TransactItem['Put']> }
  | { Update: WithoutTable<TransactItem['Update']> }
  | { ConditionCheck: WithoutTable<TransactItem['ConditionCheck']> };

/** Retry settings of the gateway. */
export interface RetryOptions {
  /** Retries after the first attempt on throttling / 5xx (default 3). */
  maxRetries: number;
  /** Base of the exponential backoff with full jitter, in ms (default 50). */
  baseDelayMs: number;
}

type LibDynamoDb = typeof import('@aws-sdk/lib-dynamodb');

let libDynamoDb: Promise<LibDynamoDb> | undefined;

/**
 * lib-dynamodb, imported on the first call: a static import of an external
 * package is hoisted to the top of a Lambda bundle and loaded at module init
 * (docs/benchmarks.md, Lambda bundles).
 */
function loadLibDynamoDb(): Promise<LibDynamoDb> {
  libDynamoDb ??= import('@aws-sdk/lib-dynamodb');
  return libDynamoDb;
}

/** Wraps a plain client; a document client is taken as it is. */
export async function documentClientOf(
  client: DynamoDBDocumentClient | DynamoDBClient,
): Promise<DynamoDBDocumentClient> {
  const { DynamoDBDocumentClient } = await loadLibDynamoDb();
  if (client instanceof DynamoDBDocumentClient) return client;
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

const MAX_DELAY_MS = 2_000;
const BATCH_SIZE = 25;

/**
 * The one place that talks to DynamoDB: adds the table name, retries
 * throttling and 5xx with bounded exponential backoff, then raises
 * `TransientError`. Other SDK errors pass through for the caller to map.
 */
export class DynamoGateway {
  private document: Promise<DynamoDBDocumentClient> | undefined;

  constructor(
    private readonly client: DynamoDBDocumentClient | DynamoDBClient,
    readonly tableName: string,
    private readonly retry: RetryOptions,
  ) {}

  /** The SDK module and the document client, loaded on the first call. */
  private async sdk(): Promise<[LibDynamoDb, DynamoDBDocumentClient]> {
    this.document ??= documentClientOf(this.client);
    return Promise.all([loadLibDynamoDb(), this.document]);
  }

  /** A strongly consistent GetItem; undefined when absent. */
  async get(key: TableKey): Promise<Item | undefined> {
    const [{ GetCommand }, client] = await this.sdk();
    const out = await this.run(() =>
      client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: key,
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item;
  }

  /** PutItem. */
  async put(input: WithoutTable<PutCommandInput>): Promise<void> {
    const [{ PutCommand }, client] = await this.sdk();
    await this.run(() =>
      client.send(new PutCommand({ ...input, TableName: this.tableName })),
    );
  }

  /** UpdateItem. */
  async update(
    input: WithoutTable<UpdateCommandInput>,
  ): Promise<UpdateCommandOutput> {
    const [{ UpdateCommand }, client] = await this.sdk();
    return this.run(() =>
      client.send(new UpdateCommand({ ...input, TableName: this.tableName })),
    );
  }

  /** DeleteItem. */
  async delete(
    input: WithoutTable<DeleteCommandInput>,
  ): Promise<DeleteCommandOutput> {
    const [{ DeleteCommand }, client] = await this.sdk();
    return this.run(() =>
      client.send(new DeleteCommand({ ...input, TableName: this.tableName })),
    );
  }

  /** One Query page. */
  async query(
    input: WithoutTable<QueryCommandInput>,
  ): Promise<QueryCommandOutput> {
    const [{ QueryCommand }, client] = await this.sdk();
    return this.run(() =>
      client.send(new QueryCommand({ ...input, TableName: this.tableName })),
    );
  }

  /** Every item of a Query, paging until done. */
  async queryAll(input: WithoutTable<QueryCommandInput>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.query({ ...input, ExclusiveStartKey: start });
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  /**
   * TransactWriteItems (all or nothing). One idempotency token covers every
   * retry, so a retry after a lost response does not fail its own conditions.
   */
  async transact(writes: TxWrite[]): Promise<void> {
    const TransactItems = writes.map((write): TransactItem => {
      if ('Put' in write) {
        return { Put: { ...write.Put, TableName: this.tableName } };
      }
      if ('Update' in write) {
        return { Update: { ...write.Update, TableName: this.tableName } };
      }
      return {
        ConditionCheck: { ...write.ConditionCheck, TableName: this.tableName },
      };
    });
    const ClientRequestToken = randomUUID();
    const [{ TransactWriteCommand }, client] = await this.sdk();
    await this.run(() =>
      client.send(
        new TransactWriteCommand({ TransactItems, ClientRequestToken }),
      ),
    );
  }

  /**
   * Deletes keys with BatchWriteItem in chunks of 25, resending unprocessed
   * items with backoff. @throws TransientError when some stay unprocessed.
   */
  async batchDelete(keys: TableKey[]): Promise<void> {
    for (let i = 0; i < keys.length; i += BATCH_SIZE) {
      await this.deleteChunk(keys.slice(i, i + BATCH_SIZE));
    }
  }

  private async deleteChunk(keys: TableKey[]): Promise<void> {
    let requests = keys.map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt > this.retry.maxRetries) {
        throw new TransientError('DynamoDB left batch deletes unprocessed');
      }
      if (attempt > 0) await this.backoff(attempt - 1);
      const [{ BatchWriteCommand }, client] = await this.sdk();
      const out = await this.run(() =>
        client.send(
          new BatchWriteCommand({
            RequestItems: { [this.tableName]: requests },
          }),
        ),
      );
      const left = out.UnprocessedItems?.[this.tableName] ?? [];
      requests = left.flatMap((request) =>
        request.DeleteRequest?.Key === undefined
          ? []
          : [{ DeleteRequest: { Key: request.DeleteRequest.Key as TableKey } }],
      );
    }
  }

  /** Runs one call with bounded retries of transient failures. */
  private async run<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (!isRetryable(error)) throw error;
        if (attempt >= this.retry.maxRetries) {
          throw new TransientError('DynamoDB is throttling or failing', 1, {
            cause: error,
          });
        }
        await this.backoff(attempt);
      }
    }
  }

  private async backoff(attempt: number): Promise<void> {
    const ceiling = Math.min(
      MAX_DELAY_MS,
      this.retry.baseDelayMs * 2 ** attempt,
    );
    await sleep(Math.floor(Math.random() * ceiling));
  }
}

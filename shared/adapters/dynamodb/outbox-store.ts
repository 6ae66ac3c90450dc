import { ConflictError } from '../../domain/errors.js';
import type { JsonObject } from '../../domain/intent.js';
import type { Clock } from '../../ports/clock.js';
import type {
  OutboxEntry,
  OutboxInput,
  OutboxStore,
} from '../../ports/store.js';
import { pageLimit } from './cursor.js';
import { isConditionFailure } from './dynamodb-errors.js';
import type { DynamoGateway, Item } from './dynamodb-gateway.js';
import { instantMs, sortableInstant, tableKeys } from './keys.js';
import { runMergedQuery } from './merged-query.js';
import { INDEXES } from './table-schema.js';

const DEFAULT_LIMIT = 100;
const PENDING = 'OUTBOX#PENDING';

/** The stored item of a fresh outbox entry, listed in the pending index. */
export function outboxItem(input: OutboxInput, nowIso: string): Item {
  return {
    ...tableKeys.outbox(input.id),
    id: input.id,
    kind: input.kind,
    payload: input.payload,
    tenantId: input.tenantId,
    createdAt: nowIso,
    attempts: 0,
    nextAttemptAt: nowIso,
    nextAttemptAtMs: instantMs(nowIso, 'nextAttemptAt'),
    lastError: null,
    doneAt: null,
    [INDEXES.outbox.pk]: PENDING,
    [INDEXES.outbox.sk]: `${sortableInstant(nowIso, 'createdAt')}#${input.id}`,
  };
}

/** The Put of an outbox entry that fails when its id exists. */
export function outboxPut(
  input: OutboxInput,
  nowIso: string,
): { Put: { Item: Item; ConditionExpression: string } } {
  return {
    Put: {
      Item: outboxItem(input, nowIso),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

const nullableString = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;

function toEntry(item: Item): OutboxEntry {
  return {
    id: String(item.id),
    kind: String(item.kind),
    payload: (item.payload ?? {}) as JsonObject,
    tenantId: nullableString(item.tenantId),
    createdAt: String(item.createdAt),
    attempts: Number(item.attempts ?? 0),
    nextAttemptAt: String(item.nextAttemptAt),
    lastError: nullableString(item.lastError),
    doneAt: nullableString(item.doneAt),
  };
}

/**
 * The outbox: undone entries sit in a sparse index ordered by creation, and
 * leave it when done.
 */
export class DynamoOutboxStore implements OutboxStore {
  constructor(
    private readonly db: DynamoGateway,
    private readonly clock: Clock,
  ) {}

  async enqueue(entry: OutboxInput): Promise<void> {
    try {
      await this.db.put(outboxPut(entry, this.clock.nowIso()).Put);
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError(`Outbox entry ${entry.id} already exists`);
      }
      throw error;
    }
  }

  async pending(limit?: number): Promise<OutboxEntry[]> {
    const page = await runMergedQuery(this.db, {
      index: INDEXES.outbox,
      partitions: [PENDING],
      order: 'asc',
      limit: pageLimit(limit, DEFAULT_LIMIT),
      filter: {
        expression: '#due <= :now',
        names: { '#due': 'nextAttemptAtMs' },
        values: { ':now': this.clock.now() },
      },
    });
    return page.items.map(toEntry);
  }

  async markDone(id: string): Promise<void> {
    try {
      await this.db.update({
        Key: tableKeys.outbox(id),
        ConditionExpression: 'attribute_exists(PK) AND #doneAt = :null',
        UpdateExpression: 'SET #doneAt = :now REMOVE #ipk, #isk',
        ExpressionAttributeNames: {
          '#doneAt': 'doneAt',
          '#ipk': INDEXES.outbox.pk,
          '#isk': INDEXES.outbox.sk,
        },
        ExpressionAttributeValues: {
          ':null': null,
          ':now': this.clock.nowIso(),
        },
      });
    } catch (error) {
      // Already done (or unknown): marking is idempotent.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async recordAttempt(
    id: string,
    error: string,
    nextAttemptAt: string,
  ): Promise<void> {
    try {
      await this.db.update({
        Key: tableKeys.outbox(id),
        ConditionExpression: 'attribute_exists(PK)',
        UpdateExpression:
          'SET #lastError = :error, #next = :next, #nextMs = :nextMs ADD #attempts :one',
        ExpressionAttributeNames: {
          '#lastError': 'lastError',
          '#next': 'nextAttemptAt',
          '#nextMs': 'nextAttemptAtMs',
          '#attempts': 'attempts',
        },
        ExpressionAttributeValues: {
          ':error': error,
          ':next': nextAttemptAt,
          ':nextMs': instantMs(nextAttemptAt, 'nextAttemptAt'),
          ':one': 1,
        },
      });
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async get(id: string): Promise<OutboxEntry | null> {
    const item = await this.db.get(tableKeys.outbox(id));
    return item === undefined ? null : toEntry(item);
  }
}

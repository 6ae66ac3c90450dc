import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { ConvergeEvent } from '../../domain/event.js';
import type { Intent, IntentPatch } from '../../domain/intent.js';
import { assertTransition } from '../../domain/intent-state.js';
import type { Clock } from '../../ports/clock.js';
import type {
  IntentFilter,
  IntentStore,
  Page,
  TransitionInput,
} from '../../ports/store.js';
import { pageLimit } from './cursor.js';
import { cancellationCodes, isConditionFailure } from './dynamodb-errors.js';
import type { DynamoGateway, TxWrite } from './dynamodb-gateway.js';
import { eventPut } from './event-item.js';
import {
  applyPatch,
  intentItem,
  planIntentList,
  toIntent,
} from './intent-item.js';
import { tableKeys } from './keys.js';
import { runMergedQuery } from './merged-query.js';
import { outboxPut } from './outbox-store.js';

const DEFAULT_LIMIT = 200;

/** Names of the writes of one transaction, to explain a failed condition. */
type WriteRole = 'intent' | 'event' | 'outbox';

const duplicateMessage: Record<WriteRole, string> = {
  intent: 'Intent already exists',
  event: 'Event id already exists',
  outbox: 'Outbox entry id already exists',
};

/**
 * Maps a failed conditional write to a ConflictError naming the write whose
 * condition failed; `staleMessage` explains a failed intent condition.
 */
function conflictOf(
  error: unknown,
  roles: WriteRole[],
  intentMessage: string,
): unknown {
  if (!isConditionFailure(error)) return error;
  const codes = cancellationCodes(error) ?? ['ConditionalCheckFailed'];
  const failed = roles.find((_, n) => codes[n] === 'ConditionalCheckFailed');
  if (failed === undefined || failed === 'intent') {
    return new ConflictError(intentMessage);
  }
  return new ConflictError(duplicateMessage[failed]);
}

/**
 * Intents with optimistic versions. Every write is a Put conditioned on the
 * version read (and the status, for transitions), in one transaction with
 * its event and outbox entry.
 */
export class DynamoIntentStore implements IntentStore {
  constructor(
    private readonly db: DynamoGateway,
    private readonly clock: Clock,
  ) {}

  async create(intent: Intent, event?: ConvergeEvent): Promise<Intent> {
    const writes: TxWrite[] = [
      {
        Put: {
          Item: intentItem(intent),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
    if (event !== undefined) writes.push(eventPut(event));
    await this.write(
      writes,
      ['intent', 'event'],
      `Intent ${intent.id} already exists`,
    );
    return { ...intent };
  }

  async get(id: string): Promise<Intent | null> {
    const item = await this.db.get(tableKeys.intent(id));
    return item === undefined ? null : toIntent(item);
  }

  async list(
    filter: IntentFilter = {},
    page: { limit?: number; cursor?: string } = {},
  ): Promise<Page<Intent>> {
    const result = await runMergedQuery(this.db, {
      ...planIntentList(filter),
      order: 'asc',
      limit: pageLimit(page.limit, DEFAULT_LIMIT),
      cursor: page.cursor,
    });
    const items = result.items.map(toIntent);
    return result.cursor === undefined
      ? { items }
      : { items, cursor: result.cursor };
  }

  async transition(input: TransitionInput): Promise<Intent> {
    const current = await this.require(input.id);
    assertTransition(current.status, input.to, input.force ?? false);
    this.assertVersion(current, input.expectedVersion);
    const next: Intent = {
      ...applyPatch(current, input.patch),
      status: input.to,
      version: current.version + 1,
      updatedAt: this.clock.nowIso(),
    };
    const writes: TxWrite[] = [
      this.versionedPut(next, current),
      eventPut(input.event),
    ];
    const roles: WriteRole[] = ['intent', 'event'];
    if (input.outbox !== undefined) {
      writes.push(outboxPut(input.outbox, this.clock.nowIso()));
      roles.push('outbox');
    }
    await this.write(writes, roles, staleMessage(input.id));
    return next;
  }

  async update(input: {
    id: string;
    expectedVersion: number;
    patch: IntentPatch;
    event?: ConvergeEvent;
  }): Promise<Intent> {
    const current = await this.require(input.id);
    this.assertVersion(current, input.expectedVersion);
    const next: Intent = {
      ...applyPatch(current, input.patch),
      version: current.version + 1,
      updatedAt: this.clock.nowIso(),
    };
    const writes: TxWrite[] = [this.versionedPut(next, current)];
    if (input.event !== undefined) writes.push(eventPut(input.event));
    await this.write(writes, ['intent', 'event'], staleMessage(input.id));
    return next;
  }

  updateRetries(
    id: string,
    retries: number,
    expectedVersion: number,
  ): Promise<Intent> {
    return this.update({ id, expectedVersion, patch: { retries } });
  }

  private async require(id: string): Promise<Intent> {
    const current = await this.get(id);
    if (current === null) throw new NotFoundError(`Intent ${id} not found`);
    return current;
  }

  private assertVersion(current: Intent, expectedVersion: number): void {
    if (current.version !== expectedVersion) {
      throw new ConflictError(
        `Intent ${current.id} is at version ${current.version}, not ${expectedVersion}`,
      );
    }
  }

  /** Replaces the intent only if status and version are still those read. */
  private versionedPut(next: Intent, current: Intent): TxWrite {
    return {
      Put: {
        Item: intentItem(next),
        ConditionExpression:
          'attribute_exists(PK) AND #status = :from AND #version = :version',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#version': 'version',
        },
        ExpressionAttributeValues: {
          ':from': current.status,
          ':version': current.version,
        },
      },
    };
  }

  /** One Put alone, or a transaction for several writes. */
  private async write(
    writes: TxWrite[],
    roles: WriteRole[],
    intentMessage: string,
  ): Promise<void> {
    try {
      const [only] = writes;
      if (writes.length === 1 && only !== undefined && 'Put' in only) {
        await this.db.put(only.Put);
      } else {
        await this.db.transact(writes);
      }
    } catch (error) {
      throw conflictOf(error, roles, intentMessage);
    }
  }
}

const staleMessage = (id: string): string =>
  `Intent ${id} was changed concurrently (stale version)`;

import type { Clock } from '../../ports/clock.js';
import type { LockInfo, LockStore } from '../../ports/store.js';
import { isConditionFailure } from './dynamodb-errors.js';
import type { DynamoGateway, Item } from './dynamodb-gateway.js';
import { isoOfMs, tableKeys } from './keys.js';
import { TTL_ATTRIBUTE } from './table-schema.js';

const toLock = (item: Item): LockInfo => ({
  name: String(item.name),
  holder: String(item.holder),
  acquiredAt: String(item.acquiredAt),
  expiresAt: String(item.expiresAt),
});

/**
 * Leases as conditional writes. `expiresAtMs` is compared with the injected
 * clock in every condition and read; native TTL only cleans up later.
 */
export class DynamoLockStore implements LockStore {
  constructor(
    private readonly db: DynamoGateway,
    private readonly clock: Clock,
  ) {}

  async acquire(
    name: string,
    holder: string,
    ttlMs: number,
  ): Promise<LockInfo | null> {
    const now = this.clock.now();
    const expiresMs = now + ttlMs;
    const lock: LockInfo = {
      name,
      holder,
      acquiredAt: isoOfMs(now),
      expiresAt: isoOfMs(expiresMs),
    };
    try {
      await this.db.put({
        Item: {
          ...tableKeys.lock(name),
          ...lock,
          expiresAtMs: expiresMs,
          [TTL_ATTRIBUTE]: Math.ceil(expiresMs / 1000),
        },
        ConditionExpression:
          'attribute_not_exists(PK) OR #exp <= :now OR #holder = :holder',
        ExpressionAttributeNames: {
          '#exp': 'expiresAtMs',
          '#holder': 'holder',
        },
        ExpressionAttributeValues: { ':now': now, ':holder': holder },
      });
      return lock;
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  }

  async release(name: string, holder: string): Promise<boolean> {
    try {
      await this.db.delete({
        Key: tableKeys.lock(name),
        ConditionExpression: '#holder = :holder AND #exp > :now',
        ExpressionAttributeNames: {
          '#exp': 'expiresAtMs',
          '#holder': 'holder',
        },
        ExpressionAttributeValues: {
          ':now': this.clock.now(),
          ':holder': holder,
        },
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async forceRelease(name: string): Promise<boolean> {
    const out = await this.db.delete({
      Key: tableKeys.lock(name),
      ReturnValues: 'ALL_OLD',
    });
    const old = out.Attributes;
    return old !== undefined && Number(old.expiresAtMs) > this.clock.now();
  }

  async info(name: string): Promise<LockInfo | null> {
    const item = await this.db.get(tableKeys.lock(name));
    if (item === undefined || Number(item.expiresAtMs) <= this.clock.now()) {
      return null;
    }
    return toLock(item);
  }
}

import { ConflictError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { DeliveryStore } from '../../ports/store.js';
import { isConditionFailure } from './dynamodb-errors.js';
import type { DynamoGateway } from './dynamodb-gateway.js';
import { isoOfMs, tableKeys } from './keys.js';
import { TTL_ATTRIBUTE } from './table-schema.js';

/** How long a claim is kept when the caller gives no TTL. */
export const DEFAULT_CLAIM_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * Delivery and job claims as conditional puts: a claim succeeds when no
 * unexpired claim exists (by the injected clock, not by TTL deletion).
 */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly db: DynamoGateway,
    private readonly clock: Clock,
  ) {}

  async claim(id: string, ttlMs = DEFAULT_CLAIM_TTL_MS): Promise<void> {
    const now = this.clock.now();
    const expiresMs = now + ttlMs;
    try {
      await this.db.put({
        Item: {
          ...tableKeys.delivery(id),
          id,
          claimedAt: isoOfMs(now),
          expiresAt: isoOfMs(expiresMs),
          expiresAtMs: expiresMs,
          [TTL_ATTRIBUTE]: Math.ceil(expiresMs / 1000),
        },
        ConditionExpression: 'attribute_not_exists(PK) OR #exp <= :now',
        ExpressionAttributeNames: { '#exp': 'expiresAtMs' },
        ExpressionAttributeValues: { ':now': now },
      });
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError(`Delivery ${id} is already claimed`);
      }
      throw error;
    }
  }

  async isClaimed(id: string): Promise<boolean> {
    const item = await this.db.get(tableKeys.delivery(id));
    return item !== undefined && Number(item.expiresAtMs) > this.clock.now();
  }

  async unclaim(id: string): Promise<void> {
    await this.db.delete({ Key: tableKeys.delivery(id) });
  }
}

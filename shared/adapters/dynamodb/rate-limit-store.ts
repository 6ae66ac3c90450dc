import { ValidationError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { RateLimitStore } from '../../ports/store.js';
import type { DynamoGateway } from './dynamodb-gateway.js';
import { isoOfMs, tableKeys } from './keys.js';
import { TTL_ATTRIBUTE } from './table-schema.js';

/**
 * Fixed-window counters: one item per key and window, incremented with an
 * atomic `ADD` that returns the new count, so instances never lose a hit.
 */
export class DynamoRateLimitStore implements RateLimitStore {
  constructor(
    private readonly db: DynamoGateway,
    private readonly clock: Clock,
  ) {}

  async hit(
    key: string,
    windowMs: number,
  ): Promise<{ count: number; resetAt: string }> {
    if (!Number.isSafeInteger(windowMs) || windowMs < 1) {
      throw new ValidationError('Invalid window: a positive integer of ms', [
        { path: 'windowMs', message: 'a positive integer is required' },
      ]);
    }
    const start = Math.floor(this.clock.now() / windowMs) * windowMs;
    const resetMs = start + windowMs;
    const out = await this.db.update({
      Key: tableKeys.rateWindow(key, windowMs, start),
      UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
      ExpressionAttributeNames: { '#count': 'count', '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':one': 1,
        ':ttl': Math.ceil(resetMs / 1000),
      },
      ReturnValues: 'UPDATED_NEW',
    });
    return {
      count: Number(out.Attributes?.count ?? 1),
      resetAt: isoOfMs(resetMs),
    };
  }
}

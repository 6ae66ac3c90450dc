import type { Clock } from '../../ports/clock.js';
import type { Store } from '../../ports/store.js';
import { RateLimitedError } from '../errors.js';

/** The fixed window of the per-tenant budget. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/** What is left of the budget after this request. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  resetAt: string;
}

/**
 * Counts one request against `tenantKey`'s budget for the current minute,
 * through the store so every instance shares it (DECISIONS 7).
 * @throws RateLimitedError (with Retry-After seconds) once over the limit
 * @example
 * await checkRateLimit(deps, principal.tenantId ?? principal.keyId, 120);
 */
export async function checkRateLimit(
  deps: { store: Pick<Store, 'rateLimits'>; clock: Clock },
  tenantKey: string,
  limitPerMinute: number,
): Promise<RateLimitState> {
  const { count, resetAt } = await deps.store.rateLimits.hit(
    tenantKey,
    RATE_LIMIT_WINDOW_MS,
  );
  if (count > limitPerMinute) {
    const waitMs = Date.parse(resetAt) - deps.clock.now();
    throw new RateLimitedError(
      `Rate limit of ${limitPerMinute} requests per minute exceeded`,
      Math.max(1, Math.ceil(waitMs / 1000)),
    );
  }
  return { limit: limitPerMinute, remaining: limitPerMinute - count, resetAt };
}

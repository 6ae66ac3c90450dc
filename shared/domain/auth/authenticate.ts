import type { Clock } from '../../ports/clock.js';
import type { Store } from '../../ports/store.js';
import { UnauthorizedError } from '../errors.js';
import { hashKey } from './api-key.js';
import type { Principal } from './principal.js';

/**
 * Resolves a raw API key to its principal. The store already hides expired
 * and revoked keys; the expiry is checked again against the injected clock so
 * a rotated key dies exactly when its grace ends, whatever the adapter.
 * @throws UnauthorizedError when the key is missing, unknown, expired or revoked
 * @example
 * const principal = await authenticate(deps, headers['x-api-key']);
 */
export async function authenticate(
  deps: { store: Pick<Store, 'keys'>; clock: Clock },
  rawKey: string | null | undefined,
): Promise<Principal> {
  if (rawKey === undefined || rawKey === null || rawKey.trim() === '') {
    throw new UnauthorizedError('Missing API key');
  }
  const record = await deps.store.keys.findByHash(hashKey(rawKey.trim()));
  const now = deps.clock.now();
  if (
    record === null ||
    record.revokedAt !== null ||
    (record.expiresAt !== null && Date.parse(record.expiresAt) <= now)
  ) {
    throw new UnauthorizedError('Invalid API key');
  }
  return {
    actor: record.actor,
    tenantId: record.tenantId,
    role: record.role,
    scopes: [...record.scopes],
    keyId: record.keyId,
  };
}

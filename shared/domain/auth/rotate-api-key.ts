import type { ApiKeyRecord } from '../../ports/store.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { buildEvent } from '../event.js';
import { generateKey, hashKey, keyIdOf, toKeyView } from './api-key.js';
import type { AuthDeps } from './auth-deps.js';
import type { IssuedApiKey } from './manage-api-keys.js';
import type { Principal } from './principal.js';

/** Shortest grace period, in seconds (reference §6: 60..86400). */
export const GRACE_MIN_SECONDS = 60;
/** Longest grace period, in seconds. */
export const GRACE_MAX_SECONDS = 86_400;
/** Grace period when the caller gives none, in seconds. */
export const GRACE_DEFAULT_SECONDS = 3_600;

/** The new key, and until when the old one still works. */
export interface RotatedApiKey extends IssuedApiKey {
  previousKeyId: string;
  previousKeyExpiresAt: string;
  gracePeriodSeconds: number;
}

/**
 * Replaces the caller's key with a new one of the same actor, role, tenant
 * and scopes. The old key stays valid for the grace period through the
 * store (so every Lambda instance sees it, DECISIONS 7), then expires.
 * Emits `access.key_rotated`.
 * @throws ValidationError when the grace period is outside 60..86400
 * @throws NotFoundError when the caller's key is no longer live
 * @example
 * const { key } = await rotateApiKey(deps, principal, 600);
 */
export async function rotateApiKey(
  deps: AuthDeps,
  principal: Principal,
  graceSeconds: number = GRACE_DEFAULT_SECONDS,
): Promise<RotatedApiKey> {
  if (
    !Number.isInteger(graceSeconds) ||
    graceSeconds < GRACE_MIN_SECONDS ||
    graceSeconds > GRACE_MAX_SECONDS
  ) {
    throw new ValidationError('grace_period_seconds out of range', [
      {
        path: 'grace_period_seconds',
        message: `Must be an integer in ${GRACE_MIN_SECONDS}..${GRACE_MAX_SECONDS}`,
      },
    ]);
  }
  const old = await findLiveKey(deps, principal);
  const nowIso = deps.clock.nowIso();
  const key = generateKey();
  const keyHash = hashKey(key);
  const next: ApiKeyRecord = {
    ...old,
    keyHash,
    keyId: keyIdOf(keyHash),
    scopes: [...old.scopes],
    createdAt: nowIso,
    revokedAt: null,
  };
  await deps.store.keys.rotate(old.keyHash, next, graceSeconds);
  const previousKeyExpiresAt = new Date(
    deps.clock.now() + graceSeconds * 1000,
  ).toISOString();
  await deps.store.events.append(
    buildEvent(
      {
        type: 'access.key_rotated',
        tenantId: old.tenantId,
        payload: {
          actor: principal.actor,
          previousKeyId: old.keyId,
          keyId: next.keyId,
          gracePeriodSeconds: graceSeconds,
          previousKeyExpiresAt,
        },
      },
      deps.ids,
      nowIso,
    ),
  );
  return {
    key,
    ...toKeyView(next),
    previousKeyId: old.keyId,
    previousKeyExpiresAt,
    gracePeriodSeconds: graceSeconds,
  };
}

async function findLiveKey(
  deps: AuthDeps,
  principal: Principal,
): Promise<ApiKeyRecord> {
  const records = await deps.store.keys.list(principal.tenantId ?? undefined);
  const now = deps.clock.now();
  const live = records.find(
    (r) =>
      r.keyId === principal.keyId &&
      r.revokedAt === null &&
      (r.expiresAt === null || Date.parse(r.expiresAt) > now),
  );
  if (!live) throw new NotFoundError(`API key not found: ${principal.keyId}`);
  return live;
}

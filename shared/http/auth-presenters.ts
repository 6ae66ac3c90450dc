import type { ApiKeyView } from '../domain/auth/api-key.js';
import type { Principal } from '../domain/auth/principal.js';
import type { RotatedApiKey } from '../domain/auth/rotate-api-key.js';

/** The API shape of a principal (snake_case, as the reference's API). */
export function presentPrincipal(principal: Principal) {
  return {
    actor: principal.actor,
    tenant_id: principal.tenantId,
    role: principal.role,
    scopes: principal.scopes,
    key_id: principal.keyId,
  };
}

/** The API shape of a key: never its hash; the raw key only when issued. */
export function presentKey(key: ApiKeyView & { key?: string }) {
  return {
    ...(key.key === undefined ? {} : { key: key.key }),
    key_id: key.keyId,
    actor: key.actor,
    role: key.role,
    tenant_id: key.tenantId,
    scopes: key.scopes,
    created_at: key.createdAt,
    expires_at: key.expiresAt,
    revoked_at: key.revokedAt,
  };
}

/** The API shape of a rotation: the new key and the old key's grace. */
export function presentRotation(rotated: RotatedApiKey) {
  return {
    ...presentKey(rotated),
    previous_key_id: rotated.previousKeyId,
    previous_key_expires_at: rotated.previousKeyExpiresAt,
    grace_period_seconds: rotated.gracePeriodSeconds,
  };
}

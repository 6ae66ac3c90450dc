import type { ApiKeyRecord, Role } from '../../ports/store.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { buildEvent } from '../event.js';
import {
  type ApiKeyView,
  generateKey,
  hashKey,
  keyIdOf,
  toKeyView,
} from './api-key.js';
import type { AuthDeps } from './auth-deps.js';

/** What an admin supplies to create a key. */
export interface CreateApiKeyInput {
  actor: string;
  role: Role;
  tenantId: string | null;
  scopes?: string[];
  /** ISO-8601; null or absent: never expires. */
  expiresAt?: string | null;
  /** Who asked (for the audit event); absent for bootstrap. */
  createdBy?: string;
}

/** A freshly issued key: the raw key is returned this once, never again. */
export interface IssuedApiKey extends ApiKeyView {
  key: string;
}

/**
 * Issues a new key, stores only its hash, and emits `access.key_created`.
 * @throws ValidationError when `expiresAt` is not in the future
 * @example
 * const { key } = await createApiKey(deps, { actor: 'ci', role: 'operator', tenantId: 't1' });
 */
export async function createApiKey(
  deps: AuthDeps,
  input: CreateApiKeyInput,
): Promise<IssuedApiKey> {
  const nowIso = deps.clock.nowIso();
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null && Date.parse(expiresAt) <= deps.clock.now()) {
    throw new ValidationError('expires_at must be in the future', [
      { path: 'expires_at', message: 'Must be in the future' },
    ]);
  }
  const key = generateKey();
  const keyHash = hashKey(key);
  const record: ApiKeyRecord = {
    keyHash,
    keyId: keyIdOf(keyHash),
    actor: input.actor,
    role: input.role,
    tenantId: input.tenantId,
    scopes: [...new Set(input.scopes ?? [])],
    createdAt: nowIso,
    expiresAt,
    revokedAt: null,
  };
  await deps.store.keys.put(record);
  await deps.store.events.append(
    buildEvent(
      {
        type: 'access.key_created',
        tenantId: record.tenantId,
        payload: {
          keyId: record.keyId,
          actor: record.actor,
          role: record.role,
          scopes: record.scopes,
          expiresAt,
          createdBy: input.createdBy ?? null,
        },
      },
      deps.ids,
      nowIso,
    ),
  );
  return { key, ...toKeyView(record) };
}

/**
 * Every key (live or not), of one tenant or of all, newest first; no hashes.
 * @example
 * const keys = await listApiKeys(deps, 't1');
 */
export async function listApiKeys(
  deps: Pick<AuthDeps, 'store'>,
  tenantId?: string,
): Promise<ApiKeyView[]> {
  const records = await deps.store.keys.list(tenantId);
  return records.map(toKeyView);
}

/**
 * Revokes a key at once and emits `access.key_revoked`.
 * @throws NotFoundError when no live key has this id
 * @example
 * await revokeApiKey(deps, 'a1b2c3d4e5f6', principal.actor);
 */
export async function revokeApiKey(
  deps: AuthDeps,
  keyId: string,
  revokedBy: string,
): Promise<void> {
  const revoked = await deps.store.keys.revoke(keyId);
  if (!revoked) throw new NotFoundError(`API key not found: ${keyId}`);
  const nowIso = deps.clock.nowIso();
  await deps.store.events.append(
    buildEvent(
      {
        type: 'access.key_revoked',
        payload: { keyId, revokedBy },
      },
      deps.ids,
      nowIso,
    ),
  );
}

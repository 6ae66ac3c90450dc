import { hashKey, keyIdOf } from '../domain/auth/api-key.js';
import { createApiKey } from '../domain/auth/manage-api-keys.js';
import type { Deps } from './deps.js';

/**
 * On first start, makes sure an admin key exists: the one given in
 * CONVERGE_BOOTSTRAP_KEY, or a new one returned to be printed once.
 * Returns the raw key only when it was generated now.
 */
export async function ensureAdminKey(deps: Deps): Promise<string | null> {
  const given = deps.env.CONVERGE_BOOTSTRAP_KEY;
  if (given) {
    const keyHash = hashKey(given);
    if (!(await deps.store.keys.findByHash(keyHash))) {
      await deps.store.keys.put({
        keyHash,
        keyId: keyIdOf(keyHash),
        actor: 'bootstrap-admin',
        role: 'admin',
        tenantId: null,
        scopes: [],
        createdAt: deps.clock.nowIso(),
        expiresAt: null,
        revokedAt: null,
      });
    }
    return null;
  }
  const existing = await deps.store.keys.list();
  if (existing.some((k) => k.role === 'admin' && k.revokedAt === null)) {
    return null;
  }
  const issued = await createApiKey(deps, {
    actor: 'bootstrap-admin',
    role: 'admin',
    tenantId: null,
  });
  return issued.key;
}

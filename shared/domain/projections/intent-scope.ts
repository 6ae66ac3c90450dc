import { assertTenantAccess, type Principal } from '../auth/principal.js';
import { ValidationError } from '../errors.js';
import { type Actor, getIntent } from '../intents/intent-service.js';
import type { ReadDeps } from './event-reader.js';

/**
 * The tenant of an intent the actor may read: the tenant filter of every
 * projection addressed by intent id.
 * @throws NotFoundError when missing; ForbiddenError across tenants for a
 *   non-admin.
 */
export async function intentTenant(
  deps: Pick<ReadDeps, 'store'>,
  actor: Actor,
  intentId: string,
): Promise<string | null> {
  return (await getIntent(deps, actor, intentId)).tenantId;
}

/**
 * The tenant a governance write acts on (DECISIONS 6): the requested one,
 * else the principal's; never null.
 * @throws ValidationError without a tenant; ForbiddenError across tenants
 *   for a non-admin.
 */
export function writeTenant(
  principal: Principal,
  tenantId: string | null | undefined,
): string {
  const tenant = assertTenantAccess(principal, tenantId, 'write');
  if (tenant === null) throw new ValidationError('tenant_id is required');
  return tenant;
}

import type { Role } from '../../ports/store.js';
import { ForbiddenError, ValidationError } from '../errors.js';

/** The roles, lowest first (a tuple for zod enums at the edge). */
export const AUTH_ROLES = [
  'viewer',
  'operator',
  'admin',
] as const satisfies readonly Role[];

const RANK: Readonly<Record<Role, number>> = {
  viewer: 0,
  operator: 1,
  admin: 2,
};

/** The authenticated caller, as the authorizer resolved it from an API key. */
export interface Principal {
  actor: string;
  /** null: a key not bound to a tenant (sees every tenant it may read). */
  tenantId: string | null;
  role: Role;
  /** Empty: every scope the role allows (the reference's backward compat). */
  scopes: string[];
  keyId: string;
}

/**
 * True when `role` ranks at least `min` (viewer < operator < admin).
 * @example
 * roleAtLeast('operator', 'viewer'); // true
 */
export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/**
 * True when `scopes` grant `needed`. An empty list grants everything (the
 * role still applies); `*` grants everything; `resource.*` grants every
 * `resource.<action>`; anything else must match exactly.
 * @example
 * hasScope(['risk.*'], 'risk.read'); // true
 * hasScope(['risk.read'], 'risk.write'); // false
 */
export function hasScope(scopes: readonly string[], needed: string): boolean {
  if (scopes.length === 0) return true;
  if (scopes.includes('*') || scopes.includes(needed)) return true;
  const dot = needed.lastIndexOf('.');
  return dot > 0 && scopes.includes(`${needed.slice(0, dot)}.*`);
}

/**
 * True when `principal` may see or touch data of `tenantId`: its own tenant,
 * a key bound to no tenant, or an admin (DECISIONS 6).
 */
export function canAccessTenant(
  principal: Pick<Principal, 'tenantId' | 'role'>,
  tenantId: string | null,
): boolean {
  return (
    principal.role === 'admin' ||
    principal.tenantId === null ||
    tenantId === principal.tenantId
  );
}

/**
 * Resolves the tenant a request acts on and enforces tenancy (DECISIONS 6):
 * the requested tenant, else the principal's. A tenant-bound non-admin may
 * not reach another tenant; a write must resolve to some tenant.
 * @returns the effective tenant (null only for reads of a tenant-less key)
 * @throws ForbiddenError on cross-tenant access by a non-admin
 * @throws ValidationError when a write has no tenant
 * @example
 * const tenantId = assertTenantAccess(principal, body.tenant_id, 'write');
 */
export function assertTenantAccess(
  principal: Principal,
  tenantId: string | null | undefined,
  mode: 'read' | 'write' = 'read',
): string | null {
  const effective = tenantId ?? principal.tenantId;
  if (effective !== null && !canAccessTenant(principal, effective)) {
    throw new ForbiddenError(`Cross-tenant access denied: ${effective}`);
  }
  if (effective === null && mode === 'write') {
    throw new ValidationError('tenant_id is required', [
      { path: 'tenant_id', message: 'A write needs a tenant' },
    ]);
  }
  return effective;
}

import { describe, expect, it } from 'vitest';
import {
  assertTenantAccess,
  hasScope,
  type Principal,
  roleAtLeast,
} from '../../../../shared/domain/auth/principal.js';
import {
  ForbiddenError,
  ValidationError,
} from '../../../../shared/domain/errors.js';

const principal = (over: Partial<Principal> = {}): Principal => ({
  actor: 'alice',
  tenantId: 't1',
  role: 'operator',
  scopes: [],
  keyId: 'k1',
  ...over,
});

describe('roleAtLeast', () => {
  it('ranks viewer < operator < admin', () => {
    expect(roleAtLeast('viewer', 'viewer')).toBe(true);
    expect(roleAtLeast('viewer', 'operator')).toBe(false);
    expect(roleAtLeast('operator', 'viewer')).toBe(true);
    expect(roleAtLeast('operator', 'admin')).toBe(false);
    expect(roleAtLeast('admin', 'operator')).toBe(true);
    expect(roleAtLeast('admin', 'admin')).toBe(true);
  });
});

describe('hasScope', () => {
  it('grants everything with an empty list (backward compat)', () => {
    expect(hasScope([], 'risk.write')).toBe(true);
  });

  it('grants everything with *', () => {
    expect(hasScope(['*'], 'admin')).toBe(true);
    expect(hasScope(['*'], 'risk.read')).toBe(true);
  });

  it('lets resource.* cover read, write and admin of that resource only', () => {
    expect(hasScope(['risk.*'], 'risk.read')).toBe(true);
    expect(hasScope(['risk.*'], 'risk.write')).toBe(true);
    expect(hasScope(['risk.*'], 'risk.admin')).toBe(true);
    expect(hasScope(['risk.*'], 'agents.read')).toBe(false);
    expect(hasScope(['risk.*'], 'admin')).toBe(false);
  });

  it('matches other scopes exactly', () => {
    expect(hasScope(['risk.read'], 'risk.read')).toBe(true);
    expect(hasScope(['risk.read'], 'risk.write')).toBe(false);
    expect(hasScope(['risk.read', 'queue.read'], 'queue.read')).toBe(true);
    expect(hasScope(['risk'], 'risk.read')).toBe(false);
  });
});

describe('assertTenantAccess', () => {
  it('defaults to the principal tenant', () => {
    expect(assertTenantAccess(principal(), undefined)).toBe('t1');
    expect(assertTenantAccess(principal(), 't1', 'write')).toBe('t1');
  });

  it('forbids another tenant to a non-admin', () => {
    expect(() => assertTenantAccess(principal(), 't2')).toThrow(ForbiddenError);
    expect(() =>
      assertTenantAccess(principal({ role: 'viewer' }), 't2', 'write'),
    ).toThrow(ForbiddenError);
  });

  it('allows another tenant to an admin', () => {
    expect(assertTenantAccess(principal({ role: 'admin' }), 't2')).toBe('t2');
  });

  it('lets a tenant-less key read all tenants or one tenant', () => {
    const global = principal({ tenantId: null });
    expect(assertTenantAccess(global, undefined)).toBeNull();
    expect(assertTenantAccess(global, 't9')).toBe('t9');
  });

  it('rejects a write with no tenant as a validation error', () => {
    const global = principal({ tenantId: null });
    expect(() => assertTenantAccess(global, null, 'write')).toThrow(
      ValidationError,
    );
  });
});

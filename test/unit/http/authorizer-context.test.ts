import { describe, expect, it } from 'vitest';
import {
  principalFromAuthorizer,
  toAuthorizerContext,
} from '../../../shared/http/authorizer-context.js';

describe('authorizer context', () => {
  it('round-trips a principal through strings only', () => {
    const principal = {
      actor: 'alice',
      tenantId: null,
      role: 'admin' as const,
      scopes: ['risk.*', 'queue.read'],
      keyId: 'abc',
    };
    const context = toAuthorizerContext(principal);
    expect(Object.values(context).every((v) => typeof v === 'string')).toBe(
      true,
    );
    expect(context.tenantId).toBe('');
    expect(principalFromAuthorizer(context)).toEqual(principal);
  });

  it('accepts comma-separated scopes and API Gateway extras', () => {
    expect(
      principalFromAuthorizer({
        actor: 'bob',
        tenantId: 't1',
        role: 'viewer',
        scopes: 'risk.read, queue.read',
        keyId: 'k',
        principalId: 'bob',
        integrationLatency: 3,
      }),
    ).toEqual({
      actor: 'bob',
      tenantId: 't1',
      role: 'viewer',
      scopes: ['risk.read', 'queue.read'],
      keyId: 'k',
    });
  });

  it('returns null for absent or malformed contexts', () => {
    expect(principalFromAuthorizer(undefined)).toBeNull();
    expect(principalFromAuthorizer(null)).toBeNull();
    expect(principalFromAuthorizer({ actor: 'x', keyId: 'k' })).toBeNull();
    expect(
      principalFromAuthorizer({ actor: 'x', keyId: 'k', role: 'root' }),
    ).toBeNull();
    expect(
      principalFromAuthorizer({
        actor: 'x',
        keyId: 'k',
        role: 'viewer',
        scopes: '[1,2]',
      }),
    ).toBeNull();
    expect(
      principalFromAuthorizer({
        actor: 'x',
        keyId: 'k',
        role: 'viewer',
        scopes: '[broken',
      }),
    ).toBeNull();
  });
});

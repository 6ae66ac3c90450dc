import { AUTH_ROLES, type Principal } from '../domain/auth/principal.js';
import type { Role } from '../ports/store.js';

/**
 * The principal as an API Gateway authorizer context: only strings survive
 * the trip, so a null tenant is '' and scopes are a JSON array string.
 */
export interface AuthorizerContext {
  [key: string]: string;
  actor: string;
  tenantId: string;
  role: Role;
  scopes: string;
  keyId: string;
}

/**
 * Flattens a principal for the authorizer response.
 * @example
 * toAuthorizerContext(principal).scopes; // '["risk.*"]'
 */
export function toAuthorizerContext(principal: Principal): AuthorizerContext {
  return {
    actor: principal.actor,
    tenantId: principal.tenantId ?? '',
    role: principal.role,
    scopes: JSON.stringify(principal.scopes),
    keyId: principal.keyId,
  };
}

function parseScopes(raw: unknown): string[] | null {
  if (Array.isArray(raw)) {
    return raw.every((s) => typeof s === 'string') ? raw : null;
  }
  if (typeof raw !== 'string') return raw === undefined ? [] : null;
  const trimmed = raw.trim();
  if (!trimmed.startsWith('[')) {
    return trimmed
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  try {
    return parseScopes(JSON.parse(trimmed));
  } catch {
    return null;
  }
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Rebuilds the principal from `event.requestContext.authorizer`. Scopes may
 * be a JSON array string or a comma-separated string.
 * @returns null when the context is absent or malformed (the router answers 401)
 * @example
 * principalFromAuthorizer(event.requestContext.authorizer);
 */
export function principalFromAuthorizer(raw: unknown): Principal | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const ctx = raw as Record<string, unknown>;
  const actor = str(ctx.actor);
  const keyId = str(ctx.keyId);
  const role = AUTH_ROLES.find((r) => r === ctx.role);
  const scopes = parseScopes(ctx.scopes);
  if (!actor || keyId === null || !role || scopes === null) return null;
  const tenant = str(ctx.tenantId);
  return {
    actor,
    tenantId:
      tenant === null || tenant === '' || tenant === 'null' ? null : tenant,
    role,
    scopes,
    keyId,
  };
}

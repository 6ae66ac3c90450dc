import type { APIGatewayProxyEvent } from 'aws-lambda';
import { checkRateLimit } from '../domain/auth/check-rate-limit.js';
import {
  hasScope,
  type Principal,
  roleAtLeast,
} from '../domain/auth/principal.js';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.js';
import { buildEvent, type EventType } from '../domain/event.js';
import type { Deps } from '../runtime/deps.js';
import { principalFromAuthorizer } from './authorizer-context.js';
import type { RouteInfo } from './routes.js';

/** Default per-tenant budget (reference: CONVERGE_RATE_LIMIT_RPM = 120). */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 120;

/** Where an access decision happened, for the audit event. */
export interface AccessSite {
  method: string;
  /** The resource template, e.g. `/v1/auth/keys/{keyId}`. */
  path: string;
  requestId: string;
  sourceIp: string | null;
}

/**
 * Appends `access.granted` or `access.denied` for a principal (or an
 * unidentified caller) at `site`.
 */
export async function recordAccess(
  deps: Pick<Deps, 'store' | 'clock' | 'ids'>,
  type: Extract<EventType, 'access.granted' | 'access.denied'>,
  principal: Principal | null,
  site: AccessSite,
  reason?: string,
): Promise<void> {
  await deps.store.events.append(
    buildEvent(
      {
        type,
        tenantId: principal?.tenantId ?? null,
        payload: {
          actor: principal?.actor ?? null,
          keyId: principal?.keyId ?? null,
          role: principal?.role ?? null,
          method: site.method,
          path: site.path,
          requestId: site.requestId,
          sourceIp: site.sourceIp,
          ...(reason === undefined ? {} : { reason }),
        },
      },
      deps.ids,
      deps.clock.nowIso(),
    ),
  );
}

/** An operator whose explicit scopes cover the route's scope. */
function grantedByScope(
  route: Pick<RouteInfo, 'scope' | 'scopeGrants'>,
  principal: Principal,
): boolean {
  return (
    route.scopeGrants &&
    route.scope !== null &&
    principal.scopes.length > 0 &&
    roleAtLeast(principal.role, 'operator') &&
    hasScope(principal.scopes, route.scope)
  );
}

function denialReason(
  route: Pick<RouteInfo, 'role' | 'scope' | 'scopeGrants'>,
  principal: Principal,
): string | null {
  const roleOk = !route.role || roleAtLeast(principal.role, route.role);
  if (!roleOk && !grantedByScope(route, principal)) {
    return `Requires role ${route.role}`;
  }
  if (route.scope && !hasScope(principal.scopes, route.scope)) {
    return `Missing scope: ${route.scope}`;
  }
  return null;
}

/**
 * Admits a request to a non-public route: principal from the authorizer
 * context (401 when absent), the per-tenant rate limit (429), then role and
 * scope (403, with `access.denied`). A granted non-GET appends
 * `access.granted`.
 * @throws UnauthorizedError, RateLimitedError, ForbiddenError
 */
export async function admit(
  deps: Deps,
  route: Pick<RouteInfo, 'method' | 'path' | 'role' | 'scope' | 'scopeGrants'>,
  event: APIGatewayProxyEvent,
  site: AccessSite,
  limitPerMinute: number,
): Promise<Principal> {
  const principal = principalFromAuthorizer(event.requestContext?.authorizer);
  if (!principal) {
    await recordAccess(deps, 'access.denied', null, site, 'No principal');
    throw new UnauthorizedError('Missing or invalid credentials');
  }
  const bucket = principal.tenantId
    ? `tenant:${principal.tenantId}`
    : `key:${principal.keyId}`;
  await checkRateLimit(deps, bucket, limitPerMinute);
  const reason = denialReason(route, principal);
  if (reason !== null) {
    await recordAccess(deps, 'access.denied', principal, site, reason);
    throw new ForbiddenError(reason);
  }
  if (route.method !== 'GET') {
    await recordAccess(deps, 'access.granted', principal, site);
  }
  return principal;
}

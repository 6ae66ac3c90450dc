import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
} from 'aws-lambda';
import type { Principal } from '../domain/auth/principal.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { type Deps, getDeps } from '../runtime/deps.js';
import {
  type AccessSite,
  admit,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  recordAccess,
} from './access-control.js';
import { httpErrors, requestIdOf } from './http-errors.js';
import { httpMetrics } from './http-metrics.js';
import { type Observability, observability, observed } from './lambda-stack.js';
import { readRequest } from './request-input.js';
import { RouteResolver } from './route-match.js';
import type { HttpResponse, RouteContext, RouteDef } from './routes.js';

/** A Lambda handler for API Gateway REST proxy events. */
export type HttpLambdaHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

/** Options of `httpHandler`. */
export interface HttpHandlerOptions extends Partial<Observability> {
  /** Where the deps come from (default: `getDeps` of shared/runtime). */
  deps?: () => Promise<Deps>;
  /** Per-tenant requests per minute on non-public routes (default 120). */
  rateLimitPerMinute?: number;
}

interface Matched {
  route: RouteDef;
  pathParameters: Record<string, string>;
}

function definedOnly(
  params: Record<string, string | undefined> | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function routeFinder(table: readonly RouteDef[]) {
  const byResource = new Map(table.map((r) => [`${r.method} ${r.path}`, r]));
  const resolver = new RouteResolver(table);
  return (event: APIGatewayProxyEvent): Matched => {
    const exact = byResource.get(`${event.httpMethod} ${event.resource}`);
    if (exact) {
      return {
        route: exact,
        pathParameters: definedOnly(event.pathParameters),
      };
    }
    const found = resolver.resolve(event.httpMethod, event.path ?? '');
    if (found.kind !== 'found') {
      throw new NotFoundError(`No route for ${event.httpMethod} ${event.path}`);
    }
    return found;
  };
}

async function runRoute(
  route: RouteDef,
  ctx: RouteContext<unknown, unknown, unknown, Principal | null>,
  deps: Deps,
  site: AccessSite,
): Promise<HttpResponse> {
  try {
    return await route.handle(ctx, deps);
  } catch (error) {
    // Tenant checks happen in the domain; audit those denials here too.
    if (error instanceof ForbiddenError) {
      await recordAccess(
        deps,
        'access.denied',
        ctx.principal,
        site,
        error.message,
      );
    }
    throw error;
  }
}

function withRequestId(
  response: HttpResponse,
  requestId: string,
): HttpResponse {
  return {
    ...response,
    headers: { ...response.headers, 'x-request-id': requestId },
  };
}

/** The route key of an event (`GET /v1/intents/{id}`), else `unmatched`. */
function routeLabel(findRoute: (event: APIGatewayProxyEvent) => Matched) {
  return (event: APIGatewayProxyEvent): string => {
    try {
      const { route } = findRoute(event);
      return `${route.method} ${route.path}`;
    } catch {
      return 'unmatched';
    }
  };
}

/**
 * Builds the Lambda handler of one route table, with the shared middy stack
 * built once: tracer, logger, metrics, `httpMetrics` (request counts and
 * latency into `deps.metrics`) and `httpErrors` (attached last, so it maps
 * errors first). Per request it matches `httpMethod` + `resource`
 * (or the raw path), admits the caller (principal, rate limit, role, scope),
 * decodes and validates the input, runs the callback, and adds
 * `x-request-id`.
 * @example
 * export const routes: readonly RouteDef[] = [
 *   route('GET /v1/auth/whoami', { scope: 'intents.read' },
 *     async ({ principal }) => ok(presentPrincipal(principal))),
 * ];
 * export const handler = httpHandler(routes);
 */
export function httpHandler(
  table: readonly RouteDef[],
  options: HttpHandlerOptions = {},
): HttpLambdaHandler {
  const obs = observability(options);
  const findRoute = routeFinder(table);
  const loadDeps = options.deps ?? getDeps;
  const dispatch = async (
    event: APIGatewayProxyEvent,
    context: Context,
  ): Promise<APIGatewayProxyResult> => {
    const requestId = requestIdOf(event, context);
    const { route, pathParameters } = findRoute(event);
    const deps = await loadDeps();
    const site: AccessSite = {
      method: route.method,
      path: route.path,
      requestId,
      sourceIp: event.requestContext?.identity?.sourceIp ?? null,
    };
    const limit =
      options.rateLimitPerMinute ??
      deps.env?.CONVERGE_RATE_LIMIT_RPM ??
      DEFAULT_RATE_LIMIT_PER_MINUTE;
    const principal = route.public
      ? null
      : await admit(deps, route, event, site, limit);
    if (principal) {
      obs.logger.appendKeys({
        tenant: principal.tenantId,
        actor: principal.actor,
      });
    }
    const input = readRequest(route, event, pathParameters);
    const ctx = { ...input, principal, requestId, event };
    return withRequestId(await runRoute(route, ctx, deps, site), requestId);
  };
  const counted = httpMetrics({
    sink: async () => (await loadDeps()).metrics,
    routeOf: routeLabel(findRoute),
  });
  return observed(dispatch, obs).use(counted).use(httpErrors(obs));
}

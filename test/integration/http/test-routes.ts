import { z } from 'zod';
import { assertTenantAccess } from '../../../shared/domain/auth/principal.js';
import { ok } from '../../../shared/http/responses.js';
import { type RouteDef, route } from '../../../shared/http/routes.js';

/** A tiny route table that exercises scopes, tenancy and failures. */
export const testRoutes: readonly RouteDef[] = [
  route('GET /v1/test/risk', { scope: 'risk.read' }, async ({ principal }) =>
    ok({ actor: principal.actor }),
  ),
  route(
    'POST /v1/test/tenants/{tenantId}/things',
    {
      path: z.object({ tenantId: z.string().min(1) }).strict(),
      body: z.object({ name: z.string() }).strict(),
    },
    async ({ principal, path }) =>
      ok({ tenantId: assertTenantAccess(principal, path.tenantId, 'write') }),
  ),
  route(
    'POST /v1/test/things',
    { body: z.object({ tenant_id: z.string().optional() }).strict() },
    async ({ principal, body }) =>
      ok({ tenantId: assertTenantAccess(principal, body.tenant_id, 'write') }),
  ),
  route('GET /v1/test/echo/{name}', { public: true }, async ({ event }) =>
    ok({
      resource: event.resource,
      path: event.path,
      pathParameters: event.pathParameters,
      query: event.multiValueQueryStringParameters,
      header: event.headers['X-Custom-Header'] ?? null,
      multiHeader: event.multiValueHeaders['X-Custom-Header'] ?? null,
      stage: event.requestContext.stage,
      authorizer: event.requestContext.authorizer ?? null,
    }),
  ),
  route(
    'POST /v1/test/raw',
    { public: true, rawBody: true },
    async ({ event, rawBody }) =>
      ok({ base64: event.isBase64Encoded, length: rawBody.length }),
  ),
  route('GET /v1/test/slow', {}, () => new Promise(() => undefined)),
  route('GET /v1/test/crash', {}, async () => {
    throw new Error('password=hunter2 at db.ts:42');
  }),
];

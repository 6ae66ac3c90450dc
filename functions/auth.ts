import * as z from 'zod';
import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from '../shared/domain/auth/manage-api-keys.js';
import {
  AUTH_ROLES,
  assertTenantAccess,
} from '../shared/domain/auth/principal.js';
import {
  GRACE_MAX_SECONDS,
  GRACE_MIN_SECONDS,
  rotateApiKey,
} from '../shared/domain/auth/rotate-api-key.js';
import {
  presentKey,
  presentPrincipal,
  presentRotation,
} from '../shared/http/auth-presenters.js';
import { created, noContent, ok } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import { Id } from '../shared/http/schemas/common.js';

const RotateBody = z
  .object({
    grace_period_seconds: z
      .number()
      .int()
      .min(GRACE_MIN_SECONDS)
      .max(GRACE_MAX_SECONDS)
      .optional(),
  })
  .strict();

const Scope = z.string().regex(/^(\*|[a-z][a-z0-9_-]*(\.([a-z0-9_-]+|\*))?)$/);

const CreateKeyBody = z
  .object({
    actor: z.string().min(1).max(200),
    role: z.enum(AUTH_ROLES),
    tenant_id: Id.nullable().optional(),
    scopes: z.array(Scope).max(50).optional(),
    expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();

const KeysQuery = z.object({ tenant_id: Id.optional() }).strict();

const KeyPath = z.object({ keyId: z.string().min(1).max(64) }).strict();

/**
 * The route table: the local stack, the OpenAPI generator and the CDK stack
 * read it; `handler` serves it.
 */
export const routes: readonly RouteDef[] = [
  route(
    'GET /v1/auth/whoami',
    { scope: 'intents.read', summary: 'The calling principal' },
    async ({ principal }) => ok(presentPrincipal(principal)),
  ),
  route(
    'POST /v1/auth/keys/rotate',
    {
      role: 'admin',
      scope: 'admin',
      body: RotateBody,
      summary: 'Rotate the calling key',
    },
    async ({ principal, body }, deps) => {
      const grace = body.grace_period_seconds;
      return ok(presentRotation(await rotateApiKey(deps, principal, grace)));
    },
  ),
  route(
    'POST /v1/auth/keys',
    {
      role: 'admin',
      scope: 'admin',
      body: CreateKeyBody,
      summary: 'Create an API key',
    },
    async ({ principal, body }, deps) => {
      const issued = await createApiKey(deps, {
        actor: body.actor,
        role: body.role,
        tenantId:
          body.tenant_id === undefined ? principal.tenantId : body.tenant_id,
        scopes: body.scopes ?? [],
        expiresAt: body.expires_at ?? null,
        createdBy: principal.actor,
      });
      return created(presentKey(issued));
    },
  ),
  route(
    'GET /v1/auth/keys',
    {
      role: 'admin',
      scope: 'admin',
      query: KeysQuery,
      summary: 'List API keys',
    },
    async ({ principal, query }, deps) => {
      const tenantId = assertTenantAccess(principal, query.tenant_id);
      const keys = await listApiKeys(deps, tenantId ?? undefined);
      return ok({ items: keys.map(presentKey) });
    },
  ),
  route(
    'DELETE /v1/auth/keys/{keyId}',
    {
      role: 'admin',
      scope: 'admin',
      path: KeyPath,
      summary: 'Revoke an API key',
    },
    async ({ principal, path }, deps) => {
      await revokeApiKey(deps, path.keyId, principal.actor);
      return noContent();
    },
  ),
];

/** Lambda entry of the auth routes. */
export const handler = httpHandler(routes);

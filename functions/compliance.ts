import * as z from 'zod';
import { assertTenantAccess } from '../shared/domain/auth/principal.js';
import {
  complianceAlerts,
  listComplianceThresholds,
  recentEvents,
  setComplianceThresholds,
  tenantCompliance,
  tenantScope,
  writeTenant,
} from '../shared/domain/projections/index.js';
import { presentEvent } from '../shared/http/presenters.js';
import { ok } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import { defined, Id } from '../shared/http/schemas/common.js';
import { useCloudPorts } from '../shared/runtime/deps.js';
import { sqsBus } from '../shared/runtime/sqs-bus-port.js';

const Rate = z.number().min(0).max(1).optional();
const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();

const TenantQuery = z.object({ tenant_id: Id.optional() }).strict();
const HistoryQuery = z
  .object({
    tenant_id: Id.optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();

const ThresholdsBody = z
  .object({
    tenant_id: Id.optional(),
    min_mergeable_rate: Rate,
    max_conflict_rate: Rate,
    max_retries_total: Count,
    max_queue_tracked: Count,
  })
  .strict();

/** Compliance report, alerts and per-tenant thresholds (reference §4, §7). */
export const routes: readonly RouteDef[] = [
  route(
    'GET /v1/compliance/report',
    {
      query: TenantQuery,
      scope: 'compliance.read',
      summary: 'Compliance report',
    },
    async ({ query, principal }, deps) =>
      ok(
        await tenantCompliance(
          deps,
          assertTenantAccess(principal, query.tenant_id),
        ),
      ),
  ),
  route(
    'GET /v1/compliance/alerts',
    {
      query: TenantQuery,
      scope: 'compliance.read',
      summary: 'Failed compliance checks',
    },
    async ({ query, principal }, deps) =>
      ok(
        await complianceAlerts(
          deps,
          assertTenantAccess(principal, query.tenant_id),
        ),
      ),
  ),
  route(
    'GET /v1/compliance/thresholds',
    {
      query: TenantQuery,
      scope: 'compliance.read',
      summary: 'Stored tenant thresholds',
    },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      return ok({ items: await listComplianceThresholds(deps.store, tenant) });
    },
  ),
  route(
    'GET /v1/compliance/thresholds/history',
    {
      query: HistoryQuery,
      role: 'operator',
      scope: 'compliance.read',
      summary: 'Recent threshold changes',
    },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      const filter = {
        type: 'compliance.thresholds_updated' as const,
        ...tenantScope(tenant),
      };
      const events = await recentEvents(deps.store, filter, query.limit ?? 50);
      return ok({ items: events.map(presentEvent) });
    },
  ),
  route(
    'POST /v1/compliance/thresholds',
    {
      body: ThresholdsBody,
      role: 'admin',
      scope: 'compliance.write',
      scopeGrants: true,
      summary: 'Set tenant thresholds',
    },
    async ({ body, principal }, deps) => {
      const { tenant_id, ...changes } = body;
      const tenantId = writeTenant(principal, tenant_id);
      const input = { tenantId, changes: defined(changes) };
      return ok(
        await setComplianceThresholds(deps, {
          ...input,
          actor: principal.actor,
        }),
      );
    },
  ),
];

/** Lambda entry of the compliance routes. */
export const handler = httpHandler(routes);

// Lambda: the SQS bus (QUEUE_URL); built on first use.
useCloudPorts({ bus: sqsBus });

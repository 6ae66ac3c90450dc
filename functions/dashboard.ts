import * as z from 'zod';
import { assertTenantAccess } from '../shared/domain/auth/principal.js';
import {
  changeHealth,
  changeHealthTrend,
  dashboard,
  dashboardAlerts,
  entropyTrend,
  healthTrend,
  intentTenant,
  predictHealth,
  repoHealth,
} from '../shared/domain/projections/index.js';
import { ok } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import { Id } from '../shared/http/schemas/common.js';

const Days = z.coerce.number().int().min(1).max(365).optional();
const TenantQuery = z.object({ tenant_id: Id.optional() }).strict();
const TrendQuery = z.object({ tenant_id: Id.optional(), days: Days }).strict();
const DashboardQuery = z
  .object({ tenant_id: Id.optional(), risk_trend_days: Days })
  .strict();
const ChangeQuery = z.object({ intent_id: Id }).strict();
const ChangeTrendQuery = z
  .object({ tenant_id: Id.optional(), intent_id: Id.optional(), days: Days })
  .strict();
const PredictQuery = z
  .object({
    tenant_id: Id.optional(),
    horizon_days: z.coerce.number().int().min(1).max(90).optional(),
  })
  .strict();

const READ = { scope: 'intents.read' } as const;

/** Dashboard, repository and change health, trends and the forecast. */
export const routes: readonly RouteDef[] = [
  route(
    'GET /v1/dashboard',
    { ...READ, query: DashboardQuery, summary: 'Every dashboard section' },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      return ok(await dashboard(deps, tenant, query.risk_trend_days ?? 30));
    },
  ),
  route(
    'GET /v1/dashboard/alerts',
    {
      query: TenantQuery,
      scope: 'compliance.read',
      summary: 'Compliance alerts and predicted issues',
    },
    async ({ query, principal }, deps) =>
      ok(
        await dashboardAlerts(
          deps,
          assertTenantAccess(principal, query.tenant_id),
        ),
      ),
  ),
  route(
    'GET /v1/health/repo/now',
    { ...READ, query: TenantQuery, summary: 'Repository health now' },
    async ({ query, principal }, deps) =>
      ok(
        await repoHealth(deps, assertTenantAccess(principal, query.tenant_id)),
      ),
  ),
  route(
    'GET /v1/health/repo/trend',
    { ...READ, query: TrendQuery, summary: 'Health snapshots over days' },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      const days = query.days ?? 30;
      return ok({ days, items: await healthTrend(deps, tenant, days) });
    },
  ),
  route(
    'GET /v1/health/change',
    { ...READ, query: ChangeQuery, summary: 'Health of one change' },
    async ({ query, principal }, deps) => {
      const tenant = await intentTenant(deps, principal, query.intent_id);
      return ok(await changeHealth(deps, query.intent_id, tenant));
    },
  ),
  route(
    'GET /v1/health/change/trend',
    { ...READ, query: ChangeTrendQuery, summary: 'Change health over days' },
    async ({ query, principal }, deps) => {
      const tenant = query.intent_id
        ? await intentTenant(deps, principal, query.intent_id)
        : assertTenantAccess(principal, query.tenant_id);
      const days = query.days ?? 30;
      const items = await changeHealthTrend(
        deps,
        tenant,
        days,
        query.intent_id,
      );
      return ok({ days, items });
    },
  ),
  route(
    'GET /v1/health/entropy/trend',
    { ...READ, query: TrendQuery, summary: 'Entropy over days' },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      const days = query.days ?? 30;
      return ok({ days, items: await entropyTrend(deps, tenant, days) });
    },
  ),
  route(
    'GET /v1/health/predict',
    { ...READ, query: PredictQuery, summary: 'Health forecast' },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      return ok(await predictHealth(deps, tenant, query.horizon_days ?? 7));
    },
  ),
];

/** Lambda entry of the dashboard and health projection routes. */
export const handler = httpHandler(routes);

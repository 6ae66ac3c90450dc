import * as z from 'zod';
import { assertTenantAccess } from '../shared/domain/auth/principal.js';
import { RISK_GATE_MODES } from '../shared/domain/policy/index.js';
import {
  impactEdges,
  intentTenant,
  listRiskPolicies,
  recentDiagnostics,
  recentEvents,
  riskGateReport,
  riskReview,
  riskShadow,
  runCalibration,
  setRiskPolicy,
  tenantScope,
  writeTenant,
} from '../shared/domain/projections/index.js';
import { presentEvent, presentIntent } from '../shared/http/presenters.js';
import { ok } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import { defined, Id } from '../shared/http/schemas/common.js';
import { useCloudPorts } from '../shared/runtime/deps.js';
import { sqsBus } from '../shared/runtime/sqs-bus-port.js';

const Limit = z.coerce.number().int().min(1).max(1000).optional();
const Score = z.number().min(0).max(100).optional();
const TenantQuery = z.object({ tenant_id: Id.optional() }).strict();
const IntentQuery = z.object({ intent_id: Id }).strict();
const RecentQuery = z
  .object({ tenant_id: Id.optional(), intent_id: Id.optional(), limit: Limit })
  .strict();

const RiskPolicyBody = z
  .object({
    tenant_id: Id.optional(),
    max_risk_score: Score,
    max_damage_score: Score,
    max_propagation_score: Score,
    mode: z.enum(RISK_GATE_MODES).optional(),
    enforce_ratio: z.number().min(0).max(1).optional(),
  })
  .strict();

const ShadowBody = z.object({ intent_id: Id }).strict();
const CalibrateBody = z
  .object({ tenant_id: Id.optional(), apply: z.boolean().optional() })
  .strict();

/** Recent events of one type, in the caller's tenant scope. */
function recentRoute(
  key: `GET /${string}`,
  type: 'risk.evaluated' | 'risk.shadow_evaluated' | 'policy.evaluated',
  scope: string,
  summary: string,
): RouteDef {
  return route(
    key,
    { query: RecentQuery, scope, summary },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      const filter = {
        type,
        ...tenantScope(tenant),
        ...defined({ intentId: query.intent_id }),
      };
      const events = await recentEvents(deps.store, filter, query.limit ?? 50);
      return ok({ items: events.map(presentEvent) });
    },
  );
}

/** Risk, shadow gate, tenant risk policy, diagnostics and calibration. */
export const routes: readonly RouteDef[] = [
  recentRoute(
    'GET /v1/risk/recent',
    'risk.evaluated',
    'risk.read',
    'Recent risk evaluations',
  ),
  recentRoute(
    'GET /v1/risk/shadow/recent',
    'risk.shadow_evaluated',
    'risk.read',
    'Recent shadow evaluations',
  ),
  recentRoute(
    'GET /v1/policy/recent',
    'policy.evaluated',
    'events.read',
    'Recent policy evaluations',
  ),
  route(
    'GET /v1/risk/review',
    {
      query: IntentQuery,
      scope: 'risk.read',
      summary: 'Risk review of one intent',
    },
    async ({ query, principal }, deps) => {
      const tenant = await intentTenant(deps, principal, query.intent_id);
      const review = await riskReview(deps, query.intent_id, tenant);
      return ok({
        ...review,
        intent: presentIntent(review.intent),
        history: review.history.map(presentEvent),
      });
    },
  ),
  route(
    'GET /v1/risk/gate/report',
    {
      query: TenantQuery,
      scope: 'risk.read',
      summary: 'Policy gate block rate',
    },
    async ({ query, principal }, deps) =>
      ok(
        await riskGateReport(
          deps,
          assertTenantAccess(principal, query.tenant_id),
        ),
      ),
  ),
  route(
    'GET /v1/risk/policy',
    { query: TenantQuery, scope: 'risk.read', summary: 'Tenant risk policies' },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      return ok({ items: await listRiskPolicies(deps, tenant) });
    },
  ),
  route(
    'POST /v1/risk/policy',
    {
      body: RiskPolicyBody,
      role: 'admin',
      scope: 'risk.write',
      scopeGrants: true,
      summary: 'Set a tenant risk policy',
    },
    async ({ body, principal }, deps) => {
      const { tenant_id, ...changes } = body;
      const tenantId = writeTenant(principal, tenant_id);
      const actor = principal.actor;
      return ok(
        await setRiskPolicy(deps, {
          tenantId,
          changes: defined(changes),
          actor,
        }),
      );
    },
  ),
  route(
    'POST /v1/risk/shadow',
    {
      body: ShadowBody,
      role: 'operator',
      scope: 'risk.write',
      summary: 'Shadow-evaluate the risk gate',
    },
    async ({ body, principal }, deps) => {
      const tenantId = await intentTenant(deps, principal, body.intent_id);
      const input = {
        intentId: body.intent_id,
        tenantId,
        actor: principal.actor,
      };
      return ok(await riskShadow(deps, input));
    },
  ),
  route(
    'GET /v1/impact/edges',
    {
      query: IntentQuery,
      scope: 'risk.read',
      summary: 'Impact edges of the latest risk evaluation',
    },
    async ({ query, principal }, deps) => {
      const tenant = await intentTenant(deps, principal, query.intent_id);
      return ok(await impactEdges(deps, query.intent_id, tenant));
    },
  ),
  route(
    'GET /v1/diagnostics/recent',
    {
      query: RecentQuery,
      scope: 'risk.read',
      summary: 'Diagnostics of recent risk evaluations',
    },
    async ({ query, principal }, deps) => {
      const tenant = query.intent_id
        ? await intentTenant(deps, principal, query.intent_id)
        : assertTenantAccess(principal, query.tenant_id);
      const options = defined({
        intentId: query.intent_id,
        limit: query.limit,
      });
      return ok({ items: await recentDiagnostics(deps, tenant, options) });
    },
  ),
  route(
    'POST /v1/policy/calibrate',
    {
      body: CalibrateBody,
      role: 'admin',
      scope: 'risk.write',
      scopeGrants: true,
      summary: 'Calibrate entropy budgets',
    },
    async ({ body, principal }, deps) => {
      const apply = body.apply === true;
      const tenantId = assertTenantAccess(
        principal,
        body.tenant_id,
        apply ? 'write' : 'read',
      );
      return ok(
        await runCalibration(deps, { tenantId, apply, actor: principal.actor }),
      );
    },
  ),
];

/** Lambda entry of the risk routes. */
export const handler = httpHandler(routes);

// Lambda: the SQS bus (QUEUE_URL); built on first use.
useCloudPorts({ bus: sqsBus });

import * as z from 'zod';
import { assertTenantAccess } from '../shared/domain/auth/principal.js';
import { BLAST_SEVERITIES } from '../shared/domain/policy/index.js';
import {
  agentPerformance,
  authorizeAgentAction,
  listAgentPolicies,
  setAgentPolicy,
  writeTenant,
} from '../shared/domain/projections/index.js';
import { ok } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import { defined, Id } from '../shared/http/schemas/common.js';
import { useCloudPorts } from '../shared/runtime/deps.js';
import { sqsBus } from '../shared/runtime/sqs-bus-port.js';

const Atl = z.number().int().min(0).max(3);
const Score = z.number().min(0).max(100);
const Coverage = z.number().min(0).max(1);
const Severity = z.enum(BLAST_SEVERITIES);
const Action = z.string().min(1).max(100);

const ActionLimits = z
  .object({
    max_risk_score: Score.optional(),
    max_blast_severity: Severity.optional(),
    min_test_coverage: Coverage.optional(),
    min_atl: Atl.optional(),
  })
  .strict()
  .transform(defined);

const PolicyBody = z
  .object({
    agent_id: Id,
    tenant_id: Id.optional(),
    atl: Atl.optional(),
    max_risk_score: Score.optional(),
    max_blast_severity: Severity.optional(),
    min_test_coverage: Coverage.optional(),
    require_compliance_pass: z.boolean().optional(),
    require_human_approval: z.boolean().optional(),
    require_dual_approval_on_critical: z.boolean().optional(),
    allow_actions: z.array(Action).max(50).optional(),
    action_overrides: z.record(Action, ActionLimits).optional(),
    expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();

const PolicyQuery = z
  .object({ tenant_id: Id.optional(), agent_id: Id.optional() })
  .strict();

const AuthorizeBody = z
  .object({
    agent_id: Id,
    action: Action,
    intent_id: Id,
    tenant_id: Id.optional(),
    human_approvals: z.number().int().min(0).max(1000).optional(),
    test_coverage: Coverage.optional(),
  })
  .strict();

const PerformanceQuery = z
  .object({ agent_id: Id, tenant_id: Id.optional() })
  .strict();

/** Agent policies, authorization and performance (reference §4). */
export const routes: readonly RouteDef[] = [
  route(
    'GET /v1/agent/policy',
    { query: PolicyQuery, scope: 'agents.read', summary: 'Agent policies' },
    async ({ query, principal }, deps) => {
      const tenantId = assertTenantAccess(principal, query.tenant_id);
      const filter = { tenantId, ...defined({ agentId: query.agent_id }) };
      return ok({ items: await listAgentPolicies(deps, filter) });
    },
  ),
  route(
    'POST /v1/agent/policy',
    {
      body: PolicyBody,
      role: 'admin',
      scope: 'agents.write',
      scopeGrants: true,
      summary: 'Set an agent policy',
    },
    async ({ body, principal }, deps) => {
      const tenantId = writeTenant(principal, body.tenant_id);
      const policy = { ...defined(body), tenant_id: tenantId };
      return ok(await setAgentPolicy(deps, { policy, actor: principal.actor }));
    },
  ),
  route(
    'POST /v1/agent/authorize',
    {
      body: AuthorizeBody,
      role: 'admin',
      scope: 'agents.admin',
      summary: 'May this agent do this action on this intent?',
    },
    async ({ body, principal }, deps) =>
      ok(
        await authorizeAgentAction(deps, {
          agentId: body.agent_id,
          action: body.action,
          intentId: body.intent_id,
          tenantId: body.tenant_id ?? null,
          actor: principal.actor,
          ...defined({
            humanApprovals: body.human_approvals,
            testCoverage: body.test_coverage,
          }),
        }),
      ),
  ),
  route(
    'GET /v1/agent/performance',
    {
      query: PerformanceQuery,
      scope: 'agents.read',
      summary: 'Success rate and trust of an agent',
    },
    async ({ query, principal }, deps) => {
      const tenantId = assertTenantAccess(principal, query.tenant_id);
      return ok(await agentPerformance(deps, query.agent_id, tenantId));
    },
  ),
];

/** Lambda entry of the agent routes. */
export const handler = httpHandler(routes);

// Lambda: the SQS bus (QUEUE_URL); built on first use.
useCloudPorts({ bus: sqsBus });

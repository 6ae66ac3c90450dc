import type { StoredAgentPolicy } from '../../ports/store.js';
import { buildEvent } from '../event.js';
import type { JsonObject } from '../intent.js';
import {
  type AgentAuthorization,
  type AgentPolicy,
  type AgentPolicyInput,
  authorizeAgent,
  buildAgentPolicy,
} from '../policy/index.js';
import { tenantCompliance } from './compliance.js';
import { latestEvent, type WriteDeps } from './event-reader.js';
import { riskScores } from './risk-payload.js';

/** A stored agent policy as the API shows it. */
export type AgentPolicyView = AgentPolicy & {
  version: number;
  updated_at: string;
};

function view(row: StoredAgentPolicy): AgentPolicyView {
  const tenantId = row.tenantId === '' ? null : row.tenantId;
  return {
    ...buildAgentPolicy({
      ...row.data,
      agent_id: row.agentId,
      tenant_id: tenantId,
    }),
    version: row.version,
    updated_at: row.updatedAt,
  };
}

/**
 * Stored agent policies: of one tenant (its own rows), or all (null); with
 * an agent id, only that agent's effective policy (tenant row first, then
 * the any-tenant row).
 */
export async function listAgentPolicies(
  deps: Pick<WriteDeps, 'store'>,
  filter: { tenantId: string | null; agentId?: string },
): Promise<AgentPolicyView[]> {
  const { store } = deps;
  if (filter.agentId !== undefined) {
    const one = await store.policies.getAgentPolicy(
      filter.agentId,
      filter.tenantId,
    );
    return one ? [view(one)] : [];
  }
  const rows = await store.policies.listAgentPolicies(
    filter.tenantId ?? undefined,
  );
  return rows.map(view);
}

/**
 * Saves an agent policy (fields over the defaults, ranges checked: ATL
 * 0..3, coverage 0..1) and appends `agent.policy_updated`.
 * @throws ValidationError listing every bad field.
 */
export async function setAgentPolicy(
  deps: WriteDeps,
  input: { policy: AgentPolicyInput; actor: string },
): Promise<AgentPolicyView> {
  const policy = buildAgentPolicy(input.policy);
  const data = JSON.parse(JSON.stringify(policy)) as JsonObject;
  const saved = await deps.store.policies.upsertAgentPolicy(
    policy.agent_id,
    policy.tenant_id,
    data,
  );
  await deps.store.events.append(
    buildEvent(
      {
        type: 'agent.policy_updated',
        agentId: policy.agent_id,
        tenantId: policy.tenant_id,
        payload: { ...data, version: saved.version, actor: input.actor },
      },
      deps.ids,
      deps.clock.nowIso(),
    ),
  );
  return { ...policy, version: saved.version, updated_at: saved.updatedAt };
}

/** What an authorization request names. */
export interface AuthorizeRequest {
  agentId: string;
  action: string;
  intentId: string;
  tenantId: string | null;
  humanApprovals?: number;
  testCoverage?: number;
  actor: string;
}

/**
 * Authorizes an agent's action on an intent against its stored policy
 * (default-deny without one), the intent's latest risk evaluation and its
 * tenant's compliance, and appends `agent.authorized`.
 * @throws ValidationError on a bad approvals count or coverage.
 */
export async function authorizeAgentAction(
  deps: WriteDeps,
  request: AuthorizeRequest,
): Promise<AgentAuthorization> {
  const { store } = deps;
  const intent = await store.intents.get(request.intentId);
  const tenantId = request.tenantId ?? intent?.tenantId ?? null;
  const [stored, risk, compliance] = await Promise.all([
    store.policies.getAgentPolicy(request.agentId, tenantId),
    latestEvent(store, { type: 'risk.evaluated', intentId: request.intentId }),
    intent ? tenantCompliance(deps, tenantId) : null,
  ]);
  const scores = risk ? riskScores(risk.payload) : null;
  const result = authorizeAgent({
    agentId: request.agentId,
    tenantId,
    action: request.action,
    intentId: request.intentId,
    policy: stored ? view(stored) : null,
    now: deps.clock.nowIso(),
    humanApprovals: request.humanApprovals,
    testCoverage: request.testCoverage,
    intent: intent ? { risk_level: intent.riskLevel } : null,
    risk: scores
      ? { risk_score: scores.riskScore, damage_score: scores.damageScore }
      : null,
    compliancePassed: compliance?.passed,
  });
  await store.events.append(
    buildEvent(
      {
        type: 'agent.authorized',
        intentId: request.intentId,
        agentId: request.agentId,
        tenantId,
        payload: {
          ...(JSON.parse(JSON.stringify(result)) as JsonObject),
          actor: request.actor,
        },
      },
      deps.ids,
      deps.clock.nowIso(),
    ),
  );
  return result;
}

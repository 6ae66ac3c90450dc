import { buildEvent } from '../event.js';
import type { Intent } from '../intent.js';
import {
  type AgentAuthorization,
  type AgentPolicy,
  authorizeAgent,
  buildAgentPolicy,
} from '../policy/index.js';
import type { RiskEvaluation } from '../risk/index.js';
import type { EngineDeps } from './engine-deps.js';

/** The agent behind an agent-origin intent. */
export function agentIdOf(intent: Intent): string {
  const id = intent.technical.agent_id;
  return typeof id === 'string' && id !== '' ? id : intent.createdBy;
}

/**
 * Authorizes the merge of an agent-origin intent against the agent's policy
 * (DECISIONS 10) and appends agent.authorized. Other origins need nothing.
 */
export async function authorizeAgentMerge(
  deps: EngineDeps,
  intent: Intent,
  risk: RiskEvaluation | undefined,
  traceId: string,
): Promise<AgentAuthorization | null> {
  if (intent.originType !== 'agent') return null;
  const agentId = agentIdOf(intent);
  const stored = await deps.store.policies.getAgentPolicy(
    agentId,
    intent.tenantId,
  );
  const policy: AgentPolicy | null = stored
    ? buildAgentPolicy({ ...stored.data, agent_id: agentId })
    : null;
  const approvals = intent.technical.human_approvals;
  const result = authorizeAgent({
    agentId,
    tenantId: intent.tenantId,
    action: 'merge',
    intentId: intent.id,
    policy,
    now: deps.clock.nowIso(),
    humanApprovals: typeof approvals === 'number' ? approvals : 0,
    intent: { risk_level: intent.riskLevel },
    risk: risk
      ? { risk_score: risk.riskScore, damage_score: risk.damageScore }
      : null,
  });
  const event = buildEvent(
    {
      type: 'agent.authorized',
      traceId,
      intentId: intent.id,
      agentId,
      tenantId: intent.tenantId,
      payload: JSON.parse(JSON.stringify(result)),
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  await deps.store.events.append(event);
  return result;
}

import { agentIdOf } from '../engine/agent-gate.js';
import { allIntents } from '../engine/queue-admin.js';
import type { ConvergeEvent, EventType } from '../event.js';
import { roundHalfEven } from '../risk/rounding.js';
import { type ReadDeps, readEvents, tenantScope } from './event-reader.js';
import { round1 } from './health-score.js';

/** How an agent's changes fare (reference §7 `agent_performance`). */
export interface AgentPerformance {
  agent_id: string;
  tenant_id: string | null;
  intents: number;
  merged: number;
  rejected: number;
  blocked: number;
  /** merged / (merged + rejected + blocked); 0 with no decisions. */
  success_rate: number;
  /** min(100, 100 success + min(merged, 50)). */
  trust_score: number;
  authorizations: { allowed: number; denied: number };
}

/** The success rate and trust score from decision counts, pure. */
export function agentScores(counts: {
  merged: number;
  rejected: number;
  blocked: number;
}): { success_rate: number; trust_score: number } {
  const decisions = counts.merged + counts.rejected + counts.blocked;
  const success = decisions > 0 ? counts.merged / decisions : 0;
  return {
    success_rate: roundHalfEven(success, 3),
    trust_score: round1(
      Math.min(100, 100 * success + Math.min(counts.merged, 50)),
    ),
  };
}

/**
 * Decisions on an agent's work: events carrying its `agent_id`, and the
 * events of intents it originated (engine events carry no agent id, which
 * left the original's figure always empty). Appends nothing.
 */
export async function agentPerformance(
  deps: ReadDeps,
  agentId: string,
  tenantId: string | null,
): Promise<AgentPerformance> {
  const scope = tenantScope(tenantId);
  const intents = (await allIntents(deps.store, tenantId)).filter(
    (i) => i.originType === 'agent' && agentIdOf(i) === agentId,
  );
  const ids = new Set(intents.map((i) => i.id));
  const mine = (e: ConvergeEvent) =>
    e.agentId === agentId || (e.intentId !== null && ids.has(e.intentId));
  const count = async (type: EventType) =>
    (await readEvents(deps.store, { type, ...scope })).filter(mine).length;
  const [merged, rejected, blocked, auths] = await Promise.all([
    count('intent.merged'),
    count('intent.rejected'),
    count('intent.blocked'),
    readEvents(deps.store, { type: 'agent.authorized', agentId, ...scope }),
  ]);
  const allowed = auths.filter((e) => e.payload.allowed === true).length;
  return {
    agent_id: agentId,
    tenant_id: tenantId,
    intents: intents.length,
    merged,
    rejected,
    blocked,
    ...agentScores({ merged, rejected, blocked }),
    authorizations: { allowed, denied: auths.length - allowed },
  };
}

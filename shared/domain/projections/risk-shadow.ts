import { NotFoundError } from '../errors.js';
import { buildEvent } from '../event.js';
import type { JsonObject } from '../intent.js';
import { evaluateRiskGate, type RiskGateResult } from '../policy/index.js';
import { latestEvent, tenantScope } from './event-reader.js';
import { riskScores } from './risk-payload.js';
import {
  effectiveRiskPolicy,
  type PolicyWriteDeps,
} from './risk-policy-admin.js';

/** The payload of `risk.shadow_evaluated`. */
export type ShadowEvaluation = RiskGateResult & {
  intent_id: string;
  tenant_id: string | null;
  risk_score: number;
  damage_score: number;
  propagation_score: number;
  /** The tenant policy row's version; null when the config applied. */
  policy_version: number | null;
  /** The mode the tenant's gate really runs in. */
  tenant_mode: string;
  /** What the real gate would do: true only in enforce mode, in rollout. */
  would_enforce: boolean;
  actor: string;
};

/**
 * The tenant risk gate in shadow over the intent's latest `risk.evaluated`
 * (reference §3 `risk shadow`): the tenant's stored policy over the config,
 * evaluated with `mode: shadow`, so it never enforces. A write: appends
 * `risk.shadow_evaluated`.
 * @throws NotFoundError when the intent has no risk evaluation (in the tenant).
 */
export async function riskShadow(
  deps: PolicyWriteDeps,
  input: { intentId: string; tenantId: string | null; actor: string },
): Promise<ShadowEvaluation> {
  const risk = await latestEvent(deps.store, {
    type: 'risk.evaluated',
    intentId: input.intentId,
    ...tenantScope(input.tenantId),
  });
  if (risk === null) {
    throw new NotFoundError(`No risk evaluation for intent ${input.intentId}`);
  }
  const scores = riskScores(risk.payload);
  const { policy, version } = await effectiveRiskPolicy(deps, risk.tenantId);
  const gate = (mode: typeof policy.mode) =>
    evaluateRiskGate({
      intentId: input.intentId,
      riskScore: scores.riskScore,
      damageScore: scores.damageScore,
      propagationScore: scores.propagationScore,
      policy: { ...policy, mode },
    });
  const result: ShadowEvaluation = {
    ...gate('shadow'),
    intent_id: input.intentId,
    tenant_id: risk.tenantId,
    risk_score: scores.riskScore,
    damage_score: scores.damageScore,
    propagation_score: scores.propagationScore,
    policy_version: version,
    tenant_mode: policy.mode,
    would_enforce: gate(policy.mode).enforced,
    actor: input.actor,
  };
  await deps.store.events.append(
    buildEvent(
      {
        type: 'risk.shadow_evaluated',
        traceId: risk.traceId,
        intentId: input.intentId,
        tenantId: risk.tenantId,
        payload: JSON.parse(JSON.stringify(result)) as JsonObject,
      },
      deps.ids,
      deps.clock.nowIso(),
    ),
  );
  return result;
}

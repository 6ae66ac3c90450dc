import type { MergeSimulation } from '../../ports/scm.js';
import { buildEvent } from '../event.js';
import type { Intent } from '../intent.js';
import {
  DEFAULT_RISK_POLICY,
  evaluateRiskGate,
  type PolicyConfig,
  type PolicyConfigOverride,
  type RiskGateResult,
  type RiskPolicy,
  resolvePolicyConfig,
} from '../policy/index.js';
import {
  evaluateRisk,
  type RiskEvaluation,
  toSnakeCasePayload,
} from '../risk/index.js';
import type { EngineDeps } from './engine-deps.js';

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((x): x is string => typeof x === 'string')
    : [];
}

/** Evaluates risk from the simulation and appends risk.evaluated. */
export async function evaluateRiskStep(
  deps: EngineDeps,
  intent: Intent,
  trace: { traceId: string; simulation: MergeSimulation },
): Promise<RiskEvaluation> {
  const coChange = deps.coupling ? await deps.coupling() : [];
  const risk = evaluateRisk({
    intentId: intent.id,
    source: intent.source,
    target: intent.target,
    riskLevel: intent.riskLevel,
    dependencies: intent.dependencies,
    scopeHints: stringList(intent.technical.scope_hint),
    filesChanged: trace.simulation.filesChanged,
    conflicts: trace.simulation.conflicts,
    coChange,
    mergeable: trace.simulation.mergeable,
  });
  const payload = toSnakeCasePayload(risk);
  const event = buildEvent(
    {
      type: 'risk.evaluated',
      traceId: trace.traceId,
      intentId: intent.id,
      tenantId: intent.tenantId,
      payload: { ...payload },
      evidence: {
        trace_id: trace.traceId,
        signals: payload.signals,
        bombs: payload.bombs,
      },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  await deps.store.events.append(event);
  return risk;
}

/** The policy one tenant is held to: profiles and risk-gate thresholds. */
export interface TenantPolicy {
  config: PolicyConfig;
  risk: RiskPolicy;
}

/**
 * The tenant's stored risk policy over the configured defaults (DECISIONS
 * 1), with its applied calibration as a profile override (DECISIONS 9).
 */
export async function tenantPolicy(
  deps: EngineDeps,
  tenantId: string | null,
): Promise<TenantPolicy> {
  const base = deps.policy.risk ?? DEFAULT_RISK_POLICY;
  const stored = tenantId
    ? await deps.store.policies.getRiskPolicy(tenantId)
    : null;
  if (!stored) return { config: deps.policy, risk: base };
  const { profiles, ...thresholds } = stored.data;
  const config =
    profiles && typeof profiles === 'object'
      ? resolvePolicyConfig(deps.policy, { profiles } as PolicyConfigOverride)
      : deps.policy;
  return { config, risk: { ...base, ...(thresholds as Partial<RiskPolicy>) } };
}

/** The tenant risk gate: enforced only in enforce mode inside the rollout. */
export function riskGateStep(
  intent: Intent,
  risk: RiskEvaluation,
  policy: RiskPolicy,
): RiskGateResult {
  return evaluateRiskGate({
    intentId: intent.id,
    riskScore: risk.riskScore,
    damageScore: risk.damageScore,
    propagationScore: risk.propagationScore,
    policy,
  });
}

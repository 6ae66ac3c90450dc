import type { MergeSimulation } from '../../ports/scm.js';
import { buildEvent } from '../event.js';
import type { Intent } from '../intent.js';
import {
  DEFAULT_RISK_POLICY,
  evaluateRiskGate,
  type RiskGateResult,
  type RiskPolicy,
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

/** The tenant's risk policy, or the configured default (DECISIONS 1). */
export async function tenantRiskPolicy(
  deps: EngineDeps,
  tenantId: string | null,
): Promise<RiskPolicy> {
  const base = deps.policy.risk ?? DEFAULT_RISK_POLICY;
  if (!tenantId) return base;
  const stored = await deps.store.policies.getRiskPolicy(tenantId);
  return stored ? { ...base, ...(stored.data as Partial<RiskPolicy>) } : base;
}

/** The tenant risk gate: enforced only in enforce mode inside the rollout. */
export async function riskGateStep(
  deps: EngineDeps,
  intent: Intent,
  risk: RiskEvaluation,
): Promise<RiskGateResult> {
  return evaluateRiskGate({
    intentId: intent.id,
    riskScore: risk.riskScore,
    damageScore: risk.damageScore,
    propagationScore: risk.propagationScore,
    policy: await tenantRiskPolicy(deps, intent.tenantId),
  });
}

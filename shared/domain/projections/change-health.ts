import { NotFoundError } from '../errors.js';
import { latestEvent, type ReadDeps, tenantScope } from './event-reader.js';
import {
  type HealthStatus,
  healthScore,
  healthStatus,
} from './health-score.js';
import { changeLessons, type Lesson } from './learning.js';
import { isMergeable } from './payload-fields.js';
import { riskScores } from './risk-payload.js';

/** The figures of one change health score. */
export interface ChangeFiguresInput {
  riskScore: number;
  entropyScore: number;
  mergeable: boolean;
}

/** Health of one intent's change (reference §7 `change_health`). */
export interface ChangeHealth {
  intent_id: string;
  timestamp: string;
  health_score: number;
  status: HealthStatus;
  risk_score: number;
  entropy_score: number;
  propagation_score: number;
  containment_score: number;
  mergeable: boolean;
  /** When the latest risk evaluation ran; null without one. */
  evaluated_at: string | null;
  learning: Lesson[];
}

/**
 * `100 - 0.5 risk - 0.3 entropy - 30 [not mergeable]`, clamped to 0..100,
 * one decimal.
 * @example changeHealthScore({ riskScore: 40, entropyScore: 10,
 *   mergeable: true }) // 77
 */
export function changeHealthScore(input: ChangeFiguresInput): number {
  return healthScore(
    100 -
      0.5 * input.riskScore -
      0.3 * input.entropyScore -
      (input.mergeable ? 0 : 30),
  );
}

/**
 * Health of one intent from its latest `risk.evaluated` and
 * `simulation.completed`. A conflicted intent has a simulation but no risk
 * evaluation: its scores count as 0. Appends nothing (DECISIONS 8).
 * @throws NotFoundError when the intent has neither event (in the tenant).
 */
export async function changeHealth(
  deps: ReadDeps,
  intentId: string,
  tenantId: string | null,
): Promise<ChangeHealth> {
  const filter = { intentId, ...tenantScope(tenantId) };
  const [risk, sim] = await Promise.all([
    latestEvent(deps.store, { ...filter, type: 'risk.evaluated' }),
    latestEvent(deps.store, { ...filter, type: 'simulation.completed' }),
  ]);
  if (risk === null && sim === null) {
    throw new NotFoundError(`No evaluation recorded for intent ${intentId}`);
  }
  const scores = riskScores(risk?.payload ?? {});
  const figures = {
    riskScore: scores.riskScore,
    entropyScore: scores.entropyScore,
    mergeable: sim === null || isMergeable(sim.payload),
  };
  const score = changeHealthScore(figures);
  return {
    intent_id: intentId,
    timestamp: deps.clock.nowIso(),
    health_score: score,
    status: healthStatus(score),
    risk_score: scores.riskScore,
    entropy_score: scores.entropyScore,
    propagation_score: scores.propagationScore,
    containment_score: scores.containmentScore,
    mergeable: figures.mergeable,
    evaluated_at: risk?.timestamp ?? null,
    learning: changeLessons(figures),
  };
}

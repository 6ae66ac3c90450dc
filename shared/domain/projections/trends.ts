import type { ConvergeEvent } from '../event.js';
import { changeHealthScore } from './change-health.js';
import {
  daysAgo,
  type ReadDeps,
  readEvents,
  tenantScope,
} from './event-reader.js';
import { type HealthStatus, healthStatus } from './health-score.js';
import { isMergeable, numberField, stringField } from './payload-fields.js';
import { riskScores } from './risk-payload.js';

/**
 * Time series over the last `days` (reference §7 "Trends"), oldest point
 * first. Reads only: the health trend reads the `health.snapshot` events
 * the scheduled job records.
 */

/** One risk evaluation. */
export interface RiskPoint {
  timestamp: string;
  intent_id: string | null;
  risk_score: number;
  damage_score: number;
  entropy_score: number;
  propagation_score: number;
  containment_score: number;
}

/** One entropy reading. */
export interface EntropyPoint {
  timestamp: string;
  intent_id: string | null;
  entropy_score: number;
}

/** One repository health snapshot. */
export interface HealthPoint {
  timestamp: string;
  health_score: number;
  status: string;
  mergeable_rate: number;
  conflict_rate: number;
  avg_entropy: number;
}

/** The health of one change at one validation. */
export interface ChangeHealthPoint {
  timestamp: string;
  intent_id: string | null;
  trace_id: string;
  health_score: number;
  status: HealthStatus;
  mergeable: boolean;
}

async function window(
  deps: ReadDeps,
  type: ConvergeEvent['type'],
  tenantId: string | null,
  days: number,
  intentId?: string,
): Promise<ConvergeEvent[]> {
  const filter = {
    type,
    since: daysAgo(deps.clock, days),
    ...tenantScope(tenantId),
    ...(intentId === undefined ? {} : { intentId }),
  };
  return (await readEvents(deps.store, filter)).reverse();
}

/** Scores of every `risk.evaluated` in the window. */
export async function riskTrend(
  deps: ReadDeps,
  tenantId: string | null,
  days = 30,
): Promise<RiskPoint[]> {
  const events = await window(deps, 'risk.evaluated', tenantId, days);
  return events.map((e) => {
    const s = riskScores(e.payload);
    return {
      timestamp: e.timestamp,
      intent_id: e.intentId,
      risk_score: s.riskScore,
      damage_score: s.damageScore,
      entropy_score: s.entropyScore,
      propagation_score: s.propagationScore,
      containment_score: s.containmentScore,
    };
  });
}

/** The entropy score of every `risk.evaluated` in the window. */
export async function entropyTrend(
  deps: ReadDeps,
  tenantId: string | null,
  days = 30,
): Promise<EntropyPoint[]> {
  const events = await window(deps, 'risk.evaluated', tenantId, days);
  return events.map((e) => ({
    timestamp: e.timestamp,
    intent_id: e.intentId,
    entropy_score: numberField(e.payload, 'entropy_score'),
  }));
}

/**
 * Every `health.snapshot` of the tenant in the window. For null, only the
 * snapshots taken over every tenant (tenant null): mixing per-tenant series
 * would make a meaningless trend.
 */
export async function healthTrend(
  deps: ReadDeps,
  tenantId: string | null,
  days = 30,
): Promise<HealthPoint[]> {
  const events = await window(deps, 'health.snapshot', tenantId, days);
  const series = events.filter((e) => tenantId !== null || e.tenantId === null);
  return series.map((e) => ({
    timestamp: e.timestamp,
    health_score: numberField(e.payload, 'health_score'),
    status: stringField(e.payload, 'status') ?? 'unknown',
    mergeable_rate: numberField(e.payload, 'mergeable_rate', 1),
    conflict_rate: numberField(e.payload, 'conflict_rate'),
    avg_entropy: numberField(e.payload, 'avg_entropy'),
  }));
}

/**
 * Change health per validation in the window: each `simulation.completed`
 * joined with the `risk.evaluated` of the same trace (none when the merge
 * conflicted). Computed from the log, so no change snapshots are needed.
 */
export async function changeHealthTrend(
  deps: ReadDeps,
  tenantId: string | null,
  days = 30,
  intentId?: string,
): Promise<ChangeHealthPoint[]> {
  const [sims, risks] = await Promise.all([
    window(deps, 'simulation.completed', tenantId, days, intentId),
    window(deps, 'risk.evaluated', tenantId, days, intentId),
  ]);
  const riskByTrace = new Map(risks.map((e) => [e.traceId, e.payload]));
  return sims.map((sim) => {
    const scores = riskScores(riskByTrace.get(sim.traceId) ?? {});
    const mergeable = isMergeable(sim.payload);
    const score = changeHealthScore({ ...scores, mergeable });
    return {
      timestamp: sim.timestamp,
      intent_id: sim.intentId,
      trace_id: sim.traceId,
      health_score: score,
      status: healthStatus(score),
      mergeable,
    };
  });
}

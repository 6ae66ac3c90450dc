import { roundHalfEven } from '../risk/rounding.js';
import type { ReadDeps } from './event-reader.js';
import {
  type HealthStatus,
  healthScore,
  healthStatus,
} from './health-score.js';
import { mean } from './payload-fields.js';
import { type HealthPoint, healthTrend } from './trends.js';

/** Fewest snapshots a prediction needs (reference §7). */
export const MIN_SNAPSHOTS = 3;
/** From this many snapshots on, confidence is high. */
export const HIGH_CONFIDENCE_SNAPSHOTS = 7;

/** A trend that points the wrong way. */
export interface HealthSignal {
  code: 'health_declining' | 'entropy_rising' | 'conflicts_rising';
  severity: 'high' | 'medium';
  message: string;
  velocity: number;
}

/** Where health is heading (reference §7 `predict_health`). */
export interface HealthPrediction {
  /** The projected colour, or `unknown` below {@link MIN_SNAPSHOTS}. */
  status: HealthStatus | 'unknown';
  horizon_days: number;
  snapshots: number;
  current_health: number | null;
  projected_health: number | null;
  /** mean(recent half) - mean(older half). */
  velocity: { health: number; entropy: number; conflict_rate: number } | null;
  signals: HealthSignal[];
  /** The projection is red while the latest snapshot is not. */
  should_gate: boolean;
  confidence: 'none' | 'low' | 'high';
}

function velocityOf(
  older: readonly HealthPoint[],
  recent: readonly HealthPoint[],
  pick: (p: HealthPoint) => number,
): number {
  return mean(recent.map(pick)) - mean(older.map(pick));
}

function signalsOf(v: {
  health: number;
  entropy: number;
  conflict: number;
}): HealthSignal[] {
  const signals: HealthSignal[] = [];
  if (v.health < -5) {
    signals.push({
      code: 'health_declining',
      severity: v.health < -10 ? 'high' : 'medium',
      message: `Health is falling by ${roundHalfEven(-v.health, 1)} points`,
      velocity: roundHalfEven(v.health, 1),
    });
  }
  if (v.entropy > 3) {
    signals.push({
      code: 'entropy_rising',
      severity: v.entropy > 5 ? 'high' : 'medium',
      message: `Average entropy is rising by ${roundHalfEven(v.entropy, 1)}`,
      velocity: roundHalfEven(v.entropy, 1),
    });
  }
  if (v.conflict > 0.05) {
    signals.push({
      code: 'conflicts_rising',
      severity: 'medium',
      message: `Conflict rate is rising by ${roundHalfEven(v.conflict, 3)}`,
      velocity: roundHalfEven(v.conflict, 3),
    });
  }
  return signals;
}

/**
 * The prediction from snapshots in time order, pure. The older half is the
 * first `floor(n / 2)`; `projected = clamp(mean(recent) + velocity)`.
 */
export function predictFromSnapshots(
  points: readonly HealthPoint[],
  horizonDays: number,
): HealthPrediction {
  const latest = points.at(-1);
  if (points.length < MIN_SNAPSHOTS || latest === undefined) {
    return {
      status: 'unknown',
      horizon_days: horizonDays,
      snapshots: points.length,
      current_health: latest?.health_score ?? null,
      projected_health: null,
      velocity: null,
      signals: [],
      should_gate: false,
      confidence: 'none',
    };
  }
  const mid = Math.floor(points.length / 2);
  const older = points.slice(0, mid);
  const recent = points.slice(mid);
  const v = {
    health: velocityOf(older, recent, (p) => p.health_score),
    entropy: velocityOf(older, recent, (p) => p.avg_entropy),
    conflict: velocityOf(older, recent, (p) => p.conflict_rate),
  };
  const projected = healthScore(
    mean(recent.map((p) => p.health_score)) + v.health,
  );
  const status = healthStatus(projected);
  return {
    status,
    horizon_days: horizonDays,
    snapshots: points.length,
    current_health: latest.health_score,
    projected_health: projected,
    velocity: {
      health: roundHalfEven(v.health, 1),
      entropy: roundHalfEven(v.entropy, 1),
      conflict_rate: roundHalfEven(v.conflict, 3),
    },
    signals: signalsOf(v),
    should_gate:
      status === 'red' && healthStatus(latest.health_score) !== 'red',
    confidence: points.length >= HIGH_CONFIDENCE_SNAPSHOTS ? 'high' : 'low',
  };
}

/**
 * Predicts health from the `health.snapshot` events of the last
 * `2 * horizonDays` days. Appends nothing (DECISIONS 8).
 */
export async function predictHealth(
  deps: ReadDeps,
  tenantId: string | null,
  horizonDays = 7,
): Promise<HealthPrediction> {
  const points = await healthTrend(deps, tenantId, 2 * horizonDays);
  return predictFromSnapshots(points, horizonDays);
}

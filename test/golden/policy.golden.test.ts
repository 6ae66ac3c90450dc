import { describe, expect, it } from 'vitest';
import {
  calibrate,
  evaluateRiskGate,
  rolloutBucket,
} from '../../shared/domain/policy/index.js';

/** Reference §9: outputs of the original, to 6 decimals. */
const BUCKETS: readonly [string, string][] = [
  ['test-001', '0.699485'],
  ['intent-001', '0.926386'],
  ['eng-001', '0.364003'],
  ['a', '0.791374'],
  ['pr-1', '0.102827'],
];

describe('policy golden values', () => {
  it.each(BUCKETS)('rollout bucket of %s is %s', (intentId, expected) => {
    // Act
    const bucket = rolloutBucket(intentId);

    // Assess
    expect(bucket.toFixed(6)).toBe(expected);
  });

  it('calibration of entropies 1..20 gives low 24, medium 16, high 19, critical 16', () => {
    // Prepare
    const entropies = Array.from({ length: 20 }, (_, i) => i + 1);

    // Act
    const result = calibrate(entropies);

    // Assess
    expect(result.raw).toEqual({
      low: 24.0,
      medium: 16.0,
      high: 19.0,
      critical: 16.0,
    });
  });

  it('case F in enforce mode: the risk gate would block on all three scores', () => {
    // Act
    const result = evaluateRiskGate({
      intentId: 'test-001',
      riskScore: 88.5,
      damageScore: 89.8,
      propagationScore: 100,
      policy: {
        max_risk_score: 65,
        max_damage_score: 60,
        max_propagation_score: 55,
        mode: 'enforce',
        enforce_ratio: 1,
      },
    });

    // Assess
    expect(result.would_block).toBe(true);
    expect(result.enforced).toBe(true);
    expect(result.breaches.map((b) => b.metric)).toEqual([
      'risk_score',
      'damage_score',
      'propagation_score',
    ]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors.js';
import {
  buildTenantRiskPolicy,
  DEFAULT_RISK_POLICY,
  evaluateRiskGate,
  type RiskGateInput,
  type RiskPolicy,
  rolloutBucket,
} from '../../../../shared/domain/policy/index.js';

function gateInput(
  policy: Partial<RiskPolicy> = {},
  scores: Partial<Omit<RiskGateInput, 'policy'>> = {},
): RiskGateInput {
  return {
    intentId: 'test-intent',
    riskScore: 70,
    damageScore: 30,
    propagationScore: 20,
    ...scores,
    policy: { ...DEFAULT_RISK_POLICY, ...policy },
  };
}

describe('evaluateRiskGate', () => {
  it('does not block within the thresholds', () => {
    // Act
    const result = evaluateRiskGate(gateInput({}, { riskScore: 40 }));

    // Assess
    expect(result.would_block).toBe(false);
    expect(result.enforced).toBe(false);
    expect(result.breaches).toEqual([]);
  });

  it('reports each breached metric with its value and limit', () => {
    // Act
    const one = evaluateRiskGate(gateInput());
    const all = evaluateRiskGate(
      gateInput(
        {},
        { riskScore: 88.5, damageScore: 89.8, propagationScore: 100 },
      ),
    );

    // Assess
    expect(one.would_block).toBe(true);
    expect(one.breaches).toEqual([
      { metric: 'risk_score', value: 70, limit: 65 },
    ]);
    expect(all.breaches.map((b) => b.metric)).toEqual([
      'risk_score',
      'damage_score',
      'propagation_score',
    ]);
  });

  it('treats a score equal to its limit as no breach', () => {
    // Act
    const result = evaluateRiskGate(
      gateInput({}, { riskScore: 65, damageScore: 60, propagationScore: 55 }),
    );

    // Assess
    expect(result.would_block).toBe(false);
  });

  it('enforces in enforce mode with the full rollout', () => {
    // Act
    const result = evaluateRiskGate(gateInput({ mode: 'enforce' }));

    // Assess
    expect(result.enforced).toBe(true);
    expect(result.in_enforcement_group).toBe(true);
  });

  it('never enforces in shadow mode', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (intentId, ratio, risk) => {
          // Act
          const result = evaluateRiskGate(
            gateInput(
              { mode: 'shadow', enforce_ratio: ratio },
              { intentId, riskScore: risk },
            ),
          );

          // Assess
          expect(result.enforced).toBe(false);
        },
      ),
    );
  });

  it('never enforces with enforce_ratio 0', () => {
    fc.assert(
      fc.property(fc.string(), (intentId) => {
        // Act
        const result = evaluateRiskGate(
          gateInput({ mode: 'enforce', enforce_ratio: 0 }, { intentId }),
        );

        // Assess
        expect(result.would_block).toBe(true);
        expect(result.enforced).toBe(false);
        expect(result.in_enforcement_group).toBe(false);
      }),
    );
  });

  it('enforces only inside the rollout bucket', () => {
    // Prepare: test-001 is in bucket 0.699485, pr-1 in 0.102827
    const policy = { mode: 'enforce' as const, enforce_ratio: 0.5 };

    // Act
    const outside = evaluateRiskGate(
      gateInput(policy, { intentId: 'test-001' }),
    );
    const inside = evaluateRiskGate(gateInput(policy, { intentId: 'pr-1' }));

    // Assess
    expect(outside.enforced).toBe(false);
    expect(inside.enforced).toBe(true);
    expect(outside.rollout_bucket).toBeCloseTo(0.699485, 6);
  });
});

describe('rolloutBucket', () => {
  it('is deterministic and within [0, 1]', () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        // Act
        const first = rolloutBucket(id);
        const second = rolloutBucket(id);

        // Assess
        expect(first).toBe(second);
        expect(first).toBeGreaterThanOrEqual(0);
        expect(first).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('varies between intents', () => {
    // Act
    const a = rolloutBucket('intent-001');
    const b = rolloutBucket('intent-002');

    // Assess
    expect(a).not.toBe(b);
  });
});

describe('buildTenantRiskPolicy', () => {
  it('fills missing fields from the defaults', () => {
    // Act
    const policy = buildTenantRiskPolicy('acme', {
      mode: 'enforce',
      enforce_ratio: 0.25,
    });

    // Assess
    expect(policy).toEqual({
      tenant_id: 'acme',
      max_risk_score: 65,
      max_damage_score: 60,
      max_propagation_score: 55,
      mode: 'enforce',
      enforce_ratio: 0.25,
    });
  });

  it('updates a stored policy without copying its id or version', () => {
    // Prepare
    const stored = {
      ...buildTenantRiskPolicy('acme', { max_risk_score: 50 }),
      version: 3,
      updated_at: '2025-01-01T00:00:00.000Z',
    };

    // Act
    const policy = buildTenantRiskPolicy('acme', { mode: 'enforce' }, stored);

    // Assess
    expect(policy).toEqual({
      ...DEFAULT_RISK_POLICY,
      tenant_id: 'acme',
      max_risk_score: 50,
      mode: 'enforce',
    });
  });

  it.each([
    ['max_risk_score', { max_risk_score: 101 }],
    ['max_damage_score', { max_damage_score: -1 }],
    [
      'max_propagation_score',
      { max_propagation_score: Number.POSITIVE_INFINITY },
    ],
    ['enforce_ratio', { enforce_ratio: 1.01 }],
    ['mode', { mode: 'audit' }],
    ['unknown', { unknown: 1 }],
  ])('rejects a bad %s', (path, changes) => {
    // Act
    const run = () =>
      buildTenantRiskPolicy('acme', changes as Partial<RiskPolicy>);

    // Assess
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(path);
  });

  it('rejects an empty tenant id', () => {
    // Act
    const run = () => buildTenantRiskPolicy(' ', {});

    // Assess
    expect(run).toThrow(ValidationError);
  });
});
